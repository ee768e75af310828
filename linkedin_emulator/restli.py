"""A strict reader of Rest.li 2.0 query strings, as LinkedIn's servers read them.

Structure characters ``( ) : ,`` must be literal; a value's own reserved characters (the colons of a URN)
must be percent-encoded. A client that lets ``requests`` encode the structure, or that sends Rest.li 1.0
dotted keys with the 2.0 header, is refused here as LinkedIn refuses it.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

RestliValue = str | list["RestliValue"] | dict[str, "RestliValue"]

_RESTLI_1_KEY = re.compile(r"^[A-Za-z]+(\.[A-Za-z]+|\[\d+\])")


class RestliSyntaxError(ValueError):
    """The query is not valid Rest.li 2.0 (LinkedIn answers 400)."""


class RestliUnpermittedFieldError(ValueError):
    """Rest.li 1.0 syntax sent with the 2.0 header (LinkedIn answers 403 'Unpermitted fields')."""


def parse_query(raw_query: str) -> dict[str, RestliValue]:
    params: dict[str, RestliValue] = {}
    if not raw_query:
        return params
    for pair in raw_query.split("&"):
        if not pair:
            continue
        key, _, raw_value = pair.partition("=")
        key = unquote_plus(key)
        if _RESTLI_1_KEY.match(key):
            raise RestliUnpermittedFieldError(f"Unpermitted fields present in PARAMETER: {key}")
        params[key] = parse_value(raw_value, key)
    return params


def parse_value(raw: str, name: str = "value") -> RestliValue:
    value, end = _parse(raw, 0, name)
    if end != len(raw):
        raise RestliSyntaxError(f"Invalid {name} parameter: unexpected '{raw[end]}' at {end}")
    return value


def _parse(raw: str, i: int, name: str) -> tuple[RestliValue, int]:
    if raw.startswith("List(", i):
        items: list[RestliValue] = []
        i += 5
        if raw.startswith(")", i):
            return items, i + 1
        while True:
            item, i = _parse(raw, i, name)
            items.append(item)
            if raw.startswith(",", i):
                i += 1
                continue
            if raw.startswith(")", i):
                return items, i + 1
            raise RestliSyntaxError(f"Invalid {name} parameter: unterminated List at {i}")
    if raw.startswith("(", i):
        record: dict[str, RestliValue] = {}
        i += 1
        if raw.startswith(")", i):
            return record, i + 1
        while True:
            colon = raw.find(":", i)
            if colon < 0:
                raise RestliSyntaxError(f"Invalid {name} parameter: field without ':' at {i}")
            field = raw[i:colon]
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", field):
                raise RestliSyntaxError(f"Invalid {name} parameter: bad field name {field!r}")
            record[field], i = _parse(raw, colon + 1, name)
            if raw.startswith(",", i):
                i += 1
                continue
            if raw.startswith(")", i):
                return record, i + 1
            raise RestliSyntaxError(f"Invalid {name} parameter: unterminated object at {i}")
    end = i
    while end < len(raw) and raw[end] not in "(),:":
        end += 1
    if end < len(raw) and raw[end] in "(:":
        raise RestliSyntaxError(
            f"Invalid {name} parameter: reserved '{raw[end]}' inside a value (percent-encode URNs: urn%3Ali%3A…)"
        )
    scalar = unquote_plus(raw[i:end])
    if any(c in scalar for c in "()") and "(" not in raw[i:end] and not scalar.startswith("urn:"):
        # "(…)" that arrived percent-encoded: the client encoded the structure. A compound URN's own parentheses
        # (urn:li:comment:(urn:li:activity:1,2)) are encoded inside a structure, as Rest.li 2.0 asks.
        raise RestliSyntaxError(f"Invalid {name} parameter: Rest.li structure must not be percent-encoded")
    return scalar, end
