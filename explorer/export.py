"""Downloads of the /training page: the trajectory and the data as CSV, and a script.

:func:`reproduce_script` writes a standalone, numpy-only Python program: the run's
settings, its training and test points and initial weights (every float written with all
its digits, so they read back bit for bit), then the source of the library functions
that train (``explorer.reproduce.SCRIPT_FUNCTIONS``, copied with ``inspect.getsource``)
and of :func:`explorer.reproduce.reproduce`, which prints the final training loss. The
script runs the very code the page ran, so it prints the page's loss to the last digit.

Pure Python and numpy: nothing here imports streamlit.
"""

from __future__ import annotations

import csv
import inspect
import io
import textwrap

import numpy as np

from explorer.optim import train
from explorer.page_logic.training_curves import curves
from explorer.page_logic.training_run import Data, DataSettings, Run, TrainSettings
from explorer.param_names import parameter_names
from explorer.points_csv import points_csv  # also imported from here by the /training page
from explorer.reproduce import SCRIPT_CONSTANTS, SCRIPT_FUNCTIONS, reproduce


def _number(value: float) -> str:
    """The shortest text that reads back as exactly ``value``."""
    return repr(float(value))


def dataset_csv(data: Data) -> str:
    """Every point of the dataset, in dataset order, as re-uploadable CSV."""
    return points_csv(data.X, data.y)


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
    if array.ndim == 1 or array.shape[0] == 0:
        return "[" + ", ".join(_number(v) for v in array) + "]"
    return "[\n    " + ",\n    ".join(_array_literal(row) for row in array) + ",\n]"


_DOCSTRING = '''\
"""Reproduce a training run of the softmax gradient explorer (/training), with numpy only.

Settings: {settings}
Run it with `python {filename}`: it prints the final training loss, the number the page
shows as "final train loss". After the settings and the data come the explorer's own
functions, copied from its source, so on the same numpy the script prints the page's
loss to the last digit:
{sources}
"""
'''

#: What the script's settings block says about some of its constants.
_NOTES = {
    "features": "raw: (x1, x2); quadratic: (x1, x2, x1^2, x2^2, x1*x2)",
    "reg": "the loss adds 0.5 * REG * sum(W**2); b is not regularised",
    "batch_size": "None: every step uses all the training points",
    "seed": "seeds the order of the mini-batches",
}
#: ``train``'s own defaults the script writes out (the page never changes them).
_TRAIN_DEFAULTS = ("momentum", "betas", "eps")


def _script_arguments(data: Data, t: TrainSettings) -> dict:
    """The keyword arguments of ``reproduce`` that the settings decide, in script order."""
    return {"features": data.features, **t.train_arguments()}


def _literal(value) -> str:
    """``value`` as Python source: a float with every digit, anything else by ``repr``."""
    return _number(value) if isinstance(value, float) else repr(value)


def _main(names) -> str:
    """The script's last lines: ``reproduce`` called with the constants ``names``."""
    keywords = ", ".join(f"{name}={name.upper()}" for name in names)
    call = textwrap.fill(f"X_TRAIN, Y_TRAIN, X_TEST, Y_TEST, {keywords}, W0=W0, b0=b0,",
                         width=88, initial_indent=" " * 8, subsequent_indent=" " * 8,
                         break_long_words=False, break_on_hyphens=False)
    return f'\n\nif __name__ == "__main__":\n    reproduce(\n{call}\n    )\n'


def _source_file(function) -> str:
    return function.__module__.replace(".", "/") + ".py"


def _settings_block(data: Data, t: TrainSettings, W0, b0) -> str:
    """The script's constants: the settings, the data and the starting point."""
    defaults = inspect.signature(train).parameters
    constants = {**_script_arguments(data, t),
                 **{name: defaults[name].default for name in _TRAIN_DEFAULTS}}
    lines = [
        "# The settings of the run.",
        *(f"{name.upper()} = {_literal(value)}" + (f"  # {_NOTES[name]}" if name in _NOTES
                                                    else "")
          for name, value in constants.items()),
        *(f"{name} = {value!r}" for name, value in SCRIPT_CONSTANTS.items()),
        "",
        "# The starting point the page drew: weights W0 (D, K) and bias b0 (K,).",
        f"W0 = np.array({_array_literal(np.asarray(W0, dtype=np.float64))})",
        f"b0 = np.array({_array_literal(np.asarray(b0, dtype=np.float64))})",
        "",
        "# The points exactly as the page used them (every digit kept): x1, x2 and the class.",
    ]
    for name, X, y in (("TRAIN", data.X_train, data.y_train), ("TEST", data.X_test, data.y_test)):
        labels = ", ".join(str(int(label)) for label in np.asarray(y))
        lines += [f"X_{name} = np.array({_array_literal(np.asarray(X, dtype=np.float64))})"
                  ".reshape(-1, 2)",
                  f"Y_{name} = np.array([{labels}], dtype=np.int64)"]
    return "\n".join(lines) + "\n"


def _library_source() -> str:
    """The source of the functions the script runs, each under the file it comes from."""
    blocks, current = [], None
    for function in (*SCRIPT_FUNCTIONS, reproduce):
        if _source_file(function) != current:
            current = _source_file(function)
            blocks.append(f"# From {current}\n\n")
        blocks[-1] += inspect.getsource(function) + "\n\n"
    return "\n".join(block.rstrip() + "\n\n" for block in blocks).rstrip() + "\n"


def settings_text(*settings) -> str:
    """The page's settings as a URL-like query string, for the script's docstring.

    Parameters
    ----------
    *settings : DataSettings, TrainSettings
        Every field that applies is written as ``key=value``, in the order of the spec.
    """
    return "&".join(f"{setting.key}={setting.format_option(getattr(group, setting.key))}"
                    for group in settings for setting in group.SETTINGS
                    if group.applies(setting.key))


def reproduce_script(
    data: Data, data_settings: DataSettings, train_settings: TrainSettings,
    W0, b0, *, filename: str = "softmax_run.py",
) -> str:
    """A standalone numpy-only program that repeats the run and prints the final loss.

    Parameters
    ----------
    data : Data
        The points and their split, embedded with every digit.
    data_settings, train_settings : DataSettings, TrainSettings
    W0 : array_like, shape (D, K)
    b0 : array_like, shape (K,)
        The initial parameters (embedded with every digit).
    filename : str
        The name the docstring tells the learner to run.

    Returns
    -------
    str
        Python source: a docstring, ``import numpy as np``, the constants of
        :func:`_settings_block`, the library source and a call of ``reproduce``.
    """
    files = dict.fromkeys(_source_file(f) for f in (*SCRIPT_FUNCTIONS, reproduce))
    sources = "\n".join(f"- {file}" for file in files)
    docstring = _DOCSTRING.format(settings=settings_text(data_settings, train_settings),
                                  filename=filename, sources=sources)
    return "\n".join([
        docstring,
        "import numpy as np\n",
        _settings_block(data, train_settings, W0, b0),
        _library_source(),
    ]) + _main([*_script_arguments(data, train_settings), *_TRAIN_DEFAULTS])
