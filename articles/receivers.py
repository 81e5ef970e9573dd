"""Keeping the pages' versions true (articles.versions): each receiver runs in the transaction of
the change it follows, so the new version commits with the change or not at all."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Article, Section
from .versions import articles_changed, navigation_changed, schedule_changed


@receiver(post_save, sender=Article, dispatch_uid="articles_article_saved")
def _article_saved(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    articles_changed([instance.pk], listed=False)
    schedule_changed()  # lists change, and perhaps when the next scheduled article goes live


@receiver(post_delete, sender=Article, dispatch_uid="articles_article_deleted")
def _article_deleted(sender, instance: Article, **kwargs) -> None:
    schedule_changed()


@receiver([post_save, post_delete], sender=Section, dispatch_uid="articles_section_changed")
def _section_changed(sender, raw: bool = False, **kwargs) -> None:
    if not raw:
        navigation_changed()


@receiver(post_save, sender=get_user_model(), dispatch_uid="articles_author_changed")
def _author_changed(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    # An author's name is on their articles' pages and in lists. Logging in saves last_login
    # only: nothing a page shows.
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    articles_changed(Article.objects.filter(author=instance).values_list("pk", flat=True))
