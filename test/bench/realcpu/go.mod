module heapscope.bench/realcpu

go 1.19
