"""Kernel benchmarks: the vectorised gradient against the naive loops, PyTorch and the floor.

Everything is timed on one thread: ``python -m bench`` loads numpy with
``OPENBLAS_NUM_THREADS=1`` and PyTorch gets ``torch.set_num_threads(1)``, so neither
side borrows the other core of this 2-core machine.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from bench import goals
from bench.results import Section, judge
from explorer import landscape, loss_and_grad, loss_and_grad_naive, train
from explorer.optim import OPTIMIZERS
from explorer.timing import interleaved_best

D = 3
REG = 0.1


@dataclass(frozen=True)
class KernelConfig:
    """Sizes of one kernel run.

    Attributes
    ----------
    sizes : tuple of int
        The N values.
    classes : tuple of int
        The K values.
    naive_max_n : int
        The naive loops are timed only up to this N (they take seconds beyond it).
    repeats : int
        Rounds of the interleaved best-of timing.
    min_seconds : float
        Minimum length of one timed batch.
    train_n, train_steps : int
        Size of the training runs timed for steps per second.
    landscape_n, landscape_resolution : int
        Size of the landscape grid timed for cells per second.
    """

    sizes: tuple[int, ...] = (500, 2000, 10_000, 100_000)
    classes: tuple[int, ...] = (3, 10)
    naive_max_n: int = 10_000
    repeats: int = 5
    min_seconds: float = 0.05
    train_n: int = 5000
    train_steps: int = 200
    landscape_n: int = 5000
    landscape_resolution: int = 81


FULL = KernelConfig()
QUICK = KernelConfig(sizes=(50, 200), classes=(3,), naive_max_n=200, repeats=2,
                     min_seconds=0.005, train_n=100, train_steps=20, landscape_n=100,
                     landscape_resolution=11)


def problem(n: int, k: int, *, d: int = D, seed: int = 0):
    """A random problem: ``W`` (d, k), ``b`` (k,), ``X`` (n, d) float64 and ``y`` (n,) int64."""
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(d, k)), rng.normal(size=k), rng.normal(size=(n, d)),
            rng.integers(0, k, size=n))


def floor_kernel(W, X, n: int, k: int):
    """The unavoidable work of any gradient: one ``X @ W``, one ``exp`` over N x K, one ``X.T @ S``.

    Returns a zero-argument callable. Like any implementation it allocates its results
    (``S`` (N, K), standing in for ``P - Y``, is made once, outside the timing).
    """
    S = np.random.default_rng(1).random((n, k))

    def run():
        np.exp(X @ W)
        return X.T @ S

    return run


def torch_kernel(W, b, X, y, reg: float):
    """PyTorch autograd forward + backward of the same loss, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    Wt = torch.tensor(W, requires_grad=True)
    bt = torch.tensor(b, requires_grad=True)

    def run():
        Wt.grad = None
        bt.grad = None
        loss = torch.nn.functional.cross_entropy(Xt @ Wt + bt, yt) + 0.5 * reg * (Wt * Wt).sum()
        loss.backward()
        return loss.item(), Wt.grad, bt.grad

    return run


def max_difference(first, second) -> float:
    """Largest absolute difference between two ``(loss, dW, db)`` results."""
    return max(float(np.max(np.abs(np.asarray(a, dtype=float) - np.asarray(c, dtype=float))))
               for a, c in zip(first, second, strict=True))


def _gradient_rows(section: Section, config: KernelConfig, judged: bool) -> None:
    for k in config.classes:
        for n in config.sizes:
            W, b, X, y = problem(n, k)
            functions = {
                "vectorised": lambda W=W, b=b, X=X, y=y: loss_and_grad(W, b, X, y, REG),
                "floor": floor_kernel(W, X, n, k),
            }
            reference = loss_and_grad(W, b, X, y, REG)
            run_torch = torch_kernel(W, b, X, y, REG)
            if run_torch is not None:
                functions["torch"] = run_torch
                loss, dW, db = run_torch()
                difference = max_difference(reference, (loss, dW.numpy(), db.numpy()))
                section.check(difference < 1e-8,
                              f"torch disagrees by {difference:g} at N={n} K={k}")
            naive = n <= config.naive_max_n
            if naive:
                difference = max_difference(reference, loss_and_grad_naive(W, b, X, y, REG))
                section.check(difference < 1e-8,
                              f"naive disagrees by {difference:g} at N={n} K={k}")
                # The naive loops take ~0.1-1 s a call: fewer rounds, one call per batch.
                start = time.perf_counter()
                loss_and_grad_naive(W, b, X, y, REG)
                naive_seconds = time.perf_counter() - start
                for _ in range(max(1, config.repeats // 2)):
                    start = time.perf_counter()
                    loss_and_grad_naive(W, b, X, y, REG)
                    naive_seconds = min(naive_seconds, time.perf_counter() - start)
            best = interleaved_best(functions, repeats=config.repeats,
                                    min_seconds=config.min_seconds)
            size = f"N={n} K={k}"
            fast = best["vectorised"]
            section.add(f"loss_and_grad, {size}", fast * 1e6, "us")
            if naive:
                speedup = naive_seconds / fast
                section.add(f"naive / loss_and_grad, {size}", speedup, "x",
                            f">= {goals.NAIVE_SPEEDUP:g}x",
                            judge(speedup, at_least=goals.NAIVE_SPEEDUP, judged=judged))
            if "torch" in best:
                ratio = best["torch"] / fast
                section.add(f"torch / loss_and_grad, {size}", ratio, "x", "> 1x",
                            judge(ratio, at_least=1.0 + 1e-9, judged=judged),
                            note="torch autograd fwd+bwd, 1 thread")
            ratio = fast / best["floor"]
            at_floor_size = n == goals.FLOOR_N
            row = section.add(f"loss_and_grad / floor, {size}", ratio, "x",
                              f"<= {goals.FLOOR_RATIO:g}x" if at_floor_size else "",
                              judge(ratio, at_most=goals.FLOOR_RATIO,
                                    judged=judged and at_floor_size))
            if row.passed is False:
                section.notes.append(floor_breakdown(W, b, X, y, config))
    if config.naive_max_n < max(config.sizes):
        section.notes.append(
            f"The naive loops are timed only up to N = {config.naive_max_n:,}: they run in "
            "pure Python (about a second per call at N = 10,000, K = 10); at larger N the "
            "speed-up only grows."
        )
    section.notes.append(
        "Floor = one `X @ W`, one `np.exp` over the N x K scores and one `X.T @ S` (each "
        "allocating its result): the work any implementation of the gradient must do. "
        "Times are best-of interleaved rounds on one thread."
    )


def floor_breakdown(W, b, X, y, config: KernelConfig) -> str:
    """Where ``loss_and_grad``'s time goes beyond the floor: each floor operation timed
    alone, the argument checks alone, and the rest."""
    from explorer.losses import check_problem

    n, k = X.shape[0], W.shape[1]
    scores = X @ W
    S = np.random.default_rng(1).random((n, k))
    best = interleaved_best({
        "loss_and_grad": lambda: loss_and_grad(W, b, X, y, REG),
        "X @ W": lambda: X @ W,
        "exp": lambda: np.exp(scores),
        "X.T @ S": lambda: X.T @ S,
        "argument checks": lambda: check_problem(W, b, X, y, REG),
    }, repeats=config.repeats, min_seconds=config.min_seconds)
    floor = best["X @ W"] + best["exp"] + best["X.T @ S"]
    rest = best["loss_and_grad"] - floor - best["argument checks"]
    parts = ", ".join(f"{name} {best[name] * 1e6:.0f} us"
                      for name in ("X @ W", "exp", "X.T @ S", "argument checks"))
    return (
        f"Floor goal missed at N={n:,} K={k}: loss_and_grad takes "
        f"{best['loss_and_grad'] * 1e6:.0f} us; timed alone: {parts}. The remaining "
        f"{rest * 1e6:.0f} us go to the work beyond the floor (max-shift, row sums, log, "
        "the true-class gather and scatter, the bias gradient), each another pass over "
        "the N x K scores: fewer passes (in place, fused) is what would close the gap."
    )


def _train_rows(section: Section, config: KernelConfig) -> None:
    W, b, X, y = problem(config.train_n, 3)
    for optimizer in OPTIMIZERS:
        batch = 32 if optimizer == "sgd" else None

        def run(optimizer=optimizer, batch=batch):
            return train(X, y, W, b, optimizer=optimizer, lr=0.05, steps=config.train_steps,
                         batch_size=batch)

        trajectory = run()
        section.check(bool(np.all(np.isfinite(trajectory.loss))),
                      f"train({optimizer}) recorded a non-finite loss")
        seconds = interleaved_best({optimizer: run}, repeats=config.repeats,
                                   min_seconds=config.min_seconds)[optimizer]
        batch_note = ", batch 32" if batch else ""
        section.add(f"train {optimizer}, N={config.train_n} K=3{batch_note}",
                    config.train_steps / seconds, "steps/s")


def _landscape_row(section: Section, config: KernelConfig) -> None:
    W, b, X, y = problem(config.landscape_n, 3, d=2)
    resolution = config.landscape_resolution

    def run():
        return landscape(W, b, X, y, resolution=resolution)

    grid = run()
    section.check(grid.loss.shape == (resolution, resolution)
                  and bool(np.all(np.isfinite(grid.loss))), "landscape gave a bad grid")
    seconds = interleaved_best({"landscape": run}, repeats=config.repeats,
                               min_seconds=config.min_seconds)["landscape"]
    section.add(f"landscape {resolution}x{resolution}, N={config.landscape_n} K=3",
                resolution * resolution / seconds, "cells/s",
                note=f"{seconds * 1000:.1f} ms per grid")


def run(quick: bool = False) -> Section:
    """Time the kernels; in quick mode on tiny sizes and without judging the times."""
    config = QUICK if quick else FULL
    section = Section("Kernels")
    _gradient_rows(section, config, judged=not quick)
    _train_rows(section, config)
    _landscape_row(section, config)
    return section
