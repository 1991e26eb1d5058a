#!/usr/bin/env python3
"""PyTorch reference for `learnability bench train`: the same models, losses and optimiser.

Prints one JSON object. Tuned as carefully as ours: one torch thread (its fastest setting for
these small models on this machine, measured; override with --threads), OpenBLAS when Debian's
libopenblas0-pthread is installed, no autograd anomaly checks, the loss read back only at the
end of each timed block (as our loop does), and zero_grad(set_to_none=True).

Models:
  parity: n=50 -> 1000 -> 1, ReLU, hinge loss, SGD lr 0.1, weight decay 0.01, batch 32 (Barak et al.)
  mlp512: 50 -> 512 -> 512 -> 1, ReLU, MSE, SGD lr 0.01, batch 64
  replicas: R copies of the parity model, 2,000 steps each, one after another and as one
            batched program (stacked weights, torch.bmm), the way our replicas run.
"""
import argparse
import json
import statistics
import time

import torch


def timed(fn, repeats):
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return samples


def stats(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "samples": values}


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def sign_batch(b, n, subset):
    x = torch.randint(0, 2, (b, n), dtype=torch.float32) * 2 - 1
    return x, x[:, subset].prod(dim=1, keepdim=True)


def bench_single(sizes, loss_name, lr, wd, batch, steps, repeats):
    net = mlp(sizes)
    opt = torch.optim.SGD(net.parameters(), lr=lr, weight_decay=wd)
    subset = [0, 1, 2]
    data = [sign_batch(batch, sizes[0], subset) for _ in range(steps)]
    if loss_name == "mse":
        data = [(x, torch.randn(batch, 1)) for x, _ in data]

    def block():
        total = torch.zeros(())
        for x, y in data:
            out = net(x)
            loss = torch.relu(1 - y * out).mean() if loss_name == "hinge" else ((out - y) ** 2).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.detach()
        total.item()

    block()  # warm-up
    return stats([steps / s for s in timed(block, repeats)])


def bench_replicas(r, steps, batch=32, n=50, width=1000):
    subset = [0, 1, 2]
    # Sequential: R separate networks, one after another.
    def sequential():
        for _ in range(r):
            net = mlp([n, width, 1])
            opt = torch.optim.SGD(net.parameters(), lr=0.1, weight_decay=0.01)
            for _ in range(steps):
                x, y = sign_batch(batch, n, subset)
                loss = torch.relu(1 - y * net(x)).mean()
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()

    # Batched: stacked weights (R, n, width), one bmm per layer.
    def batched():
        w0 = (torch.randn(r, n, width) / n ** 0.5).requires_grad_()
        b0 = torch.zeros(r, 1, width, requires_grad=True)
        w1 = (torch.randn(r, width, 1) / width ** 0.5).requires_grad_()
        b1 = torch.zeros(r, 1, 1, requires_grad=True)
        opt = torch.optim.SGD([w0, b0, w1, b1], lr=0.1, weight_decay=0.01)
        for _ in range(steps):
            x = torch.randint(0, 2, (r, batch, n), dtype=torch.float32) * 2 - 1
            y = x[:, :, subset].prod(dim=2, keepdim=True)
            out = torch.bmm(torch.relu(torch.bmm(x, w0) + b0), w1) + b1
            # Sum of per-replica means: each replica gets its own mean-loss gradient.
            loss = torch.relu(1 - y * out).mean(dim=(1, 2)).sum()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()

    return {"replicas": r, "steps": steps, "sequentialSeconds": timed(sequential, 1)[0], "batchedSeconds": timed(batched, 1)[0]}


def blas_library():
    """Which BLAS Debian's alternatives point libblas.so.3 at (reference BLAS or OpenBLAS)."""
    import os
    try:
        return os.path.realpath("/etc/alternatives/libblas.so.3-x86_64-linux-gnu")
    except OSError:
        return "unknown"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--replicas", type=int, default=32)
    p.add_argument("--replica-steps", type=int, default=2000)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    torch.autograd.set_detect_anomaly(False)
    out = {
        "torch": torch.__version__,
        "threads": a.threads,
        "blas": blas_library(),
        "parityStepsPerSecond": bench_single([50, 1000, 1], "hinge", 0.1, 0.01, 32, a.steps, a.repeats),
        "mlp512StepsPerSecond": bench_single([50, 512, 512, 1], "mse", 0.01, 0.0, 64, a.steps, a.repeats),
    }
    if a.replicas > 0:
        out["replicas"] = bench_replicas(a.replicas, a.replica_steps)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
