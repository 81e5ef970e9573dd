"""Keeping `User.standing_version` true (accounts/readers.py): each receiver runs in the
transaction of the change it follows."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import User
from .readers import reader_changed


@receiver([post_save, post_delete], sender=EmailAddress, dispatch_uid="accounts_email_changed")
def _email_changed(sender, instance: EmailAddress, raw: bool = False, **kwargs) -> None:
    if not raw:
        reader_changed([instance.user_id])


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts_roles_changed")
def _roles_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # group.user_set changed: pk_set holds the users (None on clear: all members)
        reader_changed(pk_set or instance.user_set.values_list("pk", flat=True))
    else:
        reader_changed([instance.pk])
