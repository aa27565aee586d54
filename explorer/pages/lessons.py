"""The lessons of the explorer: one entry per page, shared by the navigation and the home cards.

Pure Python (no streamlit), so tests and the home page read the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer.i18n import N_


@dataclass(frozen=True)
class Lesson:
    """A page of the explorer.

    Attributes
    ----------
    script : str
        Path of the page script, relative to the repository root.
    url_path : str
        The page's own path (``/softmax``).
    title, icon : str
        Shown in the navigation and on the home card (the title is an English message,
        translated where it is shown).
    lesson : str
        The one-line lesson of the home card (an English message, likewise).
    """

    script: str
    url_path: str
    title: str
    icon: str
    lesson: str


LESSONS = (
    Lesson(
        "explorer/pages/softmax_page.py", "softmax", N_("Softmax & its Jacobian"),
        ":material/bar_chart:",
        N_("Move the logits and the temperature; watch the probabilities, the Jacobian "
           "dp_i/dz_j and the gradient p − y change together."),
    ),
    Lesson(
        "explorer/pages/weights_page.py", "weights", N_("Gradients of the weights"),
        ":material/tune:",
        N_("One example, a linear classifier: see dL/dW = x (p − y)ᵀ + reg·W, and why "
           "forgetting the softmax denominator breaks the gradient check."),
    ),
    Lesson(
        "explorer/pages/training_page.py", "training", N_("Training by gradient descent"),
        ":material/trending_down:",
        N_("Train a softmax classifier on 2D data: decision regions, loss curves and the "
           "optimiser's path over the loss landscape."),
    ),
    Lesson(
        "explorer/pages/check_page.py", "check", N_("Gradient check"), ":material/fact_check:",
        N_("Naive loops, vectorised numpy and central differences must agree: compare "
           "them, time them and read the code that runs."),
    ),
)
