#!/usr/bin/env python3
"""PyTorch reference for docs/reproductions/parity.md's init table: Barak et al.'s protocol
(n -> 1000 -> 1 ReLU MLP, hinge loss max(0, 1 - y*out), SGD lr 0.1, weight decay 0.01, batch 32,
fresh samples, k = 3) from two initialisations:

  torch-linear: nn.Linear's own default, W and b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))
  gaussian:     W ~ N(0, 1/fan_in), b = 0 (the dense model's `init: 'gaussian'`)

Learned = first evaluation (every 100 steps) with test accuracy >= 0.99 on 1,000 fixed points,
the rule of `sweeps/sparse-parity-init.json`. Prints one JSON object: per (init, n), the
learned-at steps of seeds 0..S-1 (null if not learned within --steps) and their median.

  /usr/bin/python3 bench/torch_sparse_parity_init.py --n 20,30,40 --seeds 8
"""
import argparse
import json
import statistics

import torch


def batch(gen, b, n, subset):
    x = torch.randint(0, 2, (b, n), generator=gen, dtype=torch.float32) * 2 - 1
    return x, x[:, subset].prod(dim=1, keepdim=True)


def net_for(n, width, init):
    net = torch.nn.Sequential(torch.nn.Linear(n, width), torch.nn.ReLU(), torch.nn.Linear(width, 1))
    if init == "gaussian":
        with torch.no_grad():
            for layer in (net[0], net[2]):
                layer.weight.normal_(0, layer.in_features ** -0.5)
                layer.bias.zero_()
    return net


def learned_at(n, k, init, seed, steps, width=1000, every=100, test_size=1000):
    torch.manual_seed(seed)
    net = net_for(n, width, init)
    opt = torch.optim.SGD(net.parameters(), lr=0.1, weight_decay=0.01)
    subset = list(range(k))
    data = torch.Generator().manual_seed(10_000 + seed)
    xt, yt = batch(torch.Generator().manual_seed(999), test_size, n, subset)
    for step in range(1, steps + 1):
        x, y = batch(data, 32, n, subset)
        loss = torch.relu(1 - y * net(x)).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if step % every == 0:
            with torch.no_grad():
                acc = (torch.sign(net(xt)) == yt).float().mean().item()
            if acc >= 0.99:
                return step
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", default="20,30,40")
    p.add_argument("--k", type=int, default=3)
    p.add_argument("--seeds", type=int, default=8)
    p.add_argument("--steps", type=int, default=40_000)
    p.add_argument("--inits", default="torch-linear,gaussian")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    out = {"k": a.k, "seeds": a.seeds, "torch": torch.__version__, "results": []}
    for init in a.inits.split(","):
        for n in [int(v) for v in a.n.split(",")]:
            steps = [learned_at(n, a.k, init, s, a.steps) for s in range(a.seeds)]
            done = [s for s in steps if s is not None]
            out["results"].append({"init": init, "n": n, "learnedAt": steps, "learned": len(done),
                                   "median": statistics.median(done) if done else None})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
