"""Read Plotly figures back out of AppTest runs, decoding Plotly's base64 typed arrays."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np

_DTYPES = {
    "f8": np.float64, "f4": np.float32, "i1": np.int8, "u1": np.uint8, "i2": np.int16,
    "u2": np.uint16, "i4": np.int32, "u4": np.uint32,
}


def decode(value: Any) -> Any:
    """Replace every ``{"dtype", "bdata", "shape"}`` typed array in ``value`` by an ndarray."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=_DTYPES[value["dtype"]])
            shape = value.get("shape")
            if shape:
                array = array.reshape([int(part) for part in str(shape).split(",")])
            return array
        return {name: decode(item) for name, item in value.items()}
    if isinstance(value, list):
        return [decode(item) for item in value]
    return value


def app_chart(at, key: str) -> dict:
    """The figure (``{"data": [...], "layout": {...}}``) of the chart with ``key`` in an AppTest.

    Raises
    ------
    LookupError
        When no chart with that key was rendered.
    """
    for element in at.get("plotly_chart"):
        if element.proto.id.endswith(f"-{key}"):
            return decode(json.loads(element.proto.spec))
    raise LookupError(f"no plotly chart with key {key!r}")


def app_chart_keys(at) -> list[str]:
    """The keys of every chart rendered in an AppTest run."""
    return [element.proto.id.rsplit("-", 1)[-1] for element in at.get("plotly_chart")]


def app_player(at) -> tuple[dict, dict[str, np.ndarray]]:
    """The header and arrays of the /training player's payload in an AppTest run, with the
    points its engine component carries (``train_xy``, ``train_y``, ``test_xy``, ``test_y``).

    Raises
    ------
    LookupError
        When no player was rendered.
    """
    from explorer.player_payload import decode as decode_payload

    found = {}
    for element in at.get("bidi_component"):
        for name in ("player", "player_engine"):
            if element.proto.id.endswith(f"-{name}"):
                found[name] = decode_payload(element.proto.bytes)
    if set(found) != {"player", "player_engine"}:
        raise LookupError(f"no training player (found {sorted(found)})")
    header, arrays = found["player"]
    points_header, points = found["player_engine"]
    assert header["points"] == points_header["id"], "the player names other points"
    return header, {**arrays, **points}


def app_nearby(at) -> tuple[dict, dict[str, np.ndarray]]:
    """The header and arrays of the /training nearby component's data in an AppTest run
    (the runs sent ahead, explorer/pages/training_nearby.py).

    Raises
    ------
    LookupError
        When no nearby component was rendered.
    """
    from explorer.pages.training_nearby import NEARBY_KEY
    from explorer.player_payload import decode as decode_payload

    for element in at.get("bidi_component"):
        if element.proto.id.endswith(f"-{NEARBY_KEY}"):
            return decode_payload(element.proto.bytes)
    raise LookupError("no nearby runs component")


def app_landscape(at) -> dict:
    """The data of the /training landscape view in an AppTest run.

    Raises
    ------
    LookupError
        When no landscape was rendered.
    """
    for element in at.get("bidi_component"):
        if element.proto.id.endswith("-landscape"):
            return json.loads(element.proto.json)
    raise LookupError("no landscape")


def has_landscape(at) -> bool:
    """Whether the /training landscape view was rendered."""
    try:
        app_landscape(at)
    except LookupError:
        return False
    return True
