"""Per-operation cost of one small PyTorch eager op (a + b and a.add_(b) on (256, 2) float32, one thread),
the counterpart of bench/jvm/OpCost.java:  /usr/bin/python3 bench/pytorch/opcost.py 100000"""
import sys, time, torch
torch.set_num_threads(1)
n = int(sys.argv[1])
a = torch.randn(256, 2); b = torch.randn(256, 2)
for r in range(3):
    t0 = time.perf_counter(); c0 = time.process_time()
    for i in range(n):
        c = a + b
    print("round %d: a + b (256,2): %.2f us/op wall, %.2f us/op cpu" % (r, (time.perf_counter() - t0) / n * 1e6, (time.process_time() - c0) / n * 1e6))
    t0 = time.perf_counter(); c0 = time.process_time()
    for i in range(n):
        a.add_(b)
    print("round %d: a.add_(b) in place: %.2f us/op wall, %.2f us/op cpu" % (r, (time.perf_counter() - t0) / n * 1e6, (time.process_time() - c0) / n * 1e6))
