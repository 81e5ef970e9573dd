"""Shared serializer behaviour for the API."""

from __future__ import annotations

from rest_framework import serializers


class StrictFieldsMixin:
    """Refuse fields the endpoint does not know, instead of silently ignoring them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            known = set(self.fields)
            unknown = sorted(set(data) - known)
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


class AuthorSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
