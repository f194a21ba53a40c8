# Distribution of the drift each run ended with, per variant.
# Data: final-drift.csv (variant,final_drift,runs).
load plots."/compare-style.gp"
set title "Drift at the end of each run"
set xlabel "final drift (pages)"
set ylabel "runs"
set key outside right top
set style fill solid 0.7 border -1
bw = 0.8 / n
set boxwidth bw
set yrange [0:*]
file = dir."/final-drift.csv"
plot for [i=1:n] file every ::1 \
	using (strcol(1) eq word(variants, i) ? $2 - 0.4 + bw * (i - 0.5) : 1/0):3 \
	with boxes lc i title word(variants, i)
