"""What a username may be. The username is the name shown on every comment, so it must be short,
plain and impossible to mistake for the site's own voice.

ASCII only: letters from other scripts would let "admin" spelt with a Cyrillic "a" pass for "admin".
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

MIN_LENGTH = 3
MAX_LENGTH = 30

_ALLOWED = re.compile(r"[A-Za-z0-9._-]+")
_EDGES = re.compile(r"^[A-Za-z0-9].*[A-Za-z0-9]$|^[A-Za-z0-9]$")
_SEPARATORS = re.compile(r"[._-]")

# Names that would pass for the site, its staff or a system account. Compared after lower-casing
# and dropping separators, so "Site.Admin" and "web-master" are caught with "siteadmin".
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrator",
        "administrators",
        "siteadmin",
        "sysadmin",
        "editor",
        "editors",
        "moderator",
        "moderators",
        "mod",
        "mods",
        "staff",
        "team",
        "support",
        "helpdesk",
        "help",
        "info",
        "contact",
        "security",
        "abuse",
        "webmaster",
        "postmaster",
        "hostmaster",
        "noreply",
        "root",
        "system",
        "official",
        "colloquy",
        "deleted",
        "deleteduser",
        "anonymous",
        "guest",
        "nobody",
        "null",
        "none",
        "undefined",
        "me",
        "you",
        "api",
        "www",
        "accounts",
        "account",
        "login",
        "logout",
        "signup",
        "user",
        "users",
    }
)


def normalise(username: str) -> str:
    """The form of a name used to compare it with the reserved ones."""
    return _SEPARATORS.sub("", username).casefold()


def is_reserved(username: str) -> bool:
    return normalise(username) in RESERVED_USERNAMES


def validate_username_shape(username: str) -> None:
    """Length and characters; raises ValidationError with one clear message per broken rule."""
    errors = []
    if not MIN_LENGTH <= len(username) <= MAX_LENGTH:
        errors.append(
            ValidationError(
                f"A username is {MIN_LENGTH} to {MAX_LENGTH} characters long "
                f"(this one has {len(username)}).",
                code="username_length",
            )
        )
    if not _ALLOWED.fullmatch(username):
        errors.append(
            ValidationError(
                "A username may contain only letters (a-z, A-Z), digits and . _ -",
                code="username_characters",
            )
        )
    elif not _EDGES.match(username):
        errors.append(
            ValidationError(
                "A username must start and end with a letter or a digit.",
                code="username_edges",
            )
        )
    if errors:
        raise ValidationError(errors)


def validate_username(username: str) -> None:
    """Every rule a reader's chosen name must pass, except uniqueness (a database question)."""
    validate_username_shape(username)
    if is_reserved(username):
        raise ValidationError(
            "That username is reserved. Please choose another.", code="username_reserved"
        )
