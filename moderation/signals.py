"""Signals moderation sends once the transaction that made its change has committed.

For side effects nothing waits on (notifications, counters). The comments app's own signals
(comments/signals.py) follow the same convention.

- comment_moderated(sender=Comment, comment, event): a comment's status or featuring changed by
  an editor's decision, by readers' reports or by a pick; `event` is its ModerationEvent. For a
  bulk decision it is sent from a queued task (moderation.tasks.announce_decisions).
- reader_sanctioned(sender=Sanction, user, sanction): editors warned, suspended, banned, trusted
  or pre-moderated a reader, or lifted such a sanction (`sanction.lifted_at` is then set).
"""

from django.dispatch import Signal

comment_moderated = Signal()
reader_sanctioned = Signal()
