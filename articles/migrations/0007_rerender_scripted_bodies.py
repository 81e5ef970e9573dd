"""Bodies rendered again where they held script or style elements (whose contents used to show as
text)."""

import html

from django.db import migrations
from django.db.models import Q
from django.utils.html import strip_tags

from markup.sanitize import render_markdown

SCRIPTING = ["<script", "<style", "<noscript", "<template", "<iframe", "<object"]


def rerender(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Page = apps.get_model("articles", "Page")
    touched = Q()
    for tag in SCRIPTING:
        touched |= Q(body__icontains=tag)
    for article in Article.objects.filter(touched):
        article.body_html = render_markdown(article.body)
        article.body_text = html.unescape(strip_tags(article.body_html))
        article.save(update_fields=["body_html", "body_text"])
    for page in Page.objects.filter(touched):
        page.body_html = render_markdown(page.body)
        page.save(update_fields=["body_html"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_seed_pages")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]
