# gnuplot script of `make bench`: ns/packet against the number of filters,
# one line per engine, both axes logarithmic.
#   gnuplot -e "csv='bench.csv'; png='bench.png'" bench/plot.gp
set terminal pngcairo size 900,600 noenhanced
set output png
set datafile separator ","
set key top left
set logscale x 2
set logscale y 10
set xlabel "installed per-connection filters (N)"
set ylabel "ns per packet (median)"
set title "Demultiplexing cost per packet (dpf-bench)"
set grid
engines = "dpf-jit dpf-interp libpcap dpdk-jit hand"
# one engine's rows at a time, so that its points are joined by a line
plot for [e in engines] sprintf("< grep '^%s,' '%s'", e, csv) \
  using 2:4 with linespoints lw 2 pt 7 title e
