"""Tests of read_points and parse_points, the reader of the learner's CSV (x1, x2, label),
and of points_csv, its writer."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer import datasets
from explorer.points_csv import (
    MAX_CLASSES,
    MAX_ROWS,
    Points,
    parse_points,
    points_csv,
    read_points,
)

X_EXPECTED = np.array([[0.5, -1.25], [2.0, 3e-3], [-7.0, 0.0]])
Y_EXPECTED = np.array([0, 2, 1])


def _check(data, X=X_EXPECTED, y=Y_EXPECTED):
    X_got, y_got = parse_points(data)
    assert X_got.dtype == np.float64 and X_got.shape == (len(y), 2)
    assert y_got.dtype == np.int64 and y_got.shape == (len(y),)
    np.testing.assert_array_equal(X_got, X)
    np.testing.assert_array_equal(y_got, y)


# ---------------------------------------------------------------------------
# Good inputs
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "0.5,-1.25,0\n2,0.003,2\n-7,0,1",
        "0.5,-1.25,0\n2,0.003,2\n-7,0,1\n",
        "x1,x2,label\n0.5,-1.25,0\n2,0.003,2\n-7,0,1\n",
        '"x1","x2","label"\n0.5,-1.25,0\n2,0.003,2\n-7,0,1\n',
        "first feature, second feature , class\n0.5,-1.25,0\n2,0.003,2\n-7,0,1\n",
        "x1,x2,label\r\n0.5,-1.25,0\r\n2,0.003,2\r\n-7,0,1\r\n",
        "x1,x2,label\r0.5,-1.25,0\r2,0.003,2\r-7,0,1\r",
        "\ufeffx1,x2,label\n0.5,-1.25,0\n2,0.003,2\n-7,0,1\n",
        " 0.5 ,\t-1.25\t, 0 \n\t2,  0.003,2  \n-7 , 0 , 1\n",
        "\n\n  \nx1,x2,label\n\n0.5,-1.25,0\n   \n2,0.003,2\n\t\n-7,0,1\n\n\n \n",
        "0.5,-1.25,0.0\n2,0.003,2.0\n-7,0,1.00\n",
        "0.5,-1.25,0\n2.0e0,3e-3,2e0\n-7.000,-0,1\n",
        "0.5,-1.25,0\n+2,.003,+2\n-7.,0,1\n",
        "x1;x2;label\n0.5;-1.25;0\n2;0.003;2\n-7;0;1\n",
        "x1\tx2\tlabel\n0.5\t-1.25\t0\n2\t0.003\t2\n-7\t0\t1\n",
        "0.5\t-1.25\t0\r\n2\t0.003\t2\r\n-7\t0\t1\r\n",
        # quoted fields, as spreadsheets export them
        '"0.5","-1.25","0"\n"2","0.003","2"\n"-7","0","1"\n',
        'x1,x2,label\n"0.5", "-1.25" ,"0"\n2,"0.003",2\n"-7",0,"1"\n',
        '"x1";"x2";"label"\n"0,5";"-1,25";"0"\n"2";"0,003";"2"\n"-7";"0";"1"\n',
        # decimal commas with semicolons or tabs (European spreadsheets)
        "0,5;-1,25;0\n2;0,003;2\n-7,0;0;1\n",
        "x1;x2;label\n0,5;-1,25;0\n2,0;3,0e-3;2\n-7;0;1\n",
        "0,5\t-1,25\t0\n2\t0,003\t2\n-7\t0\t1\n",
    ],
)
def test_good_text_inputs_parse_exactly(data):
    _check(data)


@pytest.mark.parametrize(
    "data",
    [
        b"0.5,-1.25,0\n2,0.003,2\n-7,0,1\n",
        b"\xef\xbb\xbfx1,x2,label\r\n0.5,-1.25,0\r\n2,0.003,2\r\n-7,0,1\r\n",
        b"\xef\xbb\xbf0.5,-1.25,0\n2,0.003,2\n-7,0,1",
        bytearray(b"x1,x2,label\n0.5,-1.25,0\n2,0.003,2\n-7,0,1\n"),
    ],
)
def test_good_byte_inputs_parse_exactly(data):
    _check(data)


def test_non_ascii_header_in_utf8_is_fine():
    _check("größe,höhe,étiquette\n0.5,-1.25,0\n2,0.003,2\n-7,0,1\n".encode())


def test_quoted_fields_and_decimal_commas_read_as_numbers():
    _check('"1.0","2.0","0"\n"3","4","1"\n', X=np.array([[1.0, 2.0], [3.0, 4.0]]), y=[0, 1])
    _check("1,0;2,0;0\n3,5;-4,25;1\n", X=np.array([[1.0, 2.0], [3.5, -4.25]]), y=[0, 1])


def test_class_names_become_classes_in_order_of_first_appearance():
    points = read_points("x,y,animal\n1,2,dog\n3,4,cat\n5,6, dog \n7,8,\"bird, small\"\n9,0,cat\n")
    assert isinstance(points, Points)
    assert points.names == ("dog", "cat", "bird, small")
    np.testing.assert_array_equal(points.y, [0, 1, 0, 2, 1])
    assert points.y.dtype == np.int64
    np.testing.assert_array_equal(points.X, [[1, 2], [3, 4], [5, 6], [7, 8], [9, 0]])
    assert read_points("1,2,0\n3,4,1\n").names is None


def test_at_most_max_classes_names_are_accepted():
    text = "".join(f"{k},{-k},class {k}\n" for k in range(MAX_CLASSES))
    points = read_points(text)
    assert points.names == tuple(f"class {k}" for k in range(MAX_CLASSES))
    np.testing.assert_array_equal(points.y, np.arange(MAX_CLASSES))


def test_the_writer_reads_back_names_and_numbers():
    X = np.array([[0.1, -2.5e-300], [1e300, -0.0], [3.0, 4.0]])
    points = read_points(points_csv(X, [1, 0, 1], names=("a,b", '"quoted"')))
    assert points.names == ('"quoted"', "a,b")
    np.testing.assert_array_equal(points.y, [0, 1, 0])
    np.testing.assert_array_equal(points.X, X)
    np.testing.assert_array_equal(np.signbit(points.X), np.signbit(X))
    assert points_csv(X[:2], [0, 1]) == "x1,x2,label\n0.1,-2.5e-300,0\n1e+300,-0.0,1\n"


def test_the_old_import_path_still_works():
    assert datasets.parse_points is parse_points
    assert datasets.MAX_ROWS == MAX_ROWS and datasets.MAX_CLASSES == MAX_CLASSES


def test_labels_keep_their_values_and_need_not_be_contiguous():
    _, y = parse_points("0,0,3\n1,1,9\n2,2,3\n")
    np.testing.assert_array_equal(y, [3, 9, 3])


def test_all_ten_labels_are_accepted():
    text = "".join(f"{k},{-k},{k}\n" for k in range(MAX_CLASSES))
    X, y = parse_points(text)
    np.testing.assert_array_equal(y, np.arange(10))
    np.testing.assert_array_equal(X, np.column_stack([np.arange(10.0), -np.arange(10.0)]))


def test_two_rows_are_enough():
    _check("1,2,0\n3,4,1", X=np.array([[1.0, 2.0], [3.0, 4.0]]), y=np.array([0, 1]))


def test_returned_arrays_are_independent_contiguous_copies():
    X, y = parse_points("1,2,0\n3,4,1\n")
    assert X.flags.c_contiguous and X.flags.writeable and y.flags.writeable


# ---------------------------------------------------------------------------
# Round trip (hypothesis)
# ---------------------------------------------------------------------------


@st.composite
def point_sets(draw):
    labels = draw(
        st.lists(st.integers(0, MAX_CLASSES - 1), min_size=2, max_size=40).filter(
            lambda values: len(set(values)) >= 2
        )
    )
    finite = st.floats(allow_nan=False, allow_infinity=False)
    coords = draw(st.lists(st.tuples(finite, finite), min_size=len(labels), max_size=len(labels)))
    return np.array(coords, dtype=np.float64), np.array(labels, dtype=np.int64)


@settings(max_examples=200, deadline=None)
@given(
    points=point_sets(),
    sep=st.sampled_from([",", ";", "\t", ", "]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    header=st.booleans(),
    float_labels=st.booleans(),
    trailing_blank=st.booleans(),
    as_bytes=st.booleans(),
    bom=st.booleans(),
)
def test_any_finite_points_written_with_repr_round_trip_exactly(
    points, sep, newline, header, float_labels, trailing_blank, as_bytes, bom
):
    X, y = points
    lines = [sep.join(["x1", "x2", "label"])] if header else []
    for (x1, x2), label in zip(X.tolist(), y.tolist(), strict=True):
        written = f"{label}.0" if float_labels else str(label)
        lines.append(sep.join([repr(x1), repr(x2), written]))
    text = ("\ufeff" if bom else "") + newline.join(lines) + (newline * 2 if trailing_blank else "")
    X_got, y_got = parse_points(text.encode("utf-8") if as_bytes else text)
    np.testing.assert_array_equal(X_got, X)
    np.testing.assert_array_equal(np.signbit(X_got), np.signbit(X))  # -0.0 stays -0.0
    np.testing.assert_array_equal(y_got, y)
    assert y_got.dtype == np.int64


# ---------------------------------------------------------------------------
# Bad inputs: the message names the line and the problem
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # empty
        ("", r"the input is empty"),
        (b"", r"the input is empty"),
        ("\n\n \t \r\n\r\n", r"the input is empty"),
        (b"\xef\xbb\xbf", r"the input is empty"),
        # header only
        ("x1,x2,label", r"no data rows after the header on line 1"),
        ("\n\nx1,x2,label\r\n\r\n  \r\n", r"no data rows after the header on line 3"),
        # not numbers
        ("1,2,0\n3,4,1\n5,6,1\n7,abc,1\n", r"^line 4: x2 is 'abc', not a number"),
        ("x1,x2,label\n\n1,2,0\n  hello ,2,1\n", r"^line 4: x1 is 'hello', not a number"),
        ("1,2,0\n3,4,one\n", r"^line 2: label is 'one', not a number"),
        ("1,2,0\n3,,1\n", r"^line 2: x2 is empty, not a number"),
        ("1,2,0\n3,4,\n", r"^line 2: label is empty, not a number"),
        ("1.0,abc,0\n2,3,1\n", r"^line 1: x2 is 'abc', not a number"),
        ('x1,x2,label\n"1,5","2","0"\n3,4,1\n', r"^line 2: x1 is '1,5', not a number \(use a dot"),
        ('x1,x2,label\n1,2,0\n3,"4,5",1\n', r"^line 3: x2 is '4,5', not a number \(use a dot"),
        ("x;y;c\n1;2,5,5;0\n3;4;1\n", r"^line 2: x2 is '2,5,5', not a number"),
        ('x1,x2,label\n1,"2,0\n3,4,1\n', r"^line 2: a quote opened on this line is not closed"),
        # labels: class numbers on every row or class names on every row
        ("1,2,0\n3,4,cat\n", r"^line 2: label is 'cat', not a number \(labels are class numbers"),
        ("1,2,cat\n3,4,1\n", r"^line 2: label is '1', not a class name \(labels are class num"),
        ("1,2,cat\n3,4,\n", r"^line 2: label is empty"),
        ("1,2,cat\nx,4,dog\n", r"^line 2: x1 is 'x', not a number"),
        ("1,2,cat\n3,nan,dog\n", r"^line 2: x2 is 'nan'; values must be finite"),
        ("1,2,cat\n3,4, cat \n", r"every row has label 'cat': at least 2 different classes"),
        ("".join(f"{k},0,c{k}\n" for k in range(11)), r"^line 11: label 'c10' is class 11; at mo"),
        # not finite
        ("1,2,0\nnan,2,1\n", r"^line 2: x1 is 'nan'; values must be finite numbers"),
        ("1,2,0\n3,4,1\n3, -inf ,1\n", r"^line 3: x2 is '-inf'; values must be finite numbers"),
        ("1,2,0\n3,1e999,1\n", r"^line 2: x2 is '1e999'; values must be finite"),
        ("1,2,0\n3,4,inf\n", r"^line 2: label is 'inf'; values must be finite"),
        ("NaN,Infinity,0\n1,2,1\n", r"^line 1: x1 is 'NaN'; values must be finite"),
        # wrong number of values
        ("1,2,0\n3,4,1\n5,6\n", r"^line 3 has 2 values; expected 3: x1, x2, label"),
        ("1,2,0\n3,4,1,7\n", r"^line 2 has 4 values; expected 3: x1, x2, label"),
        ("1,2,0\n3,4,1,\n", r"^line 2 has 4 values; expected 3"),
        ("1,2,0\r\n\r\n3 4 1\r\n", r"^line 3 has 1 value; expected 3"),
        ("5,6\n1,2,0\n", r"^line 1 has 2 values; expected 3"),
        ("1;2;0\n3,4,1\n", r"^line 2 has 1 value; expected 3: x1, x2, label \(separated by semi"),
        ("x1,x2\n1,2\n3,4\n", r"^line 1 \(the header\) has 2 names \['x1', 'x2'\]; expected 3"),
        ("x1,x2,label,weight\n1,2,0,1\n", r"^line 1 \(the header\) has 4 names"),
        # bad labels
        ("1,2,0\n3,4,3.5\n", r"^line 2: label is '3.5', not a whole number"),
        ("1,2,0\n3,4,-1\n", r"^line 2: label is '-1', but labels cannot be negative"),
        ("1,2,0\n3,4,1\n5,6,10\n", r"^line 3: label is '10', but at most 10 classes"),
        ("1,2,0\n3,4,1e3\n", r"^line 2: label is '1e3', but at most 10 classes"),
        ("1,2,0\n3,4,0.000001\n", r"^line 2: label is '0.000001', not a whole number"),
        # too few classes
        ("1,2,0\n3,4,0\n", r"every row has label 0: at least 2 different classes are needed"),
        ("x1,x2,label\n1,2,4\n", r"every row has label 4: at least 2 different classes"),
        # wrong encoding or binary
        (b"1,2,0\n3,4,1\n5,6,\xe9\n", r"^the file is not UTF-8 text \(line 3 has the byte 0xE9"),
        ("x1,x2,étiquette\n1,2,0\n".encode("latin-1"), r"^the file is not UTF-8 text \(line 1"),
        (b"1,2,0\r\n3,\x004,1\r\n", r"^line 2 contains a NUL byte: this looks like a binary file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"looks like a binary file"),
        ("1,2,0\n3,4,1\n\x07,5,1\n", r"^line 3 contains the control character U\+0007: .*binary"),
        ("1,2,0\x00\n", r"^line 1 contains the control character U\+0000: .*binary"),
        ("x1,x2,label\n1,2,0\n".encode("utf-16"), r"UTF-16 text, not UTF-8"),
    ],
)
def test_bad_inputs_raise_a_message_naming_the_line_and_problem(data, message):
    with pytest.raises(ValueError, match=message):
        parse_points(data)


def test_line_numbers_count_cr_only_line_ends_like_an_editor():
    with pytest.raises(ValueError, match=r"^line 4: x2 is 'x', not a number"):
        parse_points("x1,x2,label\r1,2,0\r\r5,x,1\r")


def test_line_numbers_count_mixed_line_ends():
    with pytest.raises(ValueError, match=r"^line 5 has 2 values"):
        parse_points("1,2,0\r\n3,4,1\n5,6,1\r7,8,1\r\n9,10\n")


def test_a_byte_order_mark_does_not_shift_line_numbers():
    with pytest.raises(ValueError, match=r"^line 2: x1 is 'bad'"):
        parse_points(b"\xef\xbb\xbfx1,x2,label\nbad,1,0\n")


@pytest.mark.parametrize("data", [None, 12, 3.5, ["1,2,0"], np.zeros(3)])
def test_data_must_be_text_or_bytes(data):
    with pytest.raises(ValueError, match=r"^data must be str or bytes"):
        parse_points(data)


@pytest.mark.parametrize("seed", range(5))
def test_random_binary_garbage_is_rejected(seed):
    garbage = np.random.default_rng(seed).integers(0, 256, size=4000, dtype=np.uint8).tobytes()
    with pytest.raises(ValueError, match=r"binary file|not UTF-8 text"):
        parse_points(garbage)


# ---------------------------------------------------------------------------
# Size limit
# ---------------------------------------------------------------------------


def _rows(count: int) -> str:
    return "".join(f"{i * 0.5},{-i},{i % 3}\n" for i in range(count))


def test_max_rows_parse():
    X, y = parse_points("x1,x2,label\n" + _rows(MAX_ROWS) + "\n\n")
    assert X.shape == (MAX_ROWS, 2) and y.shape == (MAX_ROWS,)
    assert X[-1].tolist() == [(MAX_ROWS - 1) * 0.5, -(MAX_ROWS - 1)]
    np.testing.assert_array_equal(np.bincount(y), [33334, 33333, 33333])


def test_one_row_too_many_is_rejected_with_its_line():
    with pytest.raises(
        ValueError, match=r"^too many rows: line 100002 is row 100,001; at most 100,000"
    ):
        parse_points("x1,x2,label\n" + _rows(MAX_ROWS + 1))


def test_one_row_too_many_as_bytes_without_header():
    with pytest.raises(ValueError, match=r"^too many rows: line 100001 is row 100,001"):
        parse_points(_rows(MAX_ROWS + 1).encode())


def test_blank_lines_do_not_count_as_rows():
    X, _ = parse_points(_rows(MAX_ROWS).replace("\n", "\n\n", 5000))
    assert X.shape == (MAX_ROWS, 2)


def test_a_huge_input_is_rejected_before_it_is_decoded_or_parsed():
    # 300,000 lines ending in a byte that is not UTF-8: the line count is checked first.
    huge = b"1,2,0\n" * 300_000 + b"\xff"
    with pytest.raises(ValueError, match=r"^the file has 300,001 lines; at most 100,000 rows"):
        parse_points(huge)
    with pytest.raises(ValueError, match=r"^the file has 300,001 lines"):
        parse_points("1,2,0\r" * 300_000 + "junk")
