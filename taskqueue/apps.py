from django.apps import AppConfig


class TaskQueueConfig(AppConfig):
    name = "taskqueue"
    verbose_name = "Task queue"
    default_auto_field = "django.db.models.BigAutoField"
    # Granted to the Editors group (see accounts.roles; accounts migration 0005 grants them too):
    # editors see failed tasks and queue them again.
    editor_permissions = ["taskqueue.view_deadletter", "taskqueue.change_deadletter"]

    def ready(self) -> None:
        from . import deadletters  # noqa: F401  (Celery's task_failure: the dead-letter record)
