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
