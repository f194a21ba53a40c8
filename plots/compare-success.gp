# How often the isolation users' calls succeed (return 0), per variant.
# Data: success.csv (entry,<variant>...), in percent.
load plots."/compare-style.gp"
set title "Calls that succeeded"
set ylabel "% of calls"
set key outside right top autotitle columnhead
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.7 border -1
set yrange [0:105]
file = dir."/success.csv"
plot for [i=2:n+1] file using i:xtic(1) lc (i - 1)
