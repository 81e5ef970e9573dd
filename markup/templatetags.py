"""Filters every template has (settings.TEMPLATES "builtins"): no {% load %} needed."""

from django import template

from .times import machine_time

register = template.Library()


@register.filter(name="machine_time")
def machine_time_filter(value) -> str:
    """For `<time datetime>` and meta tags: `{{ comment.created_at|machine_time }}`."""
    try:
        return machine_time(value)
    except TypeError:
        return ""
