"""Cursor pagination that refuses what it does not understand, instead of guessing.

DRF's own ignores a bad `page_size` and lets a forged cursor position reach the database (where a
malformed date is a server error): here a bad page size is a field error (400) and any cursor that
does not point to a page is "not found" (404), as DRF answers for one it cannot decode.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

INVALID_CURSOR = "This cursor does not point to a page; start again without one."


def is_date_time(text: str) -> bool:
    """Whether `text` is a date-time the database can compare with, in UTC as it stores them.

    Refused: anything parse_datetime cannot read, or reads with a trailing NUL; well-formed
    impossibilities (hour 25, a +99:00 offset), which make it raise; and moments whose UTC falls
    off the calendar (9999-12-31T23:59-23:59), which overflow on the way to the database.
    """
    if "\x00" in text:
        return False
    try:
        moment = parse_datetime(text)
        if moment is None:
            return False
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return False
    return True


class DateCursorPagination(CursorPagination):
    """Pages of a queryset ordered by a date-time field first (its position in the cursor), unless
    a subclass says what else its positions are (`valid_position`)."""

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    page_size_query_description = "How many results per page (1 to {max})."
    cursor_query_description = "Where the page starts: the `next` or `previous` link's cursor."
    invalid_cursor_message = INVALID_CURSOR

    @property
    def default_page_size(self) -> int:
        return type(self).page_size

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.default_page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size or raw.strip() != str(size):
            raise serializers.ValidationError(
                {
                    self.page_size_query_param: [
                        f"Enter a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return size

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        # A string from the query (the stubs say int): our positions are datetimes.
        position = cursor.position if cursor is not None else None
        if position is not None and not self.valid_position(position):  # type: ignore[arg-type]
            raise NotFound(self.invalid_cursor_message)
        return cursor

    def valid_position(self, position: str) -> bool:
        """Whether a cursor's position can be compared with the ordering's first field."""
        return is_date_time(position)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = self.page_size_query_description.format(
                    max=self.max_page_size
                )
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.default_page_size,
                }
            elif parameter["name"] == self.cursor_query_param:
                # The site refuses a NUL byte anywhere in a request (400) before the API sees it.
                parameter["schema"] = {"type": "string", "pattern": r"^[^\x00]*$"}
        return parameters
