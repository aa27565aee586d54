"""The learner's points as CSV text: :func:`read_points` reads them, :func:`points_csv` writes them.

A file holds one ``x1, x2, label`` row per line. The reader accepts what spreadsheets
export, and tells the learner which line to fix when it cannot:

- UTF-8 with or without a byte-order mark; LF, CRLF or CR line ends; blank lines
  anywhere; spaces and tabs around values; values in double quotes (``"1.0","2.0","0"``).
- The separator is guessed from the first two non-blank lines (:func:`guess_separator`):
  commas, or semicolons or tabs used consistently. With semicolons or tabs a comma
  inside a number is its decimal mark (``1,5;2,5;0`` is the point (1.5, 2.5) of class
  0, as European spreadsheets export it); with commas between values a number needs a
  dot.
- The first non-blank line is a header when none of its fields is a number; it must
  then have 3 names, which are otherwise ignored.
- Labels are either all class numbers (whole numbers from 0 to ``MAX_CLASSES - 1``,
  kept as they are, so K = the largest + 1) or all class names (``cat``, ``dog``:
  class 0 is the first name to appear, class 1 the next new one, and so on).

Shapes: ``X`` (N, 2) float64, ``y`` (N,) int64 with labels in ``0..K-1``.
"""

from __future__ import annotations

import csv
import io
import re
from typing import NamedTuple

import numpy as np

from explorer.i18n import N_, _, ngettext
from explorer.upload_text import decode_text

__all__ = [
    "MAX_CLASSES",
    "MAX_ROWS",
    "Points",
    "guess_separator",
    "parse_points",
    "points_csv",
    "read_points",
]

MAX_ROWS = 100_000
"""The most points a dataset holds: ``make_dataset`` draws and :func:`read_points` reads."""

MAX_CLASSES = 10
"""The most classes a learner's CSV may have (class numbers 0 to 9, or 10 names)."""

COLUMNS = ("x1", "x2", "label")
_EXPECTED = N_("expected 3: x1, x2, label")
_SEPARATORS = {",": N_("commas"), ";": N_("semicolons"), "\t": N_("tabs")}
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+(?:[eE][+-]?\d+)?$")
_LABEL_RULE = N_("labels are class numbers 0 to {last} on every row, "
                 "or class names on every row")


class Points(NamedTuple):
    """The learner's points as :func:`read_points` returns them.

    Attributes
    ----------
    X : ndarray, shape (N, 2), float64
        The points, in file order.
    y : ndarray, shape (N,), int64
        Their classes.
    names : tuple of str, or None
        ``names[k]`` is the label class ``k`` had in the file, when the file named its
        classes; None when the labels were class numbers.
    """

    X: np.ndarray
    y: np.ndarray
    names: tuple[str, ...] | None


# ---------------------------------------------------------------------------------------
# Writing


def points_csv(X, y, names=None) -> str:
    """``x1,x2,label`` rows (with that header) that :func:`read_points` reads back exactly.

    Every coordinate is written with ``repr``, the shortest text that reads back as the
    same float.

    Parameters
    ----------
    X : array_like, shape (N, 2)
    y : array_like, shape (N,)
        Integer classes.
    names : sequence of str, optional
        Class names to write instead of the class numbers, ``names[y[n]]``, as
        :func:`read_points` returns them: not empty and not numbers, so they read back
        as names.
    """
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(y).tolist()
    written = [names[k] for k in labels] if names is not None else labels
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(
        (repr(x1), repr(x2), label) for (x1, x2), label in zip(X.tolist(), written, strict=True)
    )
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------
# Reading


def parse_points(data: str | bytes) -> tuple[np.ndarray, np.ndarray]:
    """The points and classes of :func:`read_points`, without the class names.

    Returns
    -------
    X : ndarray, shape (N, 2), float64
    y : ndarray, shape (N,), int64
    """
    points = read_points(data)
    return points.X, points.y


def read_points(data: str | bytes) -> Points:
    """Read the learner's points from CSV text, by the rules in the module docstring.

    Parameters
    ----------
    data : str or bytes
        The file's contents; at most ``MAX_ROWS`` data rows and ``MAX_CLASSES`` classes,
        and at least 2 classes.

    Returns
    -------
    Points
        ``X`` (N, 2), ``y`` (N,) and the class ``names`` (or None).

    Raises
    ------
    ValueError
        With a message that names the 1-based line (as a text editor shows it) and the
        problem: empty input, header without data, a value that is not a finite number,
        a row without exactly 3 values, a bad label, fewer than 2 classes, too many
        rows, text that is not UTF-8, or a binary file.
    """
    text = decode_text(data, max_rows=MAX_ROWS)
    linenos, rows, sep = _data_rows(text)
    decimal_comma = sep != ","
    fields = [field for row in rows for field in row]
    values = _floats(fields, decimal_comma)
    if values is None and all(_is_name(row[2], decimal_comma) for row in rows):
        X = _floats([f for row in rows for f in row[:2]], decimal_comma)
        if X is None:
            _raise_first_bad(fields, linenos, decimal_comma)
        X = _finite(X.reshape(-1, 2), fields, linenos)
        y, names = _named_classes([row[2].strip() for row in rows], linenos)
        return Points(np.ascontiguousarray(X), y, names)
    if values is None:
        _raise_first_bad(fields, linenos, decimal_comma)
    values = _finite(values.reshape(-1, 3), fields, linenos)
    y = _numbered_classes(values[:, 2], fields, linenos)
    return Points(np.ascontiguousarray(values[:, :2]), y, None)


def guess_separator(first: str, second: str) -> str:
    """The separator (comma, semicolon or tab) guessed from the first two non-blank lines.

    The first choice splits the first line into 3 fields and one of the two lines into
    3 fields that start with 2 numbers. Failing that, a semicolon or tab that splits the
    first line into 3 fields is preferred to a comma, because it usually means decimal
    commas (``1,5;2,5;0``); then any separator the first line holds; then a comma.
    """
    fits = [sep for sep in _SEPARATORS if len(_split(first, sep)) == 3]
    for sep in fits:
        for line in (first, second):
            fields = _split(line, sep)
            if len(fields) == 3 and all(_is_number(f, sep != ",") for f in fields[:2]):
                return sep
    for sep in (";", "\t", ","):
        if sep in fits:
            return sep
    return next((sep for sep in _SEPARATORS if sep in first), ",")


def _split(line: str, sep: str) -> list[str]:
    return next(csv.reader([line], delimiter=sep, skipinitialspace=True), [])


def _data_rows(text: str) -> tuple[list[int], list[list[str]], str]:
    """The 1-based line numbers and the fields of the data rows, and the separator."""
    numbered = [(i, line) for i, line in enumerate(text.split("\n"), 1)
                if line and not line.isspace()]
    if not numbered:
        raise ValueError(_("the input is empty: expected lines of x1, x2, label"))
    sep = guess_separator(numbered[0][1], numbered[1][1] if len(numbered) > 1 else "")
    first_no, first = numbered[0]
    header = _split(first, sep)
    if not any(_is_number(field, sep != ",") for field in header):
        if len(header) != 3:
            names = [name.strip().strip("\"'") for name in header]
            raise ValueError(ngettext(
                "line {line} (the header) has {count} name {names}; {expected}",
                "line {line} (the header) has {count} names {names}; {expected}", len(names),
            ).format(line=first_no, count=len(names), names=names, expected=_(_EXPECTED)))
        numbered = numbered[1:]
        if not numbered:
            raise ValueError(_("there are no data rows after the header on line {line}").format(
                line=first_no))
    if len(numbered) > MAX_ROWS:
        raise ValueError(_(
            "too many rows: line {line} is row {row}; at most {most} rows are allowed"
        ).format(line=numbered[MAX_ROWS][0], row=f"{MAX_ROWS + 1:,}", most=f"{MAX_ROWS:,}"))
    linenos = [lineno for lineno, _ in numbered]
    rows = _split_rows([line for _, line in numbered], linenos, sep)
    return linenos, rows, sep


def _split_rows(lines: list[str], linenos: list[int], sep: str) -> list[list[str]]:
    """Each line's fields, read by the csv module; every row must have 3."""
    reader = csv.reader(lines, delimiter=sep, skipinitialspace=True)
    rows = []
    try:
        for row in reader:
            lineno = linenos[len(rows)]
            if reader.line_num != len(rows) + 1:
                raise ValueError(_("line {line}: a quote opened on this line is not closed").format(
                    line=lineno))
            if len(row) != 3:
                raise ValueError(ngettext(
                    "line {line} has {count} value; {expected} (separated by {separator})",
                    "line {line} has {count} values; {expected} (separated by {separator})",
                    len(row),
                ).format(line=lineno, count=len(row), expected=_(_EXPECTED),
                         separator=_(_SEPARATORS[sep])))
            rows.append(row)
    except csv.Error as error:
        raise ValueError(_("line {line}: {error}").format(line=linenos[len(rows)], error=error)
                         ) from None
    return rows


def _number(field: str, decimal_comma: bool) -> float:
    """``float(field)``; with ``decimal_comma``, ``1,5`` is also read as 1.5."""
    try:
        return float(field)
    except ValueError:
        value = field.strip()
        if decimal_comma and _DECIMAL_COMMA.match(value):
            return float(value.replace(",", "."))
        raise


def _is_number(field: str, decimal_comma: bool) -> bool:
    try:
        _number(field, decimal_comma)
    except ValueError:
        return False
    return True


def _floats(fields: list[str], decimal_comma: bool) -> np.ndarray | None:
    """The fields as a float64 array, or None if one of them is not a number."""
    try:
        return np.array(list(map(float, fields)), dtype=np.float64)
    except ValueError:
        pass
    if not decimal_comma:
        return None
    try:
        return np.array([_number(field, True) for field in fields], dtype=np.float64)
    except ValueError:
        return None


def _is_name(label: str, decimal_comma: bool) -> bool:
    """Whether a label is a class name: not empty, and not a number."""
    return bool(label.strip()) and not _is_number(label, decimal_comma)


def _raise_first_bad(fields: list[str], linenos: list[int], decimal_comma: bool) -> None:
    """Raise the error of the first field (in file order) that does not fit.

    Coordinates must be numbers; labels must be of the kind of the first row's label,
    class numbers or class names.
    """
    names = _is_name(fields[2], decimal_comma)
    for index, field in enumerate(fields):
        column = index % 3
        if column == 2 and names:
            if _is_name(field, decimal_comma):
                continue
            problem = _("not a class name")
        elif _is_number(field, decimal_comma):
            continue
        else:
            problem = _("not a number")
        value = field.strip()
        lineno = linenos[index // 3]
        if not value:
            raise ValueError(_("line {line}: {column} is empty, {problem}").format(
                line=lineno, column=COLUMNS[column], problem=problem))
        if column == 2:
            hint = f" ({_(_LABEL_RULE).format(last=MAX_CLASSES - 1)})"
        elif _is_number(value, True):
            hint = _(" (use a dot as the decimal separator when commas separate the values)")
        else:
            hint = ""
        raise ValueError(_("line {line}: {column} is {value}, {problem}{hint}").format(
            line=lineno, column=COLUMNS[column], value=repr(value), problem=problem, hint=hint))
    raise AssertionError("no bad field")  # pragma: no cover - the caller found one


def _finite(values: np.ndarray, fields: list[str], linenos: list[int]) -> np.ndarray:
    """``values`` (N, C), after checking that every entry is finite."""
    finite = np.isfinite(values)
    if not finite.all():
        row, column = divmod(int(np.flatnonzero(~finite)[0]), values.shape[1])
        raise ValueError(_(
            "line {line}: {column} is {value}; values must be finite numbers (not nan or inf)"
        ).format(line=linenos[row], column=COLUMNS[column],
                 value=repr(fields[3 * row + column].strip())))
    return values


def _numbered_classes(labels: np.ndarray, fields: list[str], linenos: list[int]) -> np.ndarray:
    """Class numbers ``labels`` (N,) as int64, after checking them."""
    whole = labels == np.floor(labels)
    in_range = (labels >= 0) & (labels <= MAX_CLASSES - 1)
    bad = np.flatnonzero(~(whole & in_range))
    if bad.size:
        row = int(bad[0])
        label, text = labels[row], fields[3 * row + 2].strip()
        numbers = _("class numbers 0 to {last}").format(last=MAX_CLASSES - 1)
        if label != np.floor(label):
            problem = _("not a whole number (labels are {numbers})").format(numbers=numbers)
        elif label < 0:
            problem = _("but labels cannot be negative (use {numbers})").format(numbers=numbers)
        else:
            problem = _("but at most {most} classes are allowed ({numbers})").format(
                most=MAX_CLASSES, numbers=numbers)
        raise ValueError(_("line {line}: label is {value}, {problem}").format(
            line=linenos[row], value=repr(text), problem=problem))
    y = labels.astype(np.int64)
    distinct = np.unique(y)
    if distinct.size < 2:
        raise ValueError(_(
            "every row has label {label}: at least 2 different classes are needed"
        ).format(label=distinct[0]))
    return y


def _named_classes(labels: list[str], linenos: list[int]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Classes numbered by the first appearance of their names, and the names in that order."""
    names, first, inverse = np.unique(np.array(labels), return_index=True, return_inverse=True)
    order = np.argsort(first)
    if names.size > MAX_CLASSES:
        extra = order[MAX_CLASSES]
        raise ValueError(_(
            "line {line}: label {label} is class {number}; at most {most} classes are allowed"
        ).format(line=linenos[first[extra]], label=repr(str(names[extra])),
                 number=MAX_CLASSES + 1, most=MAX_CLASSES))
    if names.size < 2:
        raise ValueError(_(
            "every row has label {label}: at least 2 different classes are needed"
        ).format(label=repr(labels[0])))
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return rank[inverse].astype(np.int64), tuple(str(names[k]) for k in order)
