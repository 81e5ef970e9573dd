from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"
    # Granted to the Editors group (see accounts.roles; the migrations grant them too).
    editor_permissions = [
        f"articles.{action}_{model}"
        for model in ("article", "section")
        for action in ("add", "change", "delete", "view")
    ] + ["articles.publish_article"]
