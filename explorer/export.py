"""Downloads of the /training page: the trajectory and the data as CSV, and a script.

:func:`reproduce_script` writes a standalone, numpy-only Python program that embeds the
training and test points (every float written with all its digits, so they read back
bit for bit), the initial weights and the exact update rule of the chosen optimizer, and
prints the final training loss. Its arithmetic follows ``explorer.losses`` and
``explorer.optim`` operation for operation, so it reproduces the page's run exactly.

Pure Python and numpy: nothing here imports streamlit.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from explorer.landscape import param_label
from explorer.optim import DIVERGENCE_FACTOR, RMSPROP_ALPHA
from explorer.training_run import Data, DataSettings, Run, TrainSettings, curves


def _number(value: float) -> str:
    """The shortest text that reads back as exactly ``value``."""
    return repr(float(value))


def points_csv(X, y) -> str:
    """``x1,x2,label`` rows (with that header) that :func:`explorer.parse_points` reads back.

    Parameters
    ----------
    X : array_like, shape (N, 2)
    y : array_like, shape (N,)
    """
    X = np.asarray(X, dtype=np.float64)
    lines = ["x1,x2,label"]
    lines.extend(
        f"{_number(x1)},{_number(x2)},{int(label)}"
        for (x1, x2), label in zip(X.tolist(), np.asarray(y).tolist(), strict=True)
    )
    return "\n".join(lines) + "\n"


def dataset_csv(data: Data) -> str:
    """Every point of the dataset, in dataset order, as re-uploadable CSV."""
    return points_csv(data.X, data.y)


def parameter_names(dim: int, classes: int) -> list[str]:
    """``W[0,0] .. W[D-1,K-1]`` (row by row) then ``b[0] .. b[K-1]``."""
    names = [param_label(("W", row, col)) for row in range(dim) for col in range(classes)]
    return names + [param_label(("b", k)) for k in range(classes)]


def trajectory_csv(data: Data, run: Run) -> str:
    """One row per iterate: step, train/test loss and accuracy, and every parameter.

    The test columns are empty when there is no test split. Names like ``W[0,1]`` hold a
    comma, so the header is quoted by the csv module where needed.
    """
    traj = run.trajectory
    _, train_accuracy = curves(traj.W, traj.b, data.F_train, data.y_train, 0.0)
    test_loss, test_accuracy = curves(traj.W, traj.b, data.F_test, data.y_test,
                                      run.settings.reg)
    dim, classes = traj.W.shape[1], traj.W.shape[2]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["step", "train_loss", "test_loss", "train_accuracy", "test_accuracy",
                     *parameter_names(dim, classes)])
    flat_W = traj.W.reshape(traj.W.shape[0], -1)
    for step in range(traj.W.shape[0]):
        test = ((_number(test_loss[step]), _number(test_accuracy[step]))
                if test_loss.size else ("", ""))
        writer.writerow([
            step, _number(traj.loss[step]), test[0], _number(train_accuracy[step]), test[1],
            *(_number(v) for v in flat_W[step]), *(_number(v) for v in traj.b[step]),
        ])
    return buffer.getvalue()


def _array_literal(array: np.ndarray) -> str:
    """A Python literal of nested lists that reads back as exactly ``array``."""
    if array.ndim == 1:
        return "[" + ", ".join(_number(v) for v in array) + "]"
    return "[\n    " + ",\n    ".join(_array_literal(row) for row in array) + ",\n]"


_UPDATES = {
    "gd": '''\
def make_update(shape):
    """Gradient descent: theta <- theta - lr * g."""

    def update(theta, g, t):
        theta -= LR * g

    return update
''',
    "momentum": '''\
MOMENTUM = 0.9


def make_update(shape):
    """Momentum (as torch.optim.SGD): v = mu*v + g (v starts at g), theta <- theta - lr*v."""
    velocity = np.zeros(shape)

    def update(theta, g, t):
        if t == 1:
            velocity[...] = g
        else:
            np.multiply(velocity, MOMENTUM, out=velocity)
            np.add(velocity, g, out=velocity)
        theta -= LR * velocity

    return update
''',
    "nesterov": '''\
MOMENTUM = 0.9


def make_update(shape):
    """Nesterov (as torch.optim.SGD): v = mu*v + g (v starts at g), theta -= lr*(g + mu*v)."""
    velocity = np.zeros(shape)

    def update(theta, g, t):
        if t == 1:
            velocity[...] = g
        else:
            np.multiply(velocity, MOMENTUM, out=velocity)
            np.add(velocity, g, out=velocity)
        theta -= LR * (g + MOMENTUM * velocity)

    return update
''',
    "adam": '''\
BETA1, BETA2, EPS = 0.9, 0.999, 1e-8


def make_update(shape):
    """Adam (as torch.optim.Adam), bias-corrected first and second moments."""
    first = np.zeros(shape)
    second = np.zeros(shape)

    def update(theta, g, t):
        first[...] = BETA1 * first + (1.0 - BETA1) * g
        second[...] = BETA2 * second + (1.0 - BETA2) * (g * g)
        m_hat = first / (1.0 - BETA1**t)
        s_hat = second / (1.0 - BETA2**t)
        theta -= LR * m_hat / (np.sqrt(s_hat) + EPS)

    return update
''',
    "rmsprop": f'''\
ALPHA, EPS = {RMSPROP_ALPHA!r}, 1e-8


def make_update(shape):
    """RMSprop (as torch.optim.RMSprop): s = a*s + (1-a)*g*g, theta -= lr*g/(sqrt(s)+eps)."""
    square_avg = np.zeros(shape)

    def update(theta, g, t):
        square_avg[...] = ALPHA * square_avg + (1.0 - ALPHA) * (g * g)
        theta -= LR * g / (np.sqrt(square_avg) + EPS)

    return update
''',
}
_UPDATES["sgd"] = _UPDATES["gd"].replace(
    "Gradient descent: theta <- theta - lr * g.",
    "Stochastic gradient descent: theta <- theta - lr * g, g from a mini-batch.",
)

_TEMPLATE = '''\
"""Reproduce a training run of the softmax gradient explorer (/training), with numpy only.

Settings: {settings}
Run it with `python {filename}`: it prints the final training loss, the number the page
shows as "final train loss". The arithmetic follows the explorer's library operation
for operation, so on the same numpy the result agrees to (nearly) the last digit.
"""

import numpy as np

# The points exactly as the page used them: x1, x2, label (every digit kept).
TRAIN_CSV = """\\
{train_csv}"""
TEST_CSV = """\\
{test_csv}"""

FEATURES = {features!r}  # "raw": (x1, x2); "quadratic": (x1, x2, x1^2, x2^2, x1*x2)
OPTIMIZER = {optimizer!r}
LR = {lr}
STEPS = {steps}
REG = {reg}  # L2 strength: the loss adds 0.5 * REG * sum(W**2); the bias is not regularised
BATCH_SIZE = {batch}  # None: every step uses all the training points
SEED = {seed}  # seeds the order of the mini-batches
DIVERGENCE_FACTOR = {divergence!r}  # stop when the loss exceeds this times max(initial loss, 1)

# The starting point the page drew: weights W0 (D, K) and bias b0 (K,).
W0 = np.array({W0})
b0 = np.array({b0})


def read_points(text):
    """Points (N, 2) and labels (N,) from CSV text with an x1,x2,label header."""
    rows = [[float(v) for v in line.split(",")] for line in text.splitlines()[1:] if line]
    table = np.array(rows, dtype=np.float64).reshape(-1, 3)
    return np.ascontiguousarray(table[:, :2]), table[:, 2].astype(np.int64)


def features(X):
    """The model's inputs: the points, with their quadratic terms if FEATURES says so."""
    if FEATURES == "raw":
        return np.ascontiguousarray(X)
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([x1, x2, x1 * x1, x2 * x2, x1 * x2])


def loss_and_grad(W, b, X, y, reg):
    """Mean cross-entropy of softmax(X @ W + b) plus 0.5*reg*sum(W**2), and dW, db.

    The scores are kept transposed, (K, N), as the explorer's library keeps them.
    """
    n = X.shape[0]
    scores = W.T @ X.T
    scores += b[:, None]
    scores -= scores.max(axis=0)  # shifting each example's scores keeps exp() finite
    true_class = np.multiply(y, n, dtype=np.intp)
    true_class += np.arange(n)  # flat positions of scores[y[i], i]
    flat = scores.reshape(-1)
    true_scores = flat.take(true_class)
    exps = np.exp(scores, out=scores)
    sums = exps.sum(axis=0)
    loss = float(np.log(sums).sum() - true_scores.sum()) / n
    grad_scores = exps  # becomes (P - Y)^T / N, in place
    grad_scores *= 1.0 / (n * sums)
    flat[true_class] -= 1.0 / n
    dW = X.T @ grad_scores.T
    db = grad_scores.sum(axis=1)
    if reg:
        dW += reg * W
        loss += 0.5 * reg * float(np.sum(W * W))
    return loss, dW, db


def full_loss(W, b, X, y, reg):
    """The loss alone (used after mini-batch steps, which need the full-data loss)."""
    n = X.shape[0]
    scores = W.T @ X.T
    scores += b[:, None]
    true_scores = scores.reshape(-1).take(y * n + np.arange(n))
    top = scores.max(axis=0)
    scores -= top  # shifting each example's scores keeps exp() finite
    log_sums = np.log(np.exp(scores, out=scores).sum(axis=0))
    loss = float((log_sums.sum() + top.sum() - true_scores.sum()) / n)
    if reg:
        loss += 0.5 * reg * float(np.sum(W * W))
    return loss


def batches(n, batch_size, seed):
    """Index arrays: a fresh permutation of the N points per epoch, cut in order."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            yield order[start : start + batch_size]


{update}

def train(X, y):
    """Run the optimizer from (W0, b0); return the losses and the step that diverged."""
    n, d = X.shape
    k = W0.shape[1]
    theta = np.empty((d + 1, k))  # W in rows 0..d-1, b in row d: one array to update
    theta[:d] = W0
    theta[d] = b0
    W, b = theta[:d], theta[d]
    grad = np.empty_like(theta)
    update = make_update(theta.shape)
    full_batch = OPTIMIZER == "gd" or BATCH_SIZE is None or BATCH_SIZE >= n
    order = None if full_batch else batches(n, BATCH_SIZE, SEED)
    losses, diverged_at = [], None
    with np.errstate(all="ignore"):
        loss, dW, db = loss_and_grad(W, b, X, y, REG)
        losses.append(loss)
        limit = DIVERGENCE_FACTOR * max(loss, 1.0)
        for t in range(1, STEPS + 1):
            if order is not None:
                idx = next(order)
                _, dW, db = loss_and_grad(W, b, X[idx], y[idx], REG)
            grad[:d] = dW
            grad[d] = db
            update(theta, grad, t)
            if not np.isfinite(theta).all():
                diverged_at = t
                break
            if order is None:
                loss, dW, db = loss_and_grad(W, b, X, y, REG)
            else:
                loss = full_loss(W, b, X, y, REG)
            if not loss <= limit:
                diverged_at = t
                break
            losses.append(loss)
    return losses, diverged_at, W.copy(), b.copy()


def main():
    X_train, y_train = read_points(TRAIN_CSV)
    X_test, y_test = read_points(TEST_CSV)
    F_train, F_test = features(X_train), features(X_test)
    losses, diverged_at, W, b = train(F_train, y_train)
    if diverged_at is not None:
        print(f"diverged at step {{diverged_at}}: try a smaller learning rate")
    accuracy = np.mean((F_train @ W + b).argmax(axis=1) == y_train)
    print(f"train accuracy after {{len(losses) - 1}} steps: {{accuracy:.4f}}")
    if y_test.size:
        test_accuracy = np.mean((F_test @ W + b).argmax(axis=1) == y_test)
        print(f"test accuracy: {{test_accuracy:.4f}}")
    print(f"final train loss: {{losses[-1]!r}}")


if __name__ == "__main__":
    main()
'''


def settings_text(data_settings: DataSettings, train_settings: TrainSettings) -> str:
    """The page's settings as a URL-like query string, for the script's docstring."""
    d, t = data_settings, train_settings
    parts = [f"dataset={d.dataset}"]
    if d.dataset != "custom":
        parts += [f"n={d.n}", f"classes={d.classes}", f"noise={d.noise:g}"]
    parts += [f"seed={d.seed}", f"test={d.test:g}", f"features={d.features}"]
    if d.scale != 1:
        parts.append(f"scale={d.scale}")
    parts += [f"optimizer={t.optimizer}", f"lr={t.lr:g}", f"steps={t.steps}",
              f"reg={t.reg:g}", f"batch={t.batch}", f"init={t.init}"]
    return "&".join(parts)


def reproduce_script(
    data: Data, data_settings: DataSettings, train_settings: TrainSettings,
    W0, b0, *, filename: str = "softmax_run.py",
) -> str:
    """A standalone numpy-only program that repeats the run and prints the final loss.

    Parameters
    ----------
    data : Data
        The points and their split, embedded as CSV.
    data_settings, train_settings : DataSettings, TrainSettings
    W0 : array_like, shape (D, K)
    b0 : array_like, shape (K,)
        The initial parameters (embedded with every digit).
    filename : str
        The name the docstring tells the learner to run.

    Returns
    -------
    str
        Python source.
    """
    t = train_settings
    return _TEMPLATE.format(
        settings=settings_text(data_settings, train_settings),
        filename=filename,
        train_csv=points_csv(data.X_train, data.y_train),
        test_csv=points_csv(data.X_test, data.y_test),
        features=data.features,
        optimizer=t.optimizer,
        lr=_number(t.lr),
        steps=int(t.steps),
        reg=_number(t.reg),
        batch=repr(t.batch_size),
        seed=int(t.init),
        divergence=float(DIVERGENCE_FACTOR),
        W0=_array_literal(np.asarray(W0, dtype=np.float64)),
        b0=_array_literal(np.asarray(b0, dtype=np.float64)),
        update=_UPDATES[t.optimizer],
    )
