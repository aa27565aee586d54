"""The softmax gradient explorer: a pure-numpy library of the quantities the app shows.

Everything importable from here is numpy-only; the Streamlit pages live in
``explorer.pages`` and are the only modules that call ``st.*``.
"""

from explorer.datasets import DATASETS, add_quadratic_features, make_dataset, train_test_split
from explorer.gradcheck import numerical_gradient, relative_error
from explorer.landscape import landscape
from explorer.losses import (
    cross_entropy,
    cross_entropy_grad,
    loss_and_grad,
    loss_and_grad_naive,
    loss_and_grad_textbook,
    one_hot,
)
from explorer.optim import OPTIMIZERS, Trajectory, train
from explorer.points_csv import parse_points, read_points
from explorer.probability_grad import probability_weight_grad, probability_weight_grad_wrong
from explorer.softmax import log_softmax, softmax, softmax_jacobian, softmax_naive

__all__ = [
    "DATASETS",
    "OPTIMIZERS",
    "Trajectory",
    "add_quadratic_features",
    "cross_entropy",
    "cross_entropy_grad",
    "landscape",
    "log_softmax",
    "loss_and_grad",
    "loss_and_grad_naive",
    "loss_and_grad_textbook",
    "make_dataset",
    "numerical_gradient",
    "one_hot",
    "parse_points",
    "probability_weight_grad",
    "probability_weight_grad_wrong",
    "read_points",
    "relative_error",
    "softmax",
    "softmax_jacobian",
    "softmax_naive",
    "train",
    "train_test_split",
]
