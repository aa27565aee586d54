"""Every page's settings: one :class:`Setting` per control, grouped by page.

The one home of each control's URL key, label, default and range: the widgets, the URL
checks, the lessons (:data:`explorer.guided.page_settings.PAGE_SETTINGS`), the /training
run's dataclasses (:mod:`explorer.page_logic.training_run`) and the exported script all read them
from here. Name lists come from the library that runs them (``DATASETS``, ``OPTIMIZERS``).

Pure Python: nothing here imports streamlit.
"""

from __future__ import annotations

from explorer.datasets import DATASETS
from explorer.i18n import DEFAULT_LANGUAGE, LANGUAGES
from explorer.numerics import feature_count
from explorer.optim import OPTIMIZERS
from explorer.param_names import param_label, parameter_names
from explorer.settings.setting import Setting, log_stops

# ----------------------------------------------------------------------------------------
# Every page
PRESENT = Setting(
    "present", "Presentation mode", False, "toggle",
    help="For a projector: larger, darker chart text, the sidebar folded away, the main "
         "picture and its controls on one screen, secondary panels collapsed.",
)

LANGUAGE = Setting(
    "lang", "Language", DEFAULT_LANGUAGE, "select", options=tuple(LANGUAGES),
    help="The language of every text of the explorer; the numbers stay as they are.",
)

# ----------------------------------------------------------------------------------------
# /softmax
MAX_CLASSES = 10
DEFAULT_LOGITS = (2.0, 1.0, 0.1, -1.0, 0.5, -0.5, 1.5, -2.0, 0.0, 3.0)

SOFTMAX_K = Setting(
    "k", "Classes K", 4, "int", 2, MAX_CLASSES, 1, help="How many logits go into the softmax."
)
SOFTMAX_LOGITS = tuple(
    Setting(
        f"z{i}", f"z{i}", DEFAULT_LOGITS[i], "slider", -10.0, 10.0, 0.1,
        help=f"The logit (score) of class {i}.",
    )
    for i in range(MAX_CLASSES)
)
TEMPERATURE = Setting(
    "t", "Temperature T", 1.0, "select",
    options=(0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
             1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.0, 10.0, 15.0, 20.0),
    help="Divides every logit: T < 1 sharpens the distribution, T > 1 flattens it.",
)
SOFTMAX_TARGET = Setting(
    "y", "Target class y", 0, "int", 0, MAX_CLASSES - 1, 1,
    help="The true class, used for the cross-entropy gradient p - y.",
)
OVERFLOW_DEMO = Setting(
    "big", "Overflow demo: +1000 to every logit", False, "toggle",
    help="Adds 1000 to every logit (p does not change) and compares the textbook and the "
         "stable softmax.",
)
JACOBIAN_CELL = Setting(
    "cell", "Jacobian entry i,j", "0,1", "select",
    options=tuple(f"{i},{j}" for i in range(MAX_CLASSES) for j in range(MAX_CLASSES)),
    help="The entry J[i, j] = dp_i/dz_j whose derivation is shown.",
)

# ----------------------------------------------------------------------------------------
# /weights
WEIGHTS_MAX_CLASSES = 5
DEFAULT_WEIGHTS = ((1.0, -0.5, 0.2, 0.8, -1.0), (0.3, 1.0, -0.8, -0.6, 0.5))
DEFAULT_BIASES = (0.0, 0.2, -0.1, 0.3, -0.3)

WEIGHTS_K = Setting(
    "k", "Classes K", 3, "int", 2, WEIGHTS_MAX_CLASSES, 1, help="Number of classes."
)
EXAMPLE_X1 = Setting("x1", "x1", 1.0, "slider", -3.0, 3.0, 0.1, help="First feature of x.")
EXAMPLE_X2 = Setting("x2", "x2", 0.5, "slider", -3.0, 3.0, 0.1, help="Second feature of x.")
WEIGHTS_TARGET = Setting(
    "y", "Class of x", 0, "int", 0, WEIGHTS_MAX_CLASSES - 1, 1, help="The true class of x."
)
WEIGHT_SLIDERS = tuple(
    tuple(
        Setting(
            # W[i,k] (0-based, as on /training): feature i (x1 is row 0), class k. The URL
            # names w1_0 ... keep their 1-based feature number: links stay valid.
            f"w{row + 1}_{col}", param_label(("W", row, col)), DEFAULT_WEIGHTS[row][col],
            "slider", -3.0, 3.0, 0.1,
            help=f"{param_label(('W', row, col))}: weight from feature x{row + 1} to class {col}.",
        )
        for col in range(WEIGHTS_MAX_CLASSES)
    )
    for row in range(2)
)
BIAS_SLIDERS = tuple(
    Setting(f"b{col}", f"b{col}", DEFAULT_BIASES[col], "slider", -3.0, 3.0, 0.1,
            help=f"Bias of class {col}.")
    for col in range(WEIGHTS_MAX_CLASSES)
)
WEIGHTS_REG = Setting(
    "reg", "L2 strength reg", 0.0, "slider", 0.0, 2.0, 0.05,
    help="Adds 0.5·reg·ΣW² to the loss and reg·W to its gradient.",
)
PROB_CLASS = Setting(
    "j", "Probability p_j to differentiate", 0, "int", 0, WEIGHTS_MAX_CLASSES - 1, 1,
    help="Shows dp_j/dw_i for every class i.",
)
WEIGHTS_LR = Setting(
    "lr", "Learning rate", 0.5, "select", options=log_stops(0.01, 5.0),
    help="Step size of the 'take one gradient step' button: W -= lr·dL/dW, b -= lr·dL/db.",
)
COMMON_MISTAKE = Setting(
    "mistake", "Common mistake: treat the denominator as constant", False, "toggle",
    help="Drops the -p_j p_k x term, as if Σ exp(w_c·x) did not depend on w_k.",
)

# ----------------------------------------------------------------------------------------
# /training
#: The datasets the library draws, then the learner's own points.
DATASET_NAMES = (*DATASETS, "custom")
OPTIMIZER_NAMES = OPTIMIZERS
LEARNING_RATES = log_stops(1e-4, 10.0)

DATASET = Setting("dataset", "Dataset", "blobs", "select", options=DATASET_NAMES)
POINTS = Setting("n", "Points n", 300, "int", 20, 5000, 10, help="How many points to draw.")
CLASSES = Setting("classes", "Classes", 3, "int", 2, 6, 1, help="How many classes.")
NOISE = Setting("noise", "Noise", 0.2, "slider", 0.0, 1.0, 0.05, help="Spread of the points.")
DATA_SEED = Setting("seed", "Data seed", 0, "int", 0, 9999, 1, help="Draws another dataset.")
TEST_FRACTION = Setting(
    "test", "Test fraction", 0.25, "slider", 0.0, 0.5, 0.05,
    help="Share of the points held out to measure generalisation.",
)
FEATURES = Setting(
    "features", "Features", "raw", "select", options=("raw", "quadratic"),
    help="quadratic adds x1², x2², x1·x2 so a linear model can draw curved boundaries.",
)
FEATURE_SCALE = Setting(
    "scale", "Input scale ×", 1, "select", options=(1, 10, 100),
    help="Multiplies every point by this factor before training: the classic lesson on "
    "unscaled inputs (the largest stable learning rate shrinks by its square).",
)
SHOW_TEST = Setting(
    "showtest", "Show test points", True, "toggle",
    help="Draw the held-out points (hollow) on the decision regions.",
)
DISCRETE = Setting(
    "discrete", "Discretize output", False, "toggle",
    help="Hard regions (the predicted class only) instead of confidence shading.",
)
OPTIMIZER = Setting("optimizer", "Optimizer", "gd", "select", options=OPTIMIZER_NAMES)
LEARNING_RATE = Setting(
    "lr", "Learning rate", 0.5, "select", options=LEARNING_RATES, help="Step size."
)
STEPS = Setting("steps", "Steps", 100, "int", 1, 2000, 1, help="Number of updates.")
TRAIN_REG = Setting(
    "reg", "L2 strength reg", 0.0, "slider", 0.0, 1.0, 0.005, help="Weight decay on W."
)
BATCH = Setting(
    "batch", "Batch size", 32, "int", 1, 5000, 1, help="Mini-batch size for sgd (and others)."
)
INIT_SEED = Setting("init", "Init seed", 0, "int", 0, 9999, 1, help="Initial weights.")
COMPARE = Setting(
    "compare", "Compare", False, "toggle",
    help="Train again from the same start with another optimizer or learning rate.",
)
OPTIMIZER_B = Setting("optimizer2", "Second optimizer", "momentum", "select",
                      options=OPTIMIZER_NAMES)
LEARNING_RATE_B = Setting(
    "lr2", "Second learning rate", 0.1, "select", options=LEARNING_RATES,
    help="Step size of the second run.",
)
STEP_AT = Setting(
    "at", "Inspect step", 2000, "int", 0, 2000, 1,
    help="The model after this many steps: the landscape slice, the pulls, the table.",
)
VIEW = Setting("view", "Panel", "Landscape", "segmented",
               options=("Landscape", "Pulls", "Examples", "Downloads"))
#: Every parameter of the largest /training model: 5 inputs (quadratic features), 6 classes.
TRAINING_PARAMS = tuple(parameter_names(feature_count("quadratic"), int(CLASSES.max_value)))
LANDSCAPE_X = Setting(
    "px", "Landscape x-axis", "W[0,0]", "select", options=TRAINING_PARAMS,
    help="W[i,k]: weight from input i to class k; b[k]: bias of class k.",
)
LANDSCAPE_Y = Setting(
    "py", "Landscape y-axis", "W[1,0]", "select", options=TRAINING_PARAMS,
    help="W[i,k]: weight from input i to class k; b[k]: bias of class k.",
)
TABLE_ORDER = Setting(
    "order", "Order", "dataset order", "select",
    options=("dataset order", "highest loss first", "lowest loss first"),
    help="Sort the training points by their loss -log p_y at the inspected step.",
)
TABLE_PAGE = Setting(
    "rows", "Page", 1, "int", 1, 100, 1, help="Which page of 50 training points to show.",
)
PULL_CLASS = Setting(
    "pull", "Class whose weights are pulled", 0, "int", 0, 5, 1,
    help="Shows how every training point pulls the weights w_k of this class.",
)
#: The controls that decide the points: the fields of
#: ``explorer.page_logic.training_run.DataSettings``.
TRAINING_DATA = (DATASET, POINTS, CLASSES, NOISE, DATA_SEED, TEST_FRACTION, FEATURES,
                 FEATURE_SCALE)
#: The controls that decide one training run: the fields of ``TrainSettings``.
TRAINING_RUN = (OPTIMIZER, LEARNING_RATE, STEPS, TRAIN_REG, BATCH, INIT_SEED)

# ----------------------------------------------------------------------------------------
# /check
CHECK_N = Setting("n", "Examples N", 50, "int", 1, 500, 1)
CHECK_D = Setting("d", "Features D", 3, "int", 1, 10, 1)
CHECK_K = Setting("k", "Classes K", 4, "int", 2, 10, 1)
CHECK_SEED = Setting("seed", "Seed", 0, "int", 0, 9999, 1)
CHECK_REG = Setting("reg", "L2 strength reg", 0.1, "slider", 0.0, 2.0, 0.05)
