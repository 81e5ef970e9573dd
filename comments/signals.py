"""Signals the comment services send once the transaction that made their change has committed.

For side effects nothing waits on (notifications, counters, search). Each is sent with
`sender=Comment`. Moderation's own signals are in moderation/signals.py.

- comment_posted(comment): a new comment was stored (whatever its status).
- comment_edited(comment, revision): the author changed the text; `revision` keeps the old one.
- comment_deleted(comment): the author removed their comment (a soft delete).
- comment_reported(comment, report): a reader reported a comment.
"""

from django.dispatch import Signal

comment_posted = Signal()
comment_edited = Signal()
comment_deleted = Signal()
comment_reported = Signal()
