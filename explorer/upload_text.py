"""Check an uploaded or pasted file and turn it into text, before any parsing.

:func:`decode_text` rejects what is not UTF-8 text (UTF-16, binary files, control
characters) and files far too long, with a message naming the line as a text editor
shows it, and returns the text with LF line ends.
"""

from __future__ import annotations

import re

from explorer.i18n import _

__all__ = ["decode_text", "line_of"]

# C0 control characters other than tab, line feed and carriage return, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def line_of(text: str | bytes, position: int) -> int:
    """The 1-based line of ``position``, counting LF, CR and CRLF line ends like an editor."""
    head = text[:position]
    lf, cr, crlf = ("\n", "\r", "\r\n") if isinstance(head, str) else (b"\n", b"\r", b"\r\n")
    return head.count(lf) + head.count(cr) - head.count(crlf) + 1


def _check_line_count(data: str | bytes, max_rows: int) -> None:
    # A cheap first look before any parsing: even if half the lines were blank, this is
    # too many rows. The exact count of data rows is checked after splitting.
    lf, cr, crlf = ("\n", "\r", "\r\n") if isinstance(data, str) else (b"\n", b"\r", b"\r\n")
    lines = data.count(lf) + data.count(cr) - data.count(crlf) + 1
    if lines > 2 * max_rows + 1:
        raise ValueError(_("the file has {lines} lines; at most {most} rows are allowed").format(
            lines=f"{lines:,}", most=f"{max_rows:,}"))


def _decode_bytes(data: bytes, max_rows: int) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ValueError(_("the file is UTF-16 text, not UTF-8; save it as 'CSV UTF-8'"))
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ValueError(_(
            "line {line} contains a NUL byte: this looks like a binary file, not CSV text"
        ).format(line=line_of(data, nul)))
    _check_line_count(data, max_rows)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(_(
            "the file is not UTF-8 text (line {line} has the byte {byte}, which UTF-8 does "
            "not allow); save it as 'CSV UTF-8'"
        ).format(line=line_of(data, error.start), byte=f"0x{data[error.start]:02X}")) from None


def decode_text(data: str | bytes, max_rows: int) -> str:
    """Check the raw input and return it as text with LF line ends.

    Parameters
    ----------
    data : str, bytes, bytearray or memoryview
        The file's contents; bytes must be UTF-8 (a byte-order mark is dropped).
    max_rows : int
        The most data rows the caller accepts: more than twice as many lines is
        rejected at once, before decoding.

    Returns
    -------
    str
        The text, without a byte-order mark, with every CRLF and CR turned into LF.
    """
    if isinstance(data, bytearray | memoryview):
        data = bytes(data)
    if isinstance(data, bytes):
        text = _decode_bytes(data, max_rows)
    elif isinstance(data, str):
        _check_line_count(data, max_rows)
        text = data.removeprefix("\ufeff")
    else:
        raise ValueError(f"data must be str or bytes, got {type(data).__name__}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL.search(text)
    if control:
        raise ValueError(_(
            "line {line} contains the control character {character}: this looks like a "
            "binary file, not CSV text"
        ).format(line=line_of(text, control.start()), character=f"U+{ord(control.group()):04X}"))
    return text
