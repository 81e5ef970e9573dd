"""Side effects nothing waits on: replacing cached threads, tidying up after a deleted account."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from .models import Comment
from .services import handle_deleted_account
from .thread import forget_threads


@receiver(post_save, sender=Comment, dispatch_uid="comments_thread_saved")
def _comment_saved(sender, instance: Comment, created: bool, **kwargs) -> None:
    was_visible = getattr(instance, "_loaded_status", None) == Comment.Status.APPROVED
    if instance.is_visible or was_visible:
        forget_threads([instance.article_id])
    instance._loaded_status = instance.status


@receiver(post_delete, sender=Comment, dispatch_uid="comments_thread_deleted")
def _comment_deleted(sender, instance: Comment, **kwargs) -> None:
    if instance.is_visible or getattr(instance, "_loaded_status", None) == Comment.Status.APPROVED:
        forget_threads([instance.article_id])


@receiver(pre_delete, sender=get_user_model(), dispatch_uid="comments_account_deleted")
def _account_deleted(sender, instance, **kwargs) -> None:
    forget_threads(handle_deleted_account(user=instance))


def _forget_threads_showing(user_ids) -> None:
    """A reader's name or editor's badge is part of every cached thread they appear in."""
    article_ids = (
        Comment.objects.visible()
        .filter(author_id__in=user_ids)
        .values_list("article_id", flat=True)
    )
    forget_threads(article_ids.distinct())


@receiver(post_save, sender=get_user_model(), dispatch_uid="comments_author_changed")
def _author_changed(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    # Logging in saves last_login only: nothing a thread shows.
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    _forget_threads_showing([instance.pk])


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="comments_author_role")
def _author_role_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    # Joining or leaving the Editors group adds or removes the badge on their comments.
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # group.user_set changed: pk_set holds the users (None on clear: all members)
        user_ids = pk_set or list(instance.user_set.values_list("pk", flat=True))
    else:
        user_ids = [instance.pk]
    _forget_threads_showing(user_ids)
