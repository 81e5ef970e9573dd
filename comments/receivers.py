"""Side effects nothing waits on: replacing cached threads, tidying up after a deleted account."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
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
