from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"
    # Granted to the Editors group (see accounts.roles; migration 0003 grants them too).
    editor_permissions = [
        "comments.view_comment",
        "comments.change_comment",
        "comments.view_commentrevision",
        "comments.view_report",
    ]

    def ready(self) -> None:
        from . import checks, receivers  # noqa: F401  (settings checks; cache, deleted accounts)
