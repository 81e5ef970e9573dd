"""Signals the comment services and moderation functions send after their change is saved.

For side effects nothing waits on (notifications, counters, search, cached pages). Unless said
otherwise each is sent with `sender=Comment` once the transaction that made the change has
committed.

- comment_posted(comment): a new comment was stored (whatever its status).
- comment_edited(comment, revision): the author changed the text; `revision` keeps the old one.
- comment_deleted(comment): the author removed their comment (a soft delete).
- comment_reported(comment, report): a reader reported a comment.
- comment_moderated(comment, event): a comment's status or featuring changed by a decision, by
  reports or by a feature; `event` is its ModerationEvent.
- reader_sanctioned(user, sanction): editors warned, suspended, banned, trusted or pre-moderated
  a reader, or lifted such a sanction (`sanction.lifted_at` is then set).

- comment_changed(comment, previous_status): sent at once, inside the transaction, after a
  moderation function changed a comment's row with a conditional UPDATE (which sends no
  post_save). The thread cache listens to it exactly as it listens to post_save.
"""

from django.dispatch import Signal

comment_posted = Signal()
comment_edited = Signal()
comment_deleted = Signal()
comment_reported = Signal()
comment_moderated = Signal()
reader_sanctioned = Signal()
comment_changed = Signal()
