"""What a reader is and may do is remembered per process, under a version their row carries.

Every change to it (an address confirmed, a role given, a sanction) moves `standing_version` in
the same transaction, so the next page, in any process, derives it again: never stale.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from accounts.roles import is_editor, make_editor
from moderation.sanctions import lift_sanction, sanction
from tests.conftest import UserFactory

pytestmark = pytest.mark.django_db


def version(user: User) -> int:
    return User.objects.get(pk=user.pk).standing_version


def page(client, article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


def test_confirming_an_address_opens_the_form_on_the_next_page(client, article):
    newcomer = UserFactory(username="newcomer", verified=False)
    EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=False, primary=True)
    client.force_login(newcomer)
    assert 'id="comment-form"' not in page(client, article)
    before = version(newcomer)
    address = EmailAddress.objects.get(user=newcomer)
    address.verified = True
    address.save()
    assert version(newcomer) == before + 1
    assert 'id="comment-form"' in page(client, article)


def test_a_ban_and_its_lifting_show_on_the_next_page(client, article, reader, editor):
    client.force_login(reader)
    assert 'id="comment-form"' in page(client, article)
    ban = sanction(reader, "ban", by=editor, reason="Spam, again.")
    shown = page(client, article)
    assert "no longer take part" in shown and 'id="comment-form"' not in shown
    lift_sanction(ban, by=editor)
    assert 'id="comment-form"' in page(client, article)


def test_becoming_an_editor_is_seen_at_once(reader):
    assert not is_editor(User.objects.get(pk=reader.pk))
    make_editor(reader)
    assert is_editor(User.objects.get(pk=reader.pk))
