#!/usr/bin/env python3
"""PyTorch reference for the RCNN of `learnability bench gpu` (its `rcnn` workload).

The direct-use RCNN of @learnability/rcnn (Goel, Kakade, Kalai, Zhang 2022; docs/papers.md §2) with a
dense first layer, written out in eager PyTorch (NCHW):

  e = x W_emb + b_emb on the input's h0 x w0 cells of an H x W grid (zeros elsewhere), C channels
  inj = conv(e, W_e) + b;  s_0 = 0;  z = conv(s_{t-1}, W_s) + inj  ('same' padding, kh x kw)
  [a; z_u] = z;  s_t = s_{t-1} + sigmoid(z_u) * (tanh(a) - s_{t-1}),  t = 1..T
  y_hat = (1/sqrt(HW)) sum_cells (relu(s_T W_1 + b_1) W_2) + b_2

Adam (betas 0.9, 0.999, eps 1e-8) on the mean squared error to a k-sparse parity of fresh
uniform +-1 inputs, made on the device each step. With checkpointEvery > 0 the unroll is cut into
segments recomputed in the backward pass (torch.utils.checkpoint), as ours is. The same function
and work as ours; the initialisation is PyTorch's defaults (it does not change the time a step takes).

Parameters: d*h0*w0*C + h0*w0*C (first layer) + kh*kw*2C*2C + 2C (the filter over [s; e]) +
C*h + h + h + 1 (readout), the count ours reports (`rcnnParamCount`); the script prints it.

  python3 bench/torch_rcnn.py --n 32            # a step at n = 32, T = 33, C = 8, 1 x 3 filter
"""
import json
import math

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.checkpoint import checkpoint

from torch_common import cuda_missing, describe, reference_parser, setup, steps_per_second, training_block


class Rcnn(nn.Module):
    """One replica; `spec` as bench gpu sends it (rcnnSpec in apps/node/src/bench/gpu-workloads.ts)."""

    def __init__(self, s):
        super().__init__()
        self.s = s
        C, h0, w0 = s["channels"], s["inputRows"], s["inputCols"]
        self.embed = nn.Linear(s["inputSize"], h0 * w0 * C)
        # The one filter, split by the channels it reads: W_s (state) and W_e (re-injected input).
        shape = (2 * C, C, s["kernelHeight"], s["kernelWidth"])
        bound = 1 / math.sqrt(2 * C * s["kernelHeight"] * s["kernelWidth"])
        self.w_state = nn.Parameter(torch.empty(shape).uniform_(-bound, bound))
        self.w_input = nn.Parameter(torch.empty(shape).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.zeros(2 * C))
        self.read1 = nn.Linear(C, s["readoutWidth"])
        self.read2 = nn.Linear(s["readoutWidth"], 1, bias=False)  # per cell; b_2 once, after the sum
        self.read_bias = nn.Parameter(torch.zeros(1))
        self.padding = ((s["kernelHeight"] - 1) // 2, (s["kernelWidth"] - 1) // 2)

    def steps(self, state, inj, count):
        C = self.s["channels"]
        for _ in range(count):
            a, zu = (F.conv2d(state, self.w_state, padding=self.padding) + inj).split(C, dim=1)
            state = state + torch.sigmoid(zu) * (torch.tanh(a) - state)
        return state

    def forward(self, x):
        s = self.s
        B, C, H, W = x.shape[0], s["channels"], s["gridHeight"], s["gridWidth"]
        e = self.embed(x).view(B, s["inputRows"], s["inputCols"], C).permute(0, 3, 1, 2)
        e = F.pad(e, (0, W - s["inputCols"], 0, H - s["inputRows"]))  # (B, C, H, W)
        inj = F.conv2d(e, self.w_input, self.bias, padding=self.padding)
        state = torch.zeros_like(e)
        every, T = s["checkpointEvery"], s["depth"]
        if every == 0:
            state = self.steps(state, inj, T)
        else:
            for done in range(0, T, every):
                state = checkpoint(self.steps, state, inj, min(every, T - done), use_reentrant=False)
        cells = state.permute(0, 2, 3, 1).reshape(B, H * W, C)
        return self.read2(F.relu(self.read1(cells))).sum(dim=1) / math.sqrt(H * W) + self.read_bias  # (B, 1)


def bench_rcnn(spec, steps, repeats, device):
    """Steps/s of Adam on the squared error for `spec`, on fresh parity samples made on the device."""
    s = spec
    model = Rcnn(s).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=s["lr"], betas=(0.9, 0.999), eps=1e-8)
    subset = torch.arange(s["k"], device=device)

    def loss():
        x = torch.randint(0, 2, (s["batch"], s["inputSize"]), device=device).float() * 2 - 1
        return ((model(x) - x[:, subset].prod(dim=1, keepdim=True)) ** 2).mean()

    block = training_block(opt, loss, device)
    return steps_per_second(block, model.parameters(), steps, repeats, device)


def main():
    p = reference_parser()
    p.add_argument("--n", type=int, default=32, help="input bits; the grid is 1 x n, T = n + 1, as rcnn-parity")
    a = p.parse_args()
    if a.device == "cuda" and cuda_missing():
        print(json.dumps({"skipped": cuda_missing()}))
        return
    device = setup(a.device, a.threads)
    n = a.n
    spec = {
        "inputSize": n, "inputRows": 1, "inputCols": n, "gridHeight": 1, "gridWidth": n, "channels": 8,
        "kernelHeight": 1, "kernelWidth": 3, "depth": n + 1, "readoutWidth": 16, "checkpointEvery": 0,
        "batch": 32, "lr": 3e-3, "k": 3,
    }
    print(json.dumps({**describe(device), "spec": spec, **bench_rcnn(spec, a.steps, a.repeats, device)}))


if __name__ == "__main__":
    main()
