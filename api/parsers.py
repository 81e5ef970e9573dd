"""JSON bodies, with the site's size limit.

Django refuses a form body over DATA_UPLOAD_MAX_MEMORY_SIZE, but DRF's parsers read the raw stream,
where that limit is not checked: this parser applies it (413), and turns every way a body can fail
to be JSON into a 400 rather than a server error.
"""

from __future__ import annotations

import io

from django.conf import settings
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body is too large: the limit is {limit:,} bytes.")


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None:
            request = (parser_context or {}).get("request")
            declared = request.META.get("CONTENT_LENGTH") if request is not None else None
            if declared and declared.isdigit() and int(declared) > limit:
                raise BodyTooLarge(limit)
            raw = stream.read(limit + 1)
            if len(raw) > limit:
                raise BodyTooLarge(limit)
            stream = io.BytesIO(raw)
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(
                "JSON parse error - the body is nested too deeply."
            ) from None
