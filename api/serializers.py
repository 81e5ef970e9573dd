"""Shared serializer behaviour for the API."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

# Markers for the schema's postprocessing hook (api/schema.py: apply_request_rules).
STRICT = "x-colloquy-strict"
REQUEST_RULES = "x-colloquy-request-rules"


def request_rules(rules: dict):
    """Class decorator: what a request body must be beyond its fields, stated in the schema.

    `rules` is merged into the request component: "properties" entry by entry, anything else
    ("anyOf", ...) as it is.
    """
    return extend_schema_serializer(extensions={STRICT: True, REQUEST_RULES: rules})


if TYPE_CHECKING:
    # What the mixin is mixed into, for the type checker (at run time it stays a plain mixin).
    _Serializer = serializers.Serializer
else:
    _Serializer = object


# The schema says so too: `additionalProperties: false` (api/schema.py: apply_request_rules).
@extend_schema_serializer(extensions={STRICT: True})
class StrictFieldsMixin(_Serializer):
    """Refuse fields the endpoint does not know, instead of silently ignoring them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            known = set(self.fields)
            unknown = sorted(set(data) - known)
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.URI)
class PageURLField(serializers.Field):
    """The object's page on the site (its get_absolute_url), as an absolute URL."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class AuthorSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)


class TextField(serializers.CharField):
    """Text exactly as sent, and only text.

    DRF's CharField turns a number into a string ("body": 12 becomes "12"); a wrong type is a
    client's mistake worth telling. A string with an unpaired surrogate ("\\ud800" in JSON) cannot
    be stored, so it is refused here rather than failing in the database.
    """

    default_error_messages = {
        "not_text": "Must be text (a JSON string).",
        "not_unicode": "Must be valid Unicode text.",
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            self.fail("not_unicode")
        return super().to_internal_value(data)


class TextFieldSchema(OpenApiSerializerFieldExtension):
    """A text field's schema says what it refuses: no NUL character (DRF refuses them)."""

    target_class = TextField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema: dict = {"type": "string", "pattern": r"^[^\x00]*$"}
        if field.max_length is not None:
            schema["maxLength"] = field.max_length
        # At least 1: spectacular adds the empty string as its own alternative when it is allowed.
        schema["minLength"] = max(field.min_length or 0, 1)
        return schema


_CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


class StrictUUIDField(serializers.UUIDField):
    """A UUID written the usual way (8-4-4-4-12 hex digits), not a number or a URN."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not _CANONICAL_UUID.fullmatch(data):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """JSON `true` or `false` only: DRF's own also takes "yes", "on", 1 and their opposites."""

    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer only: DRF's own also takes "12", 12.0 and true."""

    default_error_messages = {"invalid": "Must be a whole number (a JSON integer)."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)
