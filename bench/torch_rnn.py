#!/usr/bin/env python3
"""PyTorch reference for the ReLU RNN of `learnability bench gpu` (its `rnn` workload).

The network of @learnability/rnn (Boopathy & Fiete 2022; docs/papers.md §4) on the add task's shapes:

  h_t = relu(W_ih x_t/sqrt(d) + W_hh h_{t-1}/sqrt(n) + b_h),  h_{-1} = 0
  o_t = W_ho h_t/sqrt(n) + b_o

trained by backprop through time and plain SGD on the mean squared error over every step, as
our `sgd` trainer trains it (the preset's Align-ada has no PyTorch counterpart). The recurrence is
torch.nn.RNN (nonlinearity relu: cuDNN on a GPU, PyTorch's fused CPU kernel otherwise), the NTK
scales folded into its weights at initialisation (the same arithmetic a step; the scales only
change what the gradient means, not what it costs). nn.RNN has a second bias, b_hh; it is held at
zero and frozen, so the trainable parameters are ours: d*n + n*n + n + n*o + o (the script prints
the count). Inputs are fresh bits in {0, 1} and normal targets, made on the device each step.

  python3 bench/torch_rnn.py --steps 20    # a step at T = 100, width 64, batch 50, d = 1
"""
import json
import math

import torch
from torch import nn

from torch_common import cuda_missing, describe, reference_parser, setup, steps_per_second, training_block


class Rnn(nn.Module):
    """One replica; `spec` as bench gpu sends it (rnnSpec in apps/node/src/bench/gpu-workloads.ts)."""

    def __init__(self, s):
        super().__init__()
        d, n, o = s["inputSize"], s["width"], s["outputSize"]
        self.rnn = nn.RNN(d, n, nonlinearity="relu", batch_first=True)
        self.read = nn.Linear(n, o)
        with torch.no_grad():
            self.rnn.weight_ih_l0.normal_(0, 1 / math.sqrt(d))
            self.rnn.weight_hh_l0.normal_(0, 1 / math.sqrt(n))
            self.rnn.bias_ih_l0.zero_()
            self.rnn.bias_hh_l0.zero_()
            self.read.weight.normal_(0, 1 / math.sqrt(n))
            self.read.bias.zero_()
        self.rnn.bias_hh_l0.requires_grad_(False)

    def forward(self, x):  # (B, T, d) -> (B, T, o)
        h, _ = self.rnn(x)
        return self.read(h)


def bench_rnn(spec, steps, repeats, device):
    """Steps/s of SGD on the squared error for `spec`, on fresh inputs and targets made on the device."""
    s = spec
    model = Rnn(s).to(device)
    trainable = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.SGD(trainable, lr=s["lr"])
    B, T, d, o = s["batch"], s["steps"], s["inputSize"], s["outputSize"]

    def loss():
        x = torch.randint(0, 2, (B, T, d), device=device).float()
        return ((model(x) - torch.randn(B, T, o, device=device)) ** 2).mean()

    block = training_block(opt, loss, device)
    return steps_per_second(block, trainable, steps, repeats, device)


def main():
    p = reference_parser()
    a = p.parse_args()
    if a.device == "cuda" and cuda_missing():
        print(json.dumps({"skipped": cuda_missing()}))
        return
    device = setup(a.device, a.threads)
    spec = {"inputSize": 1, "steps": 100, "width": 64, "outputSize": 1, "batch": 50, "lr": 0.01}
    print(json.dumps({**describe(device), "spec": spec, **bench_rnn(spec, a.steps, a.repeats, device)}))


if __name__ == "__main__":
    main()
