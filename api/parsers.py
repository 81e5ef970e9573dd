"""JSON bodies: every way a body can fail to be JSON is a 400, never a server error.

DRF's JSONParser turns a ValueError into a 400 but lets a RecursionError through ("[[[[…" nested
beyond Python's limit), which would be a 500. JSON may also carry a lone surrogate ("\\ud800"), an
escape that decodes to no text at all: the database cannot store it and no response can echo it,
so a body holding one anywhere, in a value or in a name, is refused here with the field it is in.
The size limit needs nothing here: DRF reads a JSON body through `request.body`, where Django
applies DATA_UPLOAD_MAX_MEMORY_SIZE (413, problems.py).
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework import exceptions
from rest_framework.parsers import JSONParser

LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# DRF's own words for a lone surrogate in a text field (ProhibitSurrogateCharactersValidator).
NOT_TEXT = "Must be valid Unicode text."
NAME_NOT_TEXT = "Field names must be valid Unicode text."


def _holds_surrogate(value: Any) -> bool:
    # A loop, not recursion: a body nested nearly as deep as the decoder allows must not overflow.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if LONE_SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def refuse_lone_surrogates(data: Any) -> None:
    """Raise a field error (400) naming each top-level field that holds a lone surrogate."""
    if not _holds_surrogate(data):
        return
    if not isinstance(data, dict):
        raise exceptions.ValidationError({"non_field_errors": [NOT_TEXT]})
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        if _holds_surrogate(name):
            errors["non_field_errors"] = [NAME_NOT_TEXT]
        elif _holds_surrogate(value):
            errors[name] = [NOT_TEXT]
    raise exceptions.ValidationError(errors)


class JSONBodyParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(
                "JSON parse error - the body is nested too deeply."
            ) from None
        refuse_lone_surrogates(data)
        return data
