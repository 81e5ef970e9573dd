"""The Editors role, created by migrations, is what makes an editor."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import EDITORS_GROUP, editor_ids, is_editor

pytestmark = pytest.mark.django_db


def test_the_editors_group_exists_with_the_permission_to_publish():
    group = Group.objects.get(name=EDITORS_GROUP)
    assert group.permissions.filter(codename="publish_article").exists()


def test_an_editor_may_publish_and_a_reader_may_not(editor, reader):
    assert is_editor(editor) and editor.has_perm("articles.publish_article")
    assert not is_editor(reader) and not reader.has_perm("articles.publish_article")


def test_editors_are_found_among_many_users_in_one_query(
    editor, reader, stranger, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert editor_ids([editor.pk, reader.pk, stranger.pk]) == {editor.pk}
