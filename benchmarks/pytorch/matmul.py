#!/usr/bin/python3
"""PyTorch's float32 GFLOPS at the default VAE's matrix-product shapes, for MatMulBenchmark's table.

The median of five one-second windows per product, after a warm-up. Run at PyTorch's best setting
on few cores, e.g. OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/pytorch/matmul.py --threads 2
"""
import argparse
import statistics
import time

import torch


def rate(f, flops):
    f()
    windows = []
    for _ in range(5):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < 1.0:
            f()
            n += 1
        windows.append(flops * n / (time.perf_counter() - t0) / 1e9)
    return statistics.median(windows)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=2)
    torch.set_num_threads(p.parse_args().threads)
    torch.manual_seed(0)
    x, h = torch.randn(128, 784), torch.randn(128, 500)
    w1, w2 = torch.randn(500, 784), torch.randn(784, 500)
    g = torch.randn(128, 500)
    flops = 2 * 128 * 784 * 500
    print(f"encoder forward (128x784)(784x500): {rate(lambda: x @ w1.T, flops):.1f} GFLOPS")
    print(f"decoder forward (128x500)(500x784): {rate(lambda: h @ w2.T, flops):.1f} GFLOPS")
    print(f"weight gradient (784x128)(128x500): {rate(lambda: x.T @ g, flops):.1f} GFLOPS")


if __name__ == "__main__":
    main()
