"""The /training player's data: the trajectory of every run, packed into one binary blob.

The browser draws every step from the weights (regions, boundaries, the loss curve and
its marker), so the server sends the trajectory instead of pictures. A Streamlit
component accepts raw bytes (no base64), so the payload is::

    uint32 little-endian  header length H
    H bytes               header: UTF-8 JSON (sizes, labels, the arrays' table)
    padding               to a multiple of 8
    arrays                each at a multiple of 8, little-endian, C order

The header's ``arrays`` maps a name to ``[offset, dtype, count]`` (dtype one of
``f8 f4 u2 u1``). What is exact and what is rounded:

- ``W{r}`` (S+1, D, K) and ``b{r}`` (S+1, K) of run r: float32 (drawing needs 7 digits);
- ``loss{r}`` (S+1,): float32, the training loss of ``train`` rounded for drawing (the
  page prints the exact final loss beside the player);
- ``curve_steps{r}`` uint16 and ``test_loss{r}``, ``train_acc{r}``, ``test_acc{r}``
  float32 at those steps;
- in :func:`points_payload` (the engine component's data, which changes only with the
  points): ``train_xy``/``test_xy`` as uint16 fractions of the plane's bounds (1/65535
  of its width, far below a pixel), labels ``train_y``/``test_y`` uint8;
- in :func:`nearby_payload` (the runs sent ahead, explorer/pages/training_nearby.py):
  the same per-run arrays as the player's, numbered 0, 1, ... in their own header.

:func:`decode` reads it back (tests and the benchmark use it).
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Mapping

import numpy as np

from explorer.view_labels import player_words

#: The largest value of the uint16 point coordinates.
QUANT = 65535
_DTYPES = {"f8": np.float64, "f4": np.float32, "u2": np.uint16, "u1": np.uint8}


def quantize(X, bounds) -> np.ndarray:
    """Points as uint16 fractions of the plane: shape (N, 2) -> (N, 2) uint16."""
    x_min, x_max, y_min, y_max = bounds
    low = np.array([x_min, y_min])
    width = np.array([x_max - x_min, y_max - y_min])
    fraction = np.clip((np.asarray(X, dtype=np.float64) - low) / width, 0.0, 1.0)
    return np.round(fraction * QUANT).astype(np.uint16)


def dequantize(q, bounds) -> np.ndarray:
    """The inverse of :func:`quantize` (to within half a step), shape (N, 2) float64."""
    x_min, x_max, y_min, y_max = bounds
    low = np.array([x_min, y_min])
    width = np.array([x_max - x_min, y_max - y_min])
    return low + np.asarray(q, dtype=np.float64) / QUANT * width


def encode(header: dict, arrays: dict[str, np.ndarray]) -> bytes:
    """Pack a JSON header and named arrays as described in the module docstring."""
    table, chunks, offset = {}, [], 0
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        dtype = next(code for code, kind in _DTYPES.items() if array.dtype == kind)
        raw = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        table[name] = [offset, dtype, int(array.size)]
        pad = (-len(raw)) % 8
        chunks.append(raw + b"\0" * pad)
        offset += len(raw) + pad
    text = json.dumps({**header, "arrays": table}, separators=(",", ":")).encode()
    start = 4 + len(text)
    pad = (-start) % 8
    return struct.pack("<I", len(text)) + text + b" " * pad + b"".join(chunks)


def decode(blob: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """The header and the flat arrays of a payload made by :func:`encode`."""
    (length,) = struct.unpack_from("<I", blob, 0)
    header = json.loads(blob[4 : 4 + length].decode())
    base = 4 + length + (-(4 + length)) % 8
    arrays = {}
    for name, (offset, dtype, count) in header["arrays"].items():
        kind = np.dtype(_DTYPES[dtype]).newbyteorder("<")
        arrays[name] = np.frombuffer(blob, dtype=kind, count=count, offset=base + offset)
    return header, arrays


def points_payload(data) -> bytes:
    """The points the player draws, for the engine component (they rarely change).

    Returns
    -------
    bytes
        Header ``{"id": ...}`` (a hash of the points, which the player's payload names)
        and the arrays ``train_xy``, ``train_y``, ``test_xy``, ``test_y``.
    """
    arrays = {
        "train_xy": quantize(data.X_train, data.bounds).reshape(-1, 2),
        "train_y": data.y_train.astype(np.uint8),
        "test_xy": quantize(data.X_test.reshape(-1, 2), data.bounds).reshape(-1, 2),
        "test_y": data.y_test.astype(np.uint8),
    }
    digest = hashlib.sha256()
    for array in arrays.values():
        digest.update(array.tobytes())
    return encode({"id": digest.hexdigest()[:16]}, arrays)


def points_id(points: bytes) -> str:
    """The id of a :func:`points_payload` (what the player's payload refers to)."""
    return decode(points)[0]["id"]


def run_arrays(run, index: int) -> dict[str, np.ndarray]:
    """The arrays the player draws of one run, named with the suffix ``index``.

    Returns
    -------
    dict of str to ndarray
        ``W{index}`` (S+1, D, K) and ``b{index}`` (S+1, K) float32; ``loss{index}`` (S+1,)
        float32; ``curve_steps{index}`` (C,) uint16 with ``train_acc``, ``test_loss``,
        ``test_acc`` (C,) float32 at those steps.
    """
    iterates = run.trajectory
    return {
        f"W{index}": iterates.W.astype(np.float32),
        f"b{index}": iterates.b.astype(np.float32),
        f"loss{index}": np.asarray(iterates.loss, dtype=np.float32),
        f"curve_steps{index}": run.curve_steps.astype(np.uint16),
        f"train_acc{index}": run.train_accuracy.astype(np.float32),
        f"test_loss{index}": run.test_loss.astype(np.float32),
        f"test_acc{index}": run.test_accuracy.astype(np.float32),
    }


def describe_run(run, label: str, kind: str) -> dict:
    """What the player says about one run: its name, learning rate, steps and health."""
    return {"label": label, "lr": float(run.settings.lr), "steps": int(run.steps_taken),
            "health": kind, "diverged_at": run.diverged_at}


def nearby_payload(context: str, nearby) -> bytes:
    """Runs the player may show next, sent before they are asked for.

    Parameters
    ----------
    context : str
        The ``context`` of the player payload these runs belong to.
    nearby : sequence of (int, Run, str, str)
        Per run: the index of the shown run it would replace (0, or 1 in compare mode),
        the run, its label and its health.

    Returns
    -------
    bytes
        Header ``{"context": ..., "runs": [...]}`` with ``run`` added to each run's
        :func:`describe_run`, and the arrays of :func:`run_arrays` with suffix 0, 1, ...
    """
    arrays, described = {}, []
    for index, (shown, run, label, kind) in enumerate(nearby):
        arrays.update(run_arrays(run, index))
        described.append({**describe_run(run, label, kind), "run": int(shown)})
    return encode({"context": context, "runs": described}, arrays)


def player_payload(data, runs, *, labels, health, show_test: bool, discrete: bool,
                   at: int, class_colors, run_colors, points: str, trajectory: str,
                   present: bool = False, follow: bool = False,
                   class_names=None, words: Mapping[str, str] | None = None,
                   controls=None, context: str = "") -> bytes:
    """Everything the player draws, for one or two runs on the same data.

    Parameters
    ----------
    data : explorer.page_logic.training_run.Data
    runs : list of explorer.page_logic.training_run.Run
        One or two runs (compare mode), trained on ``data``.
    labels : list of str
        A short name per run (``gd, lr 0.5``).
    health : list of str
        ``ok``, ``diverged`` or ``oscillating`` per run (see explorer.page_logic.training_health).
    show_test, discrete : bool
        The display options: test points drawn; hard regions instead of shading.
    at : int
        The step the player opens at (paused there).
    class_colors, run_colors : sequence of str
        ``#rrggbb`` per class and per run.
    points : str
        The id of the :func:`points_payload` of ``data`` (sent by the engine component).
    trajectory : str
        An id of these runs, by which the landscape view finds the trajectory.
    present : bool
        Larger text for a projector.
    follow : bool
        The page's inspect section did not run with these runs (the training section ran
        alone): the browser asks for it once the player shows them.
    class_names : sequence of str, optional
        The names of the classes, when the learner's data gave them: the player shows
        them in a legend (without them, the classes are ``class k`` and need none).
    words : mapping, optional
        Every text the player shows (:func:`explorer.view_labels.player_words`); by default
        those of the current language.
    controls : dict, optional
        The player's own controls (the learning rates): ``epoch``, ``state`` (the values
        the browser takes when the epoch is new) and ``items`` (per control its key,
        label, help, options and their texts); see explorer/pages/training_controls.py.

    Returns
    -------
    bytes
    """
    arrays = {}
    described = []
    for index, (run, label, kind) in enumerate(zip(runs, labels, health, strict=True)):
        arrays.update(run_arrays(run, index))
        described.append(describe_run(run, label, kind))
    header = {
        "version": 1, "context": context, "classes": int(data.classes), "dim": int(data.dim),
        "features": data.features, "bounds": [float(v) for v in data.bounds],
        "runs": described, "show_test": bool(show_test), "discrete": bool(discrete),
        "at": int(at), "present": bool(present), "points": points,
        "trajectory": trajectory, "follow": bool(follow),
        "class_names": list(class_names) if class_names is not None else None,
        "class_colors": list(class_colors), "run_colors": list(run_colors),
        "words": dict(player_words() if words is None else words),
        "controls": controls,
    }
    return encode(header, arrays)
