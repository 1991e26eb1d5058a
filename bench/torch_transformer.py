#!/usr/bin/env python3
"""PyTorch reference for the looped transformer and its GPT-2 baseline (`learnability bench gpu`).

The same architecture as @learnability/looped-transformer (Yang, Lee, Nowak, Papailiopoulos 2023;
docs/papers.md §5), written out in eager PyTorch:

  P = readIn(x);  Y_0 = 0;  Y_t = LN_f(blocks(Y_{t-1} + P + pos));  y_hat_t = readOut(Y_t at the x tokens)

blocks: L GPT-2 pre-LN blocks (causal multi-head attention with an additive -1e9 mask, then a
tanh-GELU MLP of width 4D), LayerNorm eps 1e-5. `layers L, loops 1` is the standard L-layer
GPT-2; `layers 1, loops b` the looped one, trained on the truncated loss: the first b - T
iterations without gradient, the loss the mean over the last T of mean((y_hat_t - y)^2). Adam
(betas 0.9, 0.999, eps 1e-8). Prompts: in-context linear regression, x_i ~ N(0, I_d),
y_i = <w, x_i>, tokens x_1, [y_1, 0...], ..., made on the device each step.

Parameters: d*D + D (read-in) + 2P*D (positions) + L*(12D^2 + 13D) + 2D (LN_f) + D + 1 (read-out),
the count ours reports (`loopedTransformerParamCount`); the script prints it.

  python3 bench/torch_transformer.py --device cuda            # paper scale, looped b=20, T=15
  python3 bench/torch_transformer.py --layers 12 --loops 1 --loss-loops 1   # the 12-layer baseline
"""
import json
import math

import torch
import torch.nn.functional as F
from torch import nn

from torch_common import cuda_missing, describe, reference_parser, setup, steps_per_second, training_block


class Block(nn.Module):
    """GPT-2's pre-LN block: x + attn(LN1(x)), then + MLP(LN2(.)). (B, T, D) -> (B, T, D)."""

    def __init__(self, D, heads):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(D, eps=1e-5), nn.LayerNorm(D, eps=1e-5)
        self.qkv, self.proj = nn.Linear(D, 3 * D), nn.Linear(D, D)
        self.fc, self.out = nn.Linear(D, 4 * D), nn.Linear(4 * D, D)

    def forward(self, x, mask):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(D, dim=2)
        # (B, T, D) -> (B, H, T, D/H)
        q, k, v = (t.view(B, T, self.heads, D // self.heads).transpose(1, 2) for t in (q, k, v))
        scores = q @ k.transpose(-2, -1) / math.sqrt(D // self.heads) + mask[:T, :T]  # (B, H, T, T)
        attended = (scores.softmax(dim=-1) @ v).transpose(1, 2).reshape(B, T, D)
        x = x + self.proj(attended)
        return x + self.out(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))


class LoopedGPT2(nn.Module):
    """Read-in, positions, L blocks looped with input injection, LN_f, read-out at the x tokens."""

    def __init__(self, dims, tokens, D, heads, layers):
        super().__init__()
        self.read_in = nn.Linear(dims, D)
        self.pos = nn.Parameter(torch.randn(tokens, D) * 0.02)
        self.blocks = nn.ModuleList(Block(D, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(D, eps=1e-5)
        self.read_out = nn.Linear(D, 1)
        self.register_buffer("mask", torch.full((tokens, tokens), -1e9).triu(1))
        # GPT-2's init inside the transformer (ours: params.ts): N(0, 0.02^2), the two residual
        # projections N(0, (0.02/sqrt(2L))^2), biases 0; read-in/out keep nn.Linear's default.
        for block in self.blocks:
            for name, p in block.named_parameters():
                if name.endswith(".weight") and not name.startswith("ln"):
                    std = 0.02 / math.sqrt(2 * layers) if name.split(".")[0] in ("proj", "out") else 0.02
                    nn.init.normal_(p, std=std)
                elif name.endswith(".bias") and not name.startswith("ln"):
                    nn.init.zeros_(p)

    def iterate(self, y, p):
        h = y + p + self.pos[: p.shape[1]]
        for block in self.blocks:
            h = block(h, self.mask)
        return self.ln_f(h)

    def readout(self, y):
        return self.read_out(y[:, ::2]).squeeze(-1)  # (B, 2P, D) -> (B, P)


def looped_loss(model, x, y, loops, loss_loops):
    """Yang et al.'s truncated loss: b - T iterations without gradient, the mean of the last T losses."""
    with torch.no_grad():
        p = model.read_in(x)
        state = torch.zeros_like(p)
        for _ in range(loops - loss_loops):
            state = model.iterate(state, p)
    p = model.read_in(x)
    total = 0.0
    for _ in range(loss_loops):
        state = model.iterate(state, p)
        total = total + ((model.readout(state) - y) ** 2).mean()
    return total / loss_loops


def prompts(batch, points, dims, device):
    """Linear-regression prompts: x (B, 2P, d) interleaving x_i and [y_i, 0, ...], y (B, P)."""
    xs = torch.randn(batch, points, dims, device=device)
    w = torch.randn(batch, dims, 1, device=device)
    ys = (xs @ w).squeeze(-1)
    tokens = torch.zeros(batch, 2 * points, dims, device=device)
    tokens[:, 0::2] = xs
    tokens[:, 1::2, 0] = ys
    return tokens, ys


def bench_transformer(spec, steps, repeats, device):
    """Steps/s of Adam on the truncated loss for `spec` (dims, points, embedSize, heads, layers, loops, lossLoops, batch, lr)."""
    s = spec
    model = LoopedGPT2(s["dims"], 2 * s["points"], s["embedSize"], s["heads"], s["layers"]).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=s["lr"], betas=(0.9, 0.999), eps=1e-8)

    def loss():
        x, y = prompts(s["batch"], s["points"], s["dims"], device)
        return looped_loss(model, x, y, s["loops"], min(s["lossLoops"], s["loops"]))

    return steps_per_second(training_block(opt, loss, device), model.parameters(), steps, repeats, device)


def main():
    p = reference_parser(steps=10)
    p.add_argument("--dims", type=int, default=20)
    p.add_argument("--points", type=int, default=41)
    p.add_argument("--embed-size", type=int, default=256)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--loops", type=int, default=20)
    p.add_argument("--loss-loops", type=int, default=15)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-4)
    a = p.parse_args()
    if a.device == "cuda" and cuda_missing():
        print(json.dumps({"skipped": cuda_missing()}))
        return
    device = setup(a.device, a.threads)
    spec = {"dims": a.dims, "points": a.points, "embedSize": a.embed_size, "heads": a.heads, "layers": a.layers, "loops": a.loops, "lossLoops": a.loss_loops, "batch": a.batch, "lr": a.lr}
    print(json.dumps({**describe(device), "spec": spec, **bench_transformer(spec, a.steps, a.repeats, device)}))


if __name__ == "__main__":
    main()
