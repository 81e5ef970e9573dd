"""Side effects nothing waits on: replacing cached threads, tidying up after a deleted account."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from . import signals
from .models import Comment
from .services import handle_deleted_account
from .thread import forget_thread


def _forget_now_and_after_commit(article_ids) -> None:
    # Now, so this process (and a test) reads the change at once; again after commit, so a page
    # rendered by another request from not-yet-committed data cannot stay cached.
    ids = set(article_ids)
    for article_id in ids:
        forget_thread(article_id)
    transaction.on_commit(lambda: [forget_thread(article_id) for article_id in ids], robust=True)


@receiver(post_save, sender=Comment, dispatch_uid="comments_thread_saved")
def _comment_saved(sender, instance: Comment, created: bool, **kwargs) -> None:
    was_visible = getattr(instance, "_loaded_status", None) == Comment.Status.APPROVED
    if instance.is_visible or was_visible:
        _forget_now_and_after_commit([instance.article_id])
    instance._loaded_status = instance.status


@receiver(signals.comment_changed, sender=Comment, dispatch_uid="comments_thread_moderated")
def _comment_moderated(sender, comment: Comment, previous_status: str, **kwargs) -> None:
    # Decisions, reports and picks change rows with a conditional UPDATE (no post_save): the
    # same rule applies, a change to a comment that is or was visible replaces the thread.
    if comment.is_visible or previous_status == Comment.Status.APPROVED:
        _forget_now_and_after_commit([comment.article_id])


@receiver(post_delete, sender=Comment, dispatch_uid="comments_thread_deleted")
def _comment_deleted(sender, instance: Comment, **kwargs) -> None:
    if instance.is_visible or getattr(instance, "_loaded_status", None) == Comment.Status.APPROVED:
        _forget_now_and_after_commit([instance.article_id])


@receiver(pre_delete, sender=get_user_model(), dispatch_uid="comments_account_deleted")
def _account_deleted(sender, instance, **kwargs) -> None:
    _forget_now_and_after_commit(handle_deleted_account(user=instance))


def _forget_threads_showing(user_ids) -> None:
    """A reader's name or editor's badge is part of every cached thread they appear in."""
    article_ids = (
        Comment.objects.visible()
        .filter(author_id__in=user_ids)
        .values_list("article_id", flat=True)
    )
    _forget_now_and_after_commit(article_ids.distinct())


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
