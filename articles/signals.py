"""Signals the articles app sends, and its own side effects nothing waits on.

Sent by the functions in `articles.publishing` once the transaction that saved and recorded the
change has committed:

* `article_state_changed(sender=Article, article, by, action, previous_state)`: a publishing
  action happened (`action` is a `publishing.Action`; `previous_state` an `Article.State`).
  Listeners might drop cached pages or notify someone; nothing in the request waits on them.
* `article_saved(sender=Article, article, by, material)`: an editor saved an article's content
  (`material` when they marked it a material update).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from .models import Section
from .navigation import forget_sections

article_state_changed = Signal()
article_saved = Signal()


@receiver([post_save, post_delete], sender=Section, dispatch_uid="articles_forget_nav")
def _section_changed(**kwargs) -> None:
    forget_sections()
