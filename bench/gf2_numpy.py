#!/usr/bin/env python3
"""Bit-packed numpy reference for GF(2) elimination (docs/papers.md §1 quotes n=1024 ≈ 65 ms,
n=4096 ≈ 0.95 s for bit-packed numpy).

For each n it builds a planted parity system — m = n + extra rows of uniform bits, a uniform
secret s, label = <s, x> mod 2 in column n — packed as uint64 words (column c is bit c % 64 of
word c // 64), and times solving it: forward elimination to row echelon form, then
back-substitution (Python big ints). Two methods:

  plain  one vectorised row XOR per pivot: the pivot row is XORed into every lower row that has
         the pivot bit, over only the words from the pivot's word on, in place
         (np.bitwise_xor(..., out=, where=): no gather/scatter copies).
  m4r    Method of Four Russians, as the TypeScript solver and M4RI do it: up to k pivots in
         consecutive columns (inside one word), reduced among themselves, a 2^k-row table of
         their sums built by doubling, and one gathered XOR per lower row per block.

The matrix is copied before each repeat, outside the timed region; one untimed warm-up solve
runs first. Prints one JSON document.
Usage: gf2_numpy.py [--method plain|m4r] [--extra 20] [--repeats 5] [--k 8] [--seed 0] n1 n2 ...
"""
import argparse
import json
import time

import numpy as np

ONE = np.uint64(1)


def planted_system(n, m, seed):
    rng = np.random.default_rng(seed)
    words = (n + 1 + 63) // 64
    a = rng.integers(0, 2**64, size=(m, words), dtype=np.uint64)
    last = n // 64
    a[:, last] &= np.uint64((1 << (n % 64)) - 1)  # clear bit n (the label's place)
    secret = rng.integers(0, 2, size=n)
    s_int = sum(1 << i for i in np.flatnonzero(secret).tolist())
    for i in range(m):
        row = int.from_bytes(a[i].tobytes(), "little")
        if (row & s_int).bit_count() & 1:
            a[i, last] |= ONE << np.uint64(n % 64)
    return a, secret


def eliminate_plain(a, n):
    """Row echelon form of columns < n, in place; returns the pivot columns."""
    m = a.shape[0]
    pivots = []
    r = 0
    for c in range(n):
        if r == m:
            break
        w, b = c // 64, np.uint64(c % 64)
        hit = np.flatnonzero((a[r:, w] >> b) & ONE)
        if hit.size == 0:
            continue
        p = r + int(hit[0])
        if p != r:
            a[[r, p], w:] = a[[p, r], w:]
        below = a[r + 1:, w:]
        mask = ((below[:, 0] >> b) & ONE).astype(bool)
        np.bitwise_xor(below, a[r, w:], out=below, where=mask[:, None])
        pivots.append(c)
        r += 1
    return pivots


def eliminate_m4r(a, n, k):
    """Row echelon form of columns < n with Four Russians blocks of ≤ k columns; returns pivots."""
    m = a.shape[0]
    pivots = []
    r = c = 0
    while c < n and r < m:
        w, b0 = c // 64, c % 64
        width = min(k, n - c, 64 - b0)
        mask = (1 << width) - 1
        # Pivot search on the block bits (Python ints): pm[t] = block bits of pivot row t,
        # kept reduced so that bit t is set only in pm[t] (among the block's first bits).
        pm = []
        length = 0
        while length < width:
            found = -1
            for i in range(r + length, m):
                v = (int(a[i, w]) >> b0) & mask
                for t in range(length):
                    if (v >> t) & 1:
                        v ^= pm[t]
                if (v >> length) & 1:
                    found = i
                    break
            if found < 0:
                break
            p = r + length
            if found != p:
                a[[p, found], w:] = a[[found, p], w:]
            pm = [x ^ v if (x >> length) & 1 else x for x in pm] + [v]
            length += 1
        if length == 0:
            c += 1
            continue
        # Gauss-Jordan on the pivot rows themselves (full rows), mirroring the search above,
        # so that bit t of the block is set in pivot row t only.
        block = a[r:r + length, w:]
        for t in range(length):
            hits = ((block[:, 0] >> np.uint64(b0 + t)) & ONE).astype(bool)
            hits[t] = False
            np.bitwise_xor(block, block[t], out=block, where=hits[:, None])
        # Table of all 2^length sums of pivot rows, by doubling.
        table = np.zeros((1 << length, a.shape[1] - w), dtype=np.uint64)
        for t in range(length):
            np.bitwise_xor(table[: 1 << t], block[t], out=table[1 << t: 2 << t])
        below = a[r + length:, w:]
        idx = ((below[:, 0] >> np.uint64(b0)) & np.uint64((1 << length) - 1)).astype(np.intp)
        below ^= table[idx]
        pivots.extend(range(c, c + length))
        r += length
        c += length
    return pivots


def back_substitute(a, n, pivots):
    """s with <row_t, s> = label_t for the echelon rows; free variables 0."""
    s = 0
    for t in range(len(pivots) - 1, -1, -1):
        row = int.from_bytes(a[t].tobytes(), "little")
        bit = ((row >> n) & 1) ^ ((row & s).bit_count() & 1)
        if bit:
            s |= 1 << pivots[t]
    return s


def solve(a, n, method, k):
    pivots = eliminate_m4r(a, n, k) if method == "m4r" else eliminate_plain(a, n)
    return pivots, back_substitute(a, n, pivots)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--method", choices=["plain", "m4r"], default="m4r")
    parser.add_argument("--extra", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--k", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("sizes", type=int, nargs="+")
    args = parser.parse_args()
    results = []
    for n in args.sizes:
        m = n + args.extra
        a0, secret = planted_system(n, m, args.seed + n)
        solve(a0.copy(), n, args.method, args.k)  # warm-up
        samples = []
        rank = 0
        recovered = False
        for rep in range(args.repeats):
            a = a0.copy()
            t0 = time.perf_counter()
            pivots, s = solve(a, n, args.method, args.k)
            samples.append((time.perf_counter() - t0) * 1e3)
            if rep == 0:
                rank = len(pivots)
                recovered = rank == n and all(((s >> i) & 1) == int(secret[i]) for i in range(n))
        ordered = sorted(samples)
        h = len(ordered) // 2
        median = ordered[h] if len(ordered) % 2 else (ordered[h - 1] + ordered[h]) / 2
        results.append({
            "n": n, "m": m, "method": args.method, "k": args.k if args.method == "m4r" else None,
            "rank": rank, "recovered": recovered,
            "medianMs": median, "minMs": ordered[0], "maxMs": ordered[-1], "samples": samples,
        })
    print(json.dumps({"library": "numpy", "numpy": np.__version__, "results": results}))


if __name__ == "__main__":
    main()
