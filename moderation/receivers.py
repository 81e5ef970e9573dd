"""Keeping what is derived from sanctions true: a reader's `standing_version` (accounts/readers.py)
moves in the transaction of every change to their sanctions, whichever way it was made."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.readers import reader_changed

from .models import Sanction


@receiver([post_save, post_delete], sender=Sanction, dispatch_uid="moderation_sanction_changed")
def _sanction_changed(sender, instance: Sanction, raw: bool = False, **kwargs) -> None:
    if not raw:
        reader_changed([instance.user_id])
