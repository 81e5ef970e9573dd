import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

register = template.Library()

# What must not appear raw inside a <script> element: "<" (a "</script>" or "<!--" would end or
# change it), ">" and "&". The same escapes django.utils.html.json_script applies, which serves
# only type="application/json".
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(value) -> str:
    """JSON for a <script type="application/ld+json"> block, safe against "</script>" breakouts."""
    return mark_safe(
        json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    )
