"""The one place where Colloquy customises django-allauth (settings.ACCOUNT_ADAPTER)."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from .usernames import validate_username


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Usernames are unique whatever their case (a database constraint on Lower(username)), so
        # say so rather than leave "Alice" wondering why "alice" is taken.
        "username_taken": (
            "That username is already taken (capitals do not count: “Alice” and “alice” are "
            "the same name). Please choose another."
        ),
    }

    def clean_username(self, username: str, shallow: bool = False) -> str:
        # Our rules first: length, characters, reserved names. allauth then runs the model's
        # validators and the case-insensitive uniqueness check (unless shallow).
        validate_username(username)
        return super().clean_username(username, shallow=shallow)
