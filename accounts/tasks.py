"""Emails go out through the task queue: rendered where they are asked for, sent by a task.

allauth's adapter (accounts.adapters) renders each message in the request (templates, links,
the site's name) and queues it as plain data, so the worker needs no request to send it and a
slow or failing mail server never holds up a reader. A send that keeps failing is retried with
backoff, then kept as a dead letter that an editor can queue again from the admin.
"""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives

from taskqueue.queue import enqueue, task


def message_data(message: EmailMessage) -> dict[str, Any]:
    """What a task needs to send `message` again: JSON, no attachments (none of ours has any)."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def message_from(data: dict[str, Any]) -> EmailMultiAlternatives:
    fields = {k: v for k, v in data.items() if k != "alternatives"}
    message = EmailMultiAlternatives(**fields)
    for content, mimetype in data.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    return message


def queue_email(message: EmailMessage) -> None:
    """Send `message` from the task queue, once the current transaction commits."""
    enqueue(send_email, message_data(message))


@task()
def send_email(message: dict[str, Any]) -> None:
    message_from(message).send()
