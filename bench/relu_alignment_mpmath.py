#!/usr/bin/env python3
"""Reference values for reluParityAlignment (packages/tasks/inal/src/inal/relu-alignment.ts),
from the same finite sum in 80-digit mpmath arithmetic (60 digits for n = 4096):

  E[c^2] = 2^-n  sum_m  C(n,m) K_k(m; n) / C(n,k)  kappa(1 - 2m/n),
  kappa(rho) = v/(2 pi) (sin t + (pi - t) cos t),  cos t = (rho + s2)/v,  v = 1 + s2.

  /usr/bin/python3 bench/relu_alignment_mpmath.py      (about 30 s)
"""
import mpmath as mp


def kappa(rho, s2):
    v = 1 + s2
    c = max(mp.mpf(-1), min(mp.mpf(1), (rho + s2) / v))
    t = mp.acos(c)
    return v / (2 * mp.pi) * (mp.sin(t) + (mp.pi - t) * c)


def alignment(n, k, s2):
    total = mp.mpf(0)
    for m in range(n + 1):
        K = sum((-1) ** j * mp.binomial(m, j) * mp.binomial(n - m, k - j) for j in range(k + 1))
        total += mp.binomial(n, m) * K / mp.binomial(n, k) * kappa(1 - mp.mpf(2 * m) / n, s2)
    return total / mp.mpf(2) ** n


for n, k, s2 in [(64, 64, 0), (64, 64, mp.mpf(1) / 64), (64, 64, 1), (4096, 3, 1), (4096, 3, mp.mpf(1) / 4096)]:
    mp.mp.dps = 60 if n == 4096 else 80
    print(f"n={n} k={k} s2={mp.nstr(mp.mpf(s2), 6)}: {mp.nstr(alignment(n, k, mp.mpf(s2)), 15)}")
