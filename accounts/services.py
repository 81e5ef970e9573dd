"""State changes on accounts that views, admin and commands call."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from .models import User
from .roles import is_editor, make_editor
from .usernames import validate_username_shape


class EditorAppointmentError(Exception):
    """The editor cannot be created or promoted as asked; the message says why."""


def appoint_editor(*, username: str, email: str) -> tuple[User, bool]:
    """Make `username` an editor with `email` as its verified address; returns (user, created).

    An existing user (matched whatever the case of the name) is promoted, provided `email` is the
    address they already have: a mismatch more likely names the wrong person than a new address.
    A new user gets no usable password; they choose one from a password-reset email.
    The operator vouches for the address, so it is marked verified. Reserved names are allowed
    here (an editor may well be called "support"); the other username rules apply.
    """
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise EditorAppointmentError(f"{email!r} is not a valid email address.") from exc
    with transaction.atomic():
        user = User.objects.filter(username__iexact=username).first()
        taken = EmailAddress.objects.filter(email__iexact=email)
        if user is not None:
            taken = taken.exclude(user=user)
        owner = taken.select_related("user").first()
        if owner is not None:
            raise EditorAppointmentError(f"{email} already belongs to the user {owner.user}.")
        created = user is None
        if user is None:
            try:
                validate_username_shape(username)
            except ValidationError as exc:
                raise EditorAppointmentError(" ".join(exc.messages)) from exc
            user = User(username=username, email=email)
            user.set_unusable_password()
        elif user.email and user.email.lower() != email.lower():
            raise EditorAppointmentError(
                f"{user} has the address {user.email}, not {email}. Check the username, or "
                "change their address first."
            )
        user.email = user.email or email
        user.is_staff = True
        user.save()
        make_editor(user)
        address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
        if address is None:
            address = EmailAddress(user=user, email=email)
        address.verified = True
        address.primary = True
        address.save()
        EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).update(
            primary=False
        )
    return user, created


class AccountDeletionRefused(Exception):
    """The account cannot be deleted by its owner; the message says why and what to do."""


def deletion_refusal(*, user: User) -> str | None:
    """Why this account may not delete itself, or None if it may."""
    if user.articles.exists():
        return (
            "Your account is the author of published or draft articles, so it cannot be "
            "deleted here. Please ask an editor to reassign your articles first."
        )
    if is_editor(user) or user.is_staff:
        # Staff accounts sign the site's editorial and moderation record; they are retired by
        # another editor (remove them from Editors), not deleted by themselves.
        return (
            "Editor and staff accounts cannot be deleted here. Please ask another editor to "
            "remove you from the Editors role first."
        )
    return None


def delete_account(*, user: User) -> None:
    """Delete a reader's account and everything that exists only for it.

    Email addresses and two-factor authenticators go with the user (CASCADE). What becomes of the
    reader's comments is the comments app's decision (its pre_delete receiver and setting), and
    runs in this same transaction, so a failure leaves the account whole.
    """
    reason = deletion_refusal(user=user)
    if reason:
        raise AccountDeletionRefused(reason)
    try:
        with transaction.atomic():
            user.delete()
    except (ProtectedError, RestrictedError) as exc:
        # Something of lasting value still points at the account (a PROTECT foreign key added by
        # another app): keep both, and say so instead of failing with a server error.
        raise AccountDeletionRefused(
            "Your account is still linked to content the site must keep, so it cannot be "
            "deleted here. Please contact us and we will help."
        ) from exc
