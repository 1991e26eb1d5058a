#!/usr/bin/env python3
"""PyTorch reference for `learnability bench gpu`: the workloads of its table, in one process.

Prints one JSON object: versions and device, then one entry per workload asked for with --only
(parity, mlp512, replicas, looped, standard, rcnn, rnn, matmul). --device cuda (the default): fp32, TF32
off, the device drained before every clock read; when torch cannot use CUDA it prints
{"skipped": reason} and exits 0, and the CLI reports the reference as skipped. --device cpu runs
the same code on the CPU (how it is tested on a machine without a GPU), each workload on its
faster OpenBLAS thread count (1 or the pool it started with), reported as its blasThreads.

  python3 bench/torch_gpu.py --device cuda --only parity,matmul --steps 500 --repeats 5
"""
import argparse
import json

import torch

from torch_common import cuda_missing, describe, setup, stats, timed
from torch_mlp import bench_replicas, bench_single
from torch_rcnn import bench_rcnn
from torch_rnn import bench_rnn
from torch_transformer import bench_transformer

WORKLOADS = ["parity", "mlp512", "replicas", "looped", "standard", "rcnn", "rnn", "matmul"]


def bench_matmul(n, iters, repeats, device):
    """TFLOP/s of `iters` back-to-back (n x n) @ (n x n) fp32 matmuls, 2n^3 flops each."""
    a = torch.rand(n, n, device=device) * 2 - 1
    b = torch.rand(n, n, device=device) * 2 - 1
    a @ b  # warm-up: cuBLAS handle and kernel selection

    def block():
        for _ in range(iters):
            a @ b

    return {"size": n, "iters": iters, "tflops": stats([2 * n**3 * iters / s / 1e12 for s in timed(block, repeats, device)])}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--device", choices=["cpu", "cuda"], default="cuda")
    p.add_argument("--threads", type=int, default=1, help="CPU threads (the CPU fallback's fastest setting for these small models on our 2-core machine)")
    p.add_argument("--only", default=",".join(WORKLOADS))
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--replicas", type=int, default=1024)
    p.add_argument("--replica-steps", type=int, default=2000)
    p.add_argument("--transformer-steps", type=int, default=10)
    p.add_argument("--looped", type=json.loads, help="JSON spec: dims, points, embedSize, heads, layers, loops, lossLoops, batch, lr")
    p.add_argument("--standard", type=json.loads, help="JSON spec, as --looped")
    p.add_argument("--rcnn", type=json.loads, help="JSON spec (bench_rcnn in torch_rcnn.py): grid, channels, filter, depth, batch, lr, k")
    p.add_argument("--rcnn-steps", type=int, default=50)
    p.add_argument("--rnn", type=json.loads, help="JSON spec (bench_rnn in torch_rnn.py): inputSize, steps, width, outputSize, batch, lr")
    p.add_argument("--rnn-steps", type=int, default=20)
    p.add_argument("--matmul-size", type=int, default=4096)
    p.add_argument("--matmul-iters", type=int, default=10)
    a = p.parse_args()
    only = [w for w in a.only.split(",") if w]
    unknown = [w for w in only if w not in WORKLOADS]
    if unknown:
        p.error(f"--only: unknown workload(s) {', '.join(unknown)}; known: {', '.join(WORKLOADS)}")
    for name in ("looped", "standard", "rcnn", "rnn"):
        if name in only and getattr(a, name) is None:
            p.error(f"--{name} is required with --only {name}")
    if a.device == "cuda" and cuda_missing():
        print(json.dumps({"skipped": cuda_missing()}))
        return
    device = setup(a.device, a.threads)
    out = {**describe(device), "workloads": {}}
    w = out["workloads"]
    if "parity" in only:
        w["parity"] = {"stepsPerSecond": bench_single([50, 1000, 1], "hinge", 0.1, 0.01, 32, a.steps, a.repeats, device)}
    if "mlp512" in only:
        w["mlp512"] = {"stepsPerSecond": bench_single([50, 512, 512, 1], "mse", 0.01, 0.0, 64, a.steps, a.repeats, device)}
    if "replicas" in only:
        # On a GPU the stacked weights (bmm) are PyTorch's way; on its CPU one network after another
        # was faster in every invocation (docs/benchmarks.md), so there it is timed too and the
        # faster taken, as bench train does.
        cpu = device.type == "cpu"
        r = bench_replicas(a.replicas, a.replica_steps, device=device, sequential=cpu)
        way = "sequential" if cpu and r["sequentialSeconds"] < r["batchedSeconds"] else "batched"
        w["replicas"] = {"replicas": a.replicas, "steps": a.replica_steps, "way": way, "seconds": stats([r[f"{way}Seconds"]])}
        if f"{way}BlasThreads" in r:
            w["replicas"]["blasThreads"] = r[f"{way}BlasThreads"]
    for name in ("looped", "standard"):
        if name in only:
            w[name] = {"spec": getattr(a, name), **bench_transformer(getattr(a, name), a.transformer_steps, a.repeats, device)}
    if "rcnn" in only:
        w["rcnn"] = {"spec": a.rcnn, **bench_rcnn(a.rcnn, a.rcnn_steps, a.repeats, device)}
    if "rnn" in only:
        w["rnn"] = {"spec": a.rnn, **bench_rnn(a.rnn, a.rnn_steps, a.repeats, device)}
    if "matmul" in only:
        w["matmul"] = bench_matmul(a.matmul_size, a.matmul_iters, a.repeats, device)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
