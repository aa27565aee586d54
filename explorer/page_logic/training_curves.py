"""Loss and accuracy at every iterate of a trajectory at once, in bounded memory.

The learning curves of /training (and the trajectory download) evaluate T iterates on N
points: done per class and in chunks of at most ``CHUNK_ELEMENTS`` numbers, so neither
time nor memory grows with a (T, N, K) array.

Shapes: ``Ws`` (T, D, K), ``bs`` (T, K), features ``F`` (N, D), labels ``y`` (N,).
"""

from __future__ import annotations

import numpy as np

#: Elements per temporary when evaluating every step at once (bounds memory).
CHUNK_ELEMENTS = 2_000_000


def class_scores(Ws, bs, F) -> list[np.ndarray]:
    """Scores of every point at every iterate, one array per class.

    One array per class (rather than one (T, N, K) array) keeps every reduction over
    the classes elementwise: numpy is several times slower reducing a short last axis.

    Parameters
    ----------
    Ws : ndarray, shape (T, D, K)
    bs : ndarray, shape (T, K)
    F : ndarray, shape (N, D)

    Returns
    -------
    list of K ndarrays, each shape (T, N)
        Entry k holds ``s_k = F @ W[t][:, k] + b[t][k]``.
    """
    # Contiguous operands let matmul use BLAS; with a short inner dimension (D = 2) and
    # strided views numpy falls back to a loop about 10x slower.
    FT = np.ascontiguousarray(F.T)
    return [np.ascontiguousarray(Ws[:, :, k]) @ FT + bs[:, k : k + 1] for k in range(Ws.shape[2])]


def _summaries(scores: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Top score, log-sum-exp and arg-max over the classes of per-class score arrays.

    :func:`explorer.numerics.logsumexp` on a stacked (T, N, K) array would reduce the short
    last axis, several times slower; here the same shifted sum runs class by class and
    shares its maximum with the arg-max.
    """
    top = scores[0].copy()
    for s in scores[1:]:
        np.maximum(top, s, out=top)
    total = np.zeros_like(top)
    work = np.empty_like(top)
    for s in scores:
        # Shifting by the top score keeps exp() finite.
        np.subtract(s, top, out=work)
        total += np.exp(work, out=work)
    # The first class reaching the top score, as np.argmax picks it.
    best = np.zeros(top.shape, dtype=np.int64)
    for k in range(len(scores) - 1, -1, -1):
        best[scores[k] == top] = k
    return top, top + np.log(total), best


def curves(Ws, bs, F, y, reg: float) -> tuple[np.ndarray, np.ndarray]:
    """Regularised loss and accuracy on ``(F, y)`` at every iterate, evaluated in chunks.

    Returns
    -------
    loss : ndarray, shape (T,)
        ``mean_n(logsumexp(s_n) - s_n[y_n]) + 0.5 * reg * sum(W**2)``; empty when N = 0.
    accuracy : ndarray, shape (T,)
    """
    t, _, k = Ws.shape
    n = F.shape[0]
    if n == 0:
        return np.empty(0), np.empty(0)
    loss = np.empty(t)
    accuracy = np.empty(t)
    chunk = max(1, CHUNK_ELEMENTS // (n * k))
    masks = [y == c for c in range(k)]
    for start in range(0, t, chunk):
        stop = min(t, start + chunk)
        scores = class_scores(Ws[start:stop], bs[start:stop], F)
        _, lse, best = _summaries(scores)
        true_scores = np.zeros_like(lse)
        for c in range(k):
            true_scores += np.where(masks[c], scores[c], 0.0)
        loss[start:stop] = (lse - true_scores).mean(axis=1)
        accuracy[start:stop] = (best == y).mean(axis=1)
    if reg:
        loss += 0.5 * reg * np.einsum("tdk,tdk->t", Ws, Ws)
    return loss, accuracy
