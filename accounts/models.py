from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from knox.models import AbstractAuthToken


class User(AbstractUser):
    """A reader or an editor. Readers see each other by username: it is the display name."""

    # Bumped in the same transaction as any change to what this person may do or is: their
    # confirmed addresses, their roles, editors' sanctions (accounts.readers.reader_changed). What
    # is derived from those is kept per process under it (`remembered`), and since every request
    # reads the user's row, it never outlives the change.
    standing_version = models.PositiveBigIntegerField(default=0, editable=False)
    # Unread notifications (comments.notifications keeps it in the transaction that makes or reads
    # them): the header shows it from the row every request reads anyway, with no query of its own.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    # Set by accounts.roles.is_editor on the instance it asks about (a request's user), so that a
    # page asks the database once; absent until then.
    _is_editor: bool

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]  # django-stubs 5.2 omits it
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # "Alice" and "alice" must not be two people in a comment thread.
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    # Kept only by UPDATEs (F expressions): a save() of a user read earlier must not write back
    # an older count.
    COUNTERS = frozenset({"unread_notifications"})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.COUNTERS
            ]
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.username

    def __str__(self) -> str:
        return self.username


class ApiToken(AbstractAuthToken):
    """A personal API token: only its hash is stored; the reader sees the secret once."""

    name = models.CharField(max_length=60)

    class Meta:
        swappable = "KNOX_TOKEN_MODEL"
        ordering = ["-created"]
        indexes = [models.Index(fields=["user", "-created"], name="apitoken_user_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"

    @property
    def expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()
