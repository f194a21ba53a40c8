# Shared by the compare-*.gp templates: terminal and file from the variables
# mmsim passes (plots, dir, out, fmt, variants), CSV input.
if (fmt eq "svg") {
	set terminal svg size 960,540 dynamic font "sans,11" background "white"
} else {
	set terminal pngcairo size 960,540 font "sans,10" background "white"
}
set output out
set datafile separator ","
set grid
n = words(variants)
# Twelve distinct colours (tab10, then black and light blue): gnuplot's own
# cycle has eight, and ten variants would share colours.
array palette[12] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", \
	"#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aec7e8"]
do for [i=1:12] {
	set linetype i lc rgb palette[i]
}
set linetype cycle 12
