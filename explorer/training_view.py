"""What the /training page shows, worked out without Streamlit: run labels, number
formats, the dataset note, the landscape's square and the ids that tie the views together.

The page modules (``explorer/pages/training_*.py``) only lay these out.
"""

from __future__ import annotations

import hashlib

import numpy as np

from explorer.datasets import DATASETS
from explorer.i18n import _
from explorer.training_run import DataSettings, TrainSettings


def csv_hash(text: str | None) -> str:
    """A short key for the learner's CSV (empty without one), for the caches."""
    return hashlib.sha256(text.encode()).hexdigest()[:16] if text else ""


def run_label(settings: TrainSettings, index: int = 0) -> str:
    """A run's name in legends and messages, e.g. ``"gd, lr 0.5"``; the second run of a
    comparison (``index`` 1) is ``"momentum, lr 0.1 (2nd)"``."""
    label = f"{settings.optimizer}, lr {settings.lr:g}"
    return _("{run} (2nd)").format(run=label) if index else label


def format_loss(value: float) -> str:
    """Six decimals, or six significant digits when that would be too wide."""
    return f"{value:.6f}" if abs(value) < 1e4 else f"{value:.6g}"


def dataset_note(dataset: str, features: str) -> str:
    """One caption under the data controls: the dataset, and a hint about features."""
    if dataset == "custom":
        text = _("Your own points: upload a CSV or edit the table below.")
    else:
        text = _(DATASETS[dataset].description)
    if features == "quadratic":
        hint = _("Quadratic features (x1², x2², x1·x2) let the boundaries curve.")
    elif dataset in ("circles", "xor"):
        hint = _("Try features = quadratic.")
    else:
        return text
    # Translators: a dataset's description, then a hint about the features.
    return _("{text} {hint}").format(text=text, hint=hint)


def path_span(paths) -> tuple[tuple[float, float], float]:
    """Centre and half-width of a square that holds every path with a margin.

    Parameters
    ----------
    paths : sequence of ndarray, each of shape (steps + 1, 2)
        The optimisers' paths in the two landscape coordinates.
    """
    points = np.concatenate(paths)
    low, high = points.min(axis=0), points.max(axis=0)
    centre = (low + high) / 2
    half = max(float(np.max(high - low)) / 2 * 1.3, 1.0)
    return (float(centre[0]), float(centre[1])), half


def trajectory_id(data_settings: DataSettings, custom_hash: str,
                  settings: tuple[TrainSettings, ...]) -> str:
    """The id by which the landscape view finds the player's trajectory of these runs."""
    text = repr((data_settings, custom_hash, settings))
    return hashlib.sha256(text.encode()).hexdigest()[:16]
