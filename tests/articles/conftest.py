"""Fixtures for the publishing tests: a writer who may edit but not publish, a clock to move."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.models import User
from tests.conftest import UserFactory


@pytest.fixture
def writer(db) -> User:
    """Staff who may write and edit articles, but not publish, schedule or unpublish them."""
    user = UserFactory(username="writer", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=["add_article", "change_article", "view_article", "view_section"],
        )
    )
    return user


@contextmanager
def clock_at(moment: dt.datetime):
    """Every `timezone.now()` (public queries, auto_now, history dates) answers `moment`."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now().replace(microsecond=0)
