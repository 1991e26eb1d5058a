#!/usr/bin/env python3
"""PyTorch reference for `learnability bench train` and `bench gpu`: the same models, losses and optimiser.

Prints one JSON object. Tuned as carefully as ours: one torch thread on the CPU (its fastest
setting for these small models on our 2-core machine, measured; override with --threads),
OpenBLAS when Debian's libopenblas0-pthread is installed, each model and each replica run on
its faster OpenBLAS thread count (1 or the count it started with; timed first, reported as
blasThreads beside the figure), no autograd anomaly checks, the loss
read back only at the end of each timed block (as our loop does), zero_grad(set_to_none=True);
each step draws its batch on the device inside the clock, as ours draws and uploads one. --device cuda: fp32 with TF32 off, the device drained
(torch.cuda.synchronize) before every clock read; without CUDA it prints {"skipped": reason}.

Models:
  parity: n=50 -> 1000 -> 1, ReLU, hinge loss, SGD lr 0.1, weight decay 0.01, batch 32 (Barak et al.)
  mlp512: 50 -> 512 -> 512 -> 1, ReLU, MSE, SGD lr 0.01, batch 64
  replicas: R copies of the parity model, 2,000 steps each, one after another (CPU only: on a
            GPU that would take hours at R = 1024) and as one batched program (stacked weights,
            torch.bmm), the way our replicas run. Each is timed after a warm-up of at least a
            second, with its weights made before the clock, as our side is.
"""
import json
import time

import torch

from torch_common import (
    blas_library,
    blas_threads,
    cuda_missing,
    fastest_blas_threads,
    rates_on_fastest_blas,
    reference_parser,
    set_blas_threads,
    setup,
    sync,
    timed,
    training_block,
)


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def sign_batch(shape, subset, device):
    """x uniform in {±1}^shape, y the product of x's `subset` coordinates (last axis)."""
    x = torch.randint(0, 2, shape, dtype=torch.float32, device=device) * 2 - 1
    return x, x[..., subset].prod(dim=-1, keepdim=True)


def bench_single(sizes, loss_name, lr, wd, batch, steps, repeats, device=torch.device("cpu")):
    """Steps/s of one network: `repeats` timed blocks of `steps` steps after one untimed block.
    Each step draws its batch inside the clock, as ours samples and uploads one every step."""
    net = mlp(sizes).to(device)
    opt = torch.optim.SGD(net.parameters(), lr=lr, weight_decay=wd)

    def loss():
        x, y = sign_batch((batch, sizes[0]), [0, 1, 2], device)
        if loss_name == "mse":
            return ((net(x) - torch.randn(batch, 1, device=device)) ** 2).mean()
        return torch.relu(1 - y * net(x)).mean()

    block = training_block(opt, loss, device)
    block(steps)  # warm-up
    return rates_on_fastest_blas(block, steps, repeats, device)


def warm_up(run, device, block=20, seconds=1.0):
    """Runs `block` steps at a time until `seconds` have passed (at least once), as our bench's
    warmUp does: first allocations, kernel loading and library handles stay out of the clock."""
    t0 = time.perf_counter()
    while True:
        run(block)
        sync(device)
        if time.perf_counter() - t0 >= seconds:
            return


def bench_replicas(r, steps, batch=32, n=50, width=1000, device=torch.device("cpu"), sequential=True):
    """Wall seconds of R parity models × `steps` steps: batched (and one after another if
    `sequential`), each after a warm-up, with the weights made before the clock as ours are."""
    subset = [0, 1, 2]

    def network():
        """One parity network and a function that trains it for k steps (torch_common's block)."""
        net = mlp([n, width, 1]).to(device)
        opt = torch.optim.SGD(net.parameters(), lr=0.1, weight_decay=0.01)

        def loss():
            x, y = sign_batch((batch, n), subset, device)
            return torch.relu(1 - y * net(x)).mean()

        return training_block(opt, loss, device)

    def stacked():
        """R networks as stacked weights (R, n, width), one bmm per layer, and a function that
        trains them for k steps, reading the summed loss back at the end (as our loop does)."""
        w0 = (torch.randn(r, n, width, device=device) / n**0.5).requires_grad_()
        b0 = torch.zeros(r, 1, width, device=device, requires_grad=True)
        w1 = (torch.randn(r, width, 1, device=device) / width**0.5).requires_grad_()
        b1 = torch.zeros(r, 1, 1, device=device, requires_grad=True)
        opt = torch.optim.SGD([w0, b0, w1, b1], lr=0.1, weight_decay=0.01)

        def loss():
            x, y = sign_batch((r, batch, n), subset, device)
            out = torch.bmm(torch.relu(torch.bmm(x, w0) + b0), w1) + b1
            # Sum of per-replica means: each replica gets its own mean-loss gradient.
            return torch.relu(1 - y * out).mean(dim=(1, 2)).sum()

        return training_block(opt, loss, device)

    cpu = device.type == "cpu"
    batched = stacked()
    warm_up(batched, device)
    out = {"replicas": r, "steps": steps}
    # Each way under its faster OpenBLAS thread count (trial blocks of a few hundred milliseconds).
    threads = fastest_blas_threads(batched, 50, device) if cpu else None
    out["batchedSeconds"] = timed(lambda: batched(steps), 1, device)[0]
    if threads is not None:
        out["batchedBlasThreads"] = threads
    if sequential:
        first = network()
        warm_up(first, device)
        threads = fastest_blas_threads(first, 200, device) if cpu else None
        nets = [first] + [network() for _ in range(r - 1)]

        def one_after_another():
            for run in nets:
                run(steps)

        out["sequentialSeconds"] = timed(one_after_another, 1, device)[0]
        if threads is not None:
            out["sequentialBlasThreads"] = threads
    if cpu:
        set_blas_threads(blas_threads())
    return out


def main():
    p = reference_parser(steps=500, repeats=5)
    p.add_argument("--replicas", type=int, default=32)
    p.add_argument("--replica-steps", type=int, default=2000)
    a = p.parse_args()
    if a.device == "cuda" and cuda_missing():
        print(json.dumps({"skipped": cuda_missing()}))
        return
    device = setup(a.device, a.threads)
    out = {
        "torch": torch.__version__,
        "device": a.device,
        "threads": a.threads,
        "blas": blas_library(),
        "blasThreads": blas_threads(),
    }
    # --repeats 0: the replicas alone (bench train times the single models in rounds of their own).
    if a.repeats > 0:
        out["parityStepsPerSecond"] = bench_single([50, 1000, 1], "hinge", 0.1, 0.01, 32, a.steps, a.repeats, device)
        out["mlp512StepsPerSecond"] = bench_single([50, 512, 512, 1], "mse", 0.01, 0.0, 64, a.steps, a.repeats, device)
    if a.replicas > 0:
        out["replicas"] = bench_replicas(a.replicas, a.replica_steps, device=device, sequential=a.device == "cpu")
    sync(device)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
