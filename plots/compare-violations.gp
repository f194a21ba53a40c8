# Runs with a violation, per invariant and variant.
# Data: violations-by-invariant.csv (invariant,<variant>...).
load plots."/compare-style.gp"
set title "Runs with a violation, per invariant"
set ylabel "runs"
set key outside right top autotitle columnhead
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.7 border -1
set xtics rotate by -25
set yrange [0:*]
file = dir."/violations-by-invariant.csv"
plot for [i=2:n+1] file using i:xtic(1) lc (i - 1)
