"""Keeping derived state true: threads' versions and counts, and what a deleted account leaves.

Each receiver runs in the transaction of the change it follows (post_save and friends are sent
inside it), so a thread's new version commits with the change or not at all.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from articles.models import Article

from . import notifications, signals
from .models import Comment, Notification, Thread
from .services import handle_deleted_account
from .thread import bump_threads


@receiver(post_save, sender=Comment, dispatch_uid="comments_thread_saved")
def _comment_saved(sender, instance: Comment, created: bool, **kwargs) -> None:
    was_visible = getattr(instance, "_loaded_status", None) == Comment.Status.APPROVED
    if instance.is_visible or was_visible:
        bump_threads([instance.article_id])
    instance._loaded_status = instance.status


@receiver(post_delete, sender=Comment, dispatch_uid="comments_thread_deleted")
def _comment_deleted(sender, instance: Comment, origin=None, **kwargs) -> None:
    if _article_deleted(origin):
        return  # the thread goes with its article
    if instance.is_visible or getattr(instance, "_loaded_status", None) == Comment.Status.APPROVED:
        bump_threads([instance.article_id])


def _article_deleted(origin) -> bool:
    model = getattr(origin, "model", type(origin))  # a deleted instance, or a queryset
    return model is Article


@receiver(post_save, sender=Article, dispatch_uid="comments_thread_made")
def _article_saved(sender, instance: Article, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        Thread.objects.get_or_create(article=instance)


@receiver(pre_delete, sender=get_user_model(), dispatch_uid="comments_account_deleted")
def _account_deleted(sender, instance, **kwargs) -> None:
    bump_threads(handle_deleted_account(user=instance))


def _forget_threads_showing(user_ids) -> None:
    """A reader's name or editor's badge is part of every cached thread they appear in."""
    article_ids = (
        Comment.objects.visible()
        .filter(author_id__in=user_ids)
        .values_list("article_id", flat=True)
    )
    bump_threads(article_ids.distinct())


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


# --- Notifications (comments/notifications.py), after the change has committed ---------------


@receiver(signals.comment_posted, dispatch_uid="comments_notify_posted")
def _notify_posted(sender, comment: Comment, **kwargs) -> None:
    notifications.comment_posted(comment)


@receiver(signals.comment_edited, dispatch_uid="comments_notify_edited")
def _notify_edited(sender, comment: Comment, **kwargs) -> None:
    notifications.comment_edited(comment)


@receiver(signals.comment_reported, dispatch_uid="comments_notify_reported")
def _notify_reported(sender, comment: Comment, **kwargs) -> None:
    notifications.comment_reported(comment)


@receiver(post_delete, sender=Notification, dispatch_uid="comments_notification_deleted")
def _notification_deleted(sender, instance: Notification, **kwargs) -> None:
    # A comment (or its article) deleted takes its notifications along: the count follows.
    if instance.read_at is None:
        notifications.recount([instance.recipient_id])
