"""JSON bodies: every way a body can fail to be JSON is a 400, never a server error.

DRF's JSONParser turns a ValueError into a 400 but lets a RecursionError through ("[[[[…" nested
beyond Python's limit), which would be a 500. The size limit needs nothing here: DRF reads a JSON
body through `request.body`, where Django applies DATA_UPLOAD_MAX_MEMORY_SIZE (413, problems.py).
"""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.parsers import JSONParser


class JSONBodyParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(
                "JSON parse error - the body is nested too deeply."
            ) from None
