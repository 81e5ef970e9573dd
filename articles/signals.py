"""Signals the articles app sends.

Sent by the functions in `articles.publishing` once the transaction that saved and recorded the
change has committed:

* `article_state_changed(sender=Article, article, by, action, previous_state)`: a publishing
  action happened (`action` is a `publishing.Action`; `previous_state` an `Article.State`).
  Listeners might drop cached pages or notify someone; nothing in the request waits on them.
* `article_saved(sender=Article, article, by, material)`: an editor saved an article's content
  (`material` when they marked it a material update).
"""

from django.dispatch import Signal

article_state_changed = Signal()
article_saved = Signal()
