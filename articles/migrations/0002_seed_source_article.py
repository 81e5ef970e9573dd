from django.db import migrations

from articles.seed import SLUG, seed_source_article


def seed(apps, schema_editor):
    seed_source_article(apps)


def unseed(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(slug=SLUG, section__path="more/health/recovery").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
