"""Keeping what is derived from sanctions true: a reader's `standing_version` (accounts/readers.py)
moves in the transaction of every change to their sanctions, whichever way it was made; and
telling readers, after commit, what editors did with their comments."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.readers import reader_changed
from comments import notifications

from . import signals
from .models import ModerationEvent, Sanction


@receiver([post_save, post_delete], sender=Sanction, dispatch_uid="moderation_sanction_changed")
def _sanction_changed(sender, instance: Sanction, raw: bool = False, **kwargs) -> None:
    if not raw:
        reader_changed([instance.user_id])


@receiver(signals.comment_moderated, dispatch_uid="moderation_notify_decided")
def _notify_decided(sender, comment, event: ModerationEvent, **kwargs) -> None:
    """Tell readers what editors did (comments/notifications.py decides who hears what)."""
    actor = event.actor if event.actor_id else None
    if event.kind == ModerationEvent.Kind.FEATURED:
        notifications.comment_featured(comment=comment, actor=actor)
    elif event.kind == ModerationEvent.Kind.DECIDED:
        notifications.comment_decided(
            comment=comment, previous_status=event.from_status, actor=actor, reason=event.note
        )
