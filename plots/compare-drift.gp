# NR_FREE_PAGES drift over simulated time, per variant: the median across runs
# and the p5-p95 band. Data: drift-band.csv (variant,time_ns,p5,median,p95).
load plots."/compare-style.gp"
set title "Free-page drift: NR\\_FREE\\_PAGES minus pages on the counted free lists"
set xlabel "simulated time (us)"
set ylabel "pages"
set key outside right top
set style fill transparent solid 0.2 noborder
file = dir."/drift-band.csv"
plot for [i=1:n] file every ::1 using (strcol(1) eq word(variants, i) ? $2 / 1000.0 : 1/0):3:5 \
	with filledcurves lc i notitle, \
     for [i=1:n] file every ::1 using (strcol(1) eq word(variants, i) ? $2 / 1000.0 : 1/0):4 \
	with lines lw 2 lc i dt i title word(variants, i)." median, p5-p95"
