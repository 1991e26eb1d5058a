"""Shared by the PyTorch reference scripts: device setup, clocks that wait for the device, stats.

fp32 throughout; on CUDA, TF32 is turned off (matmuls and convolutions in full fp32, as the
issue's reference figures were taken) and every clock read is preceded by
torch.cuda.synchronize(), so a sample is the time the device took, not the launch time.
"""
import argparse
import ctypes
import os
import statistics
import time

import torch


def cuda_missing():
    """Why CUDA cannot be used here (a sentence), or None when it can."""
    if torch.version.cuda is None:
        return f"torch {torch.__version__} is a CPU-only build (torch.version.cuda is None)"
    if not torch.cuda.is_available():
        return f"torch {torch.__version__} (CUDA {torch.version.cuda}) sees no CUDA device (torch.cuda.is_available() is False)"
    return None


def setup(device_name, threads):
    """The torch.device to run on, with fixed seeds, `threads` CPU threads and TF32 off."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    torch.autograd.set_detect_anomaly(False)
    if device_name == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    return torch.device(device_name)


def blas_library():
    """Which BLAS Debian's alternatives point libblas.so.3 at (reference BLAS or OpenBLAS).

    Debian's python3-torch is built with BLAS_INFO=generic: its CPU matrix products call whatever
    libblas.so.3 is installed. With only libblas3 (the reference BLAS) they run ~25x slower than
    with libopenblas0-pthread, so the report names it.
    """
    try:
        return os.path.realpath("/etc/alternatives/libblas.so.3-x86_64-linux-gnu")
    except OSError:
        return "unknown"


def set_blas_threads(n):
    """Sets the threads OpenBLAS runs its products on, now (openblas_set_num_threads on the
    libblas.so.3 torch loaded: dlopen hands back the loaded library). False where the BLAS is not
    OpenBLAS, which has no such call."""
    try:
        lib = ctypes.CDLL(blas_library())
        lib.openblas_set_num_threads(int(n))
        return True
    except (OSError, AttributeError):
        return False


def blas_threads():
    """The threads OpenBLAS runs its products on: OPENBLAS_NUM_THREADS (else OMP_NUM_THREADS) as
    it read them at load, else its default, every core this process may run on (its affinity:
    one under `taskset -c 1`, as OpenBLAS counts them). torch.set_num_threads does not reach a
    BLAS that Debian's generic torch build calls, so "one torch thread" alone does not say it."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "")
        if value.isdigit() and int(value) > 0:
            return int(value)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def describe(device):
    """Versions and the device's name (on the CPU, the BLAS), for the report."""
    out = {"torch": torch.__version__, "device": device.type, "threads": torch.get_num_threads()}
    if device.type == "cpu":
        out["blas"] = blas_library()
        out["blasThreads"] = blas_threads()
    if device.type == "cuda":
        out.update(
            {
                "deviceName": torch.cuda.get_device_name(device),
                "cuda": torch.version.cuda,
                "cudnn": torch.backends.cudnn.version(),
                "tf32": torch.backends.cuda.matmul.allow_tf32 or torch.backends.cudnn.allow_tf32,
            }
        )
    return out


def sync(device):
    """Waits until the device has finished everything queued (a no-op on the CPU)."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def timed(fn, repeats, device):
    """Seconds of each of `repeats` calls of fn(), the device drained before each clock read."""
    samples = []
    for _ in range(repeats):
        sync(device)
        t0 = time.perf_counter()
        fn()
        sync(device)
        samples.append(time.perf_counter() - t0)
    return samples


def stats(values):
    """Median, extremes and the samples in the order measured (the shape our `Stats` has)."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "samples": values}


def fastest_blas_threads(block, steps, device):
    """On the CPU, the OpenBLAS thread count (1, or the count it started with) under which `block`
    runs faster, left set; as ours times its step with and without its second thread and keeps
    the faster. Small products lose more to OpenBLAS's thread hand-offs than a second core gives
    them (the parity model ran 2.3-2.8x faster on 1 thread than on 2 here). None where the BLAS
    is not OpenBLAS or has one thread anyway."""
    candidates = sorted({1, blas_threads()})
    if len(candidates) == 1 or not set_blas_threads(1):
        return None
    best = None
    for n in candidates:
        set_blas_threads(n)
        block(steps)  # the pool's threads start or settle
        seconds = min(timed(lambda: block(steps), 2, device))
        if best is None or seconds < best[1]:
            best = (n, seconds)
    set_blas_threads(best[0])
    return best[0]


def steps_per_second(block, params, steps, repeats, device):
    """A warm-up of blocks of `min(steps, 3)` until a second has passed, at least one (allocator,
    cuDNN's choice of algorithm, lazy kernel loading), as our side warms up; then the steps/s of
    `block(steps)` over `repeats` timed blocks, with the parameter count of `params`. On the CPU
    the blocks run on the faster OpenBLAS thread count (fastest_blas_threads, trial blocks of
    `steps` steps), reported as blasThreads; the count it started with is set back after."""
    t0 = time.perf_counter()
    while True:
        block(min(steps, 3))
        sync(device)
        if time.perf_counter() - t0 >= 1.0:
            break
    count = sum(p.numel() for p in params)
    rates = rates_on_fastest_blas(block, steps, repeats, device)
    threads = rates.pop("blasThreads", None)
    out = {"paramCount": count, "stepsPerSecond": rates}
    if threads is not None:
        out["blasThreads"] = threads
    return out


def rates_on_fastest_blas(block, steps, repeats, device):
    """Steps/s of `repeats` timed blocks of `steps` (stats), on the CPU on the faster OpenBLAS
    thread count (fastest_blas_threads), reported as blasThreads; the count OpenBLAS started with
    is set back after, so the next model chooses from the same pool."""
    threads = fastest_blas_threads(block, steps, device) if device.type == "cpu" else None
    out = stats([steps / t for t in timed(lambda: block(steps), repeats, device)])
    if threads is not None:
        out["blasThreads"] = threads
        set_blas_threads(blas_threads())
    return out


def reference_parser(steps=20, repeats=3):
    """The flags every reference script run on its own takes: --device, --threads, --steps, --repeats."""
    p = argparse.ArgumentParser()
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=steps)
    p.add_argument("--repeats", type=int, default=repeats)
    return p


def training_block(opt, loss_of, device):
    """block(count): `count` steps of `opt` on `loss_of()` (which draws its own batch), the losses
    summed on the device and read once at the end (as our loop reads them)."""

    def block(count):
        total = torch.zeros((), device=device)
        for _ in range(count):
            loss = loss_of()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.detach()
        total.item()

    return block
