# Free-page drift (NR_FREE_PAGES minus the pages on the counted free lists)
# over simulated time for one run, from a --csv file.
#   gnuplot -e "csv='drift.csv'; png='drift.png'" plots/drift-run.gp
set terminal pngcairo size 900,420 font "sans,10"
set output png
set datafile separator ","
set key top left
set xlabel "simulated time (ns)"
set ylabel "pages"
set grid
set title "NR\\_FREE\\_PAGES drift, counter minus free lists (settled steps marked)"
plot csv using 5:10 every ::1 with steps lw 2 title "drift", \
     csv using 5:($11 == 1 ? $10 : 1/0) every ::1 with points pt 7 ps 0.6 title "settled", \
     0 with lines lt 0 notitle
