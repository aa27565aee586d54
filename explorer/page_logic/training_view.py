"""What the /training page shows, worked out without Streamlit: run labels, number
formats, the dataset note, the landscape's square and the ids that tie the views together.

The page modules (``explorer/pages/training_*.py``) only lay these out.
"""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np

from explorer.datasets import DATASETS
from explorer.i18n import _
from explorer.page_logic.training_run import (
    MAX_CUSTOM_CLASSES,
    MAX_CUSTOM_ROWS,
    DataSettings,
    TrainSettings,
)
from explorer.settings import specs
from explorer.settings.setting import Setting


def csv_hash(text: str | None) -> str:
    """A short key for the learner's CSV (empty without one), for the caches."""
    return hashlib.sha256(text.encode()).hexdigest()[:16] if text else ""


def run_label(settings: TrainSettings) -> str:
    """A run's name in legends and messages, e.g. ``"gd, lr 0.5"``."""
    return f"{settings.optimizer}, lr {settings.lr:g}"


def run_labels(settings) -> list[str]:
    """The names of the runs shown together: the second (compare mode) marked "(2nd)"."""
    return [_("{run} (2nd)").format(run=run_label(each)) if index else run_label(each)
            for index, each in enumerate(settings)]


def class_names(classes: int, names=None) -> list[str]:
    """What the page calls each class: the learner's own names (read from their CSV) where
    given, else ``class k``.

    Parameters
    ----------
    classes : int
        K, the number of classes.
    names : sequence of str, optional
        ``names[k]`` for class k; classes beyond it (added in the table) get ``class k``.
    """
    names = tuple(names or ())
    return [names[k] if k < len(names) else _("class {index}").format(index=k)
            for k in range(classes)]


def class_key(names) -> str:
    """The class numbers with their names, for controls and charts that show numbers:
    ``"class 0 = cat, class 1 = dog"``."""
    return ", ".join(_("class {index} = {name}").format(index=k, name=name)
                     for k, name in enumerate(names))


def named_table(table: dict, names) -> dict:
    """The per-example table with the classes named: the true and predicted class as
    names, and the score and probability columns ``s{k}``, ``p{k}`` as ``s(name)``,
    ``p(name)``.

    Parameters
    ----------
    table : dict of str to ndarray, each shape (rows,)
        As ``explorer.training_run.example_table`` returns it.
    names : sequence of str
        ``names[k]`` for class k.
    """
    named = {}
    for column, values in table.items():
        if column in ("y", "predicted"):
            named[column] = [names[int(k)] for k in values]
        elif column[:1] in ("s", "p") and column[1:].isdigit():
            named[f"{column[0]}({names[int(column[1:])]})"] = values
        else:
            named[column] = values
    return named


def upload_help() -> str:
    """The upload's help text, with the page's limits."""
    return _("One point per line; labels are class numbers 0..{last} or class names (cat, "
             "dog, ...); at most {rows} rows.").format(last=MAX_CUSTOM_CLASSES - 1,
                                                       rows=f"{MAX_CUSTOM_ROWS:,}")


def format_loss(value: float) -> str:
    """Six decimals, or six significant digits when that would be too wide."""
    return f"{value:.6f}" if abs(value) < 1e4 else f"{value:.6g}"


def dataset_note(dataset: str, features: str) -> str:
    """One caption under the data controls: the dataset, and a hint about features."""
    if dataset == "custom":
        text = _("Your own points: upload a CSV or edit the table of your points.")
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


def run_context(data_settings: DataSettings, custom_hash: str,
                settings: tuple[TrainSettings, ...]) -> str:
    """An id of what the runs shown together share except their learning rates: the
    browser keeps runs by (context, run, learning rate), see explorer/pages/training_nearby.py."""
    without_rates = tuple(dataclasses.replace(each, lr=0.0) for each in settings)
    return trajectory_id(data_settings, custom_hash, without_rates)


def classes_setting(dataset: str, custom_classes: int | None) -> Setting:
    """The ``classes`` control restricted to what the dataset allows.

    A dataset with a fixed number of classes (xor, moons: 2; custom data: its own K)
    gets a one-choice control, so Streamlit itself rejects any other URL value.
    """
    if dataset == "custom":
        return fixed_classes(custom_classes)
    spec = DATASETS[dataset]
    if spec.min_classes == spec.max_classes:
        return fixed_classes(spec.min_classes)
    return specs.CLASSES.with_range(spec.min_classes, spec.max_classes)


def fixed_classes(k: int) -> Setting:
    """A one-choice ``classes`` control (a slider cannot have min == max)."""
    return dataclasses.replace(specs.CLASSES, kind="select", options=(k,), default=k)
