"""A signed-in reader's article page: one frame kept per version, what is theirs put in.

Everything on the page but the discussion, the messages and the header's account links is the
same for every signed-in reader of a version of the article (its layout, navigation, text,
breadcrumb, JSON-LD). It is rendered once per (article versions, host, kind of reader: staff or
not, with unread notifications or not) with stand-ins where a reader's own things go (their name,
their unread count, the CSRF token, the messages, the discussion), and kept in the page cache
(`pagecache.kept`) like the anonymous page's fragments. Each view renders only the discussion
(the comments app's tag: the shared thread plus the reader's overlay) and puts it and the
reader's own values in, in one pass over the frame.

The frame holds nothing of any reader: the stand-ins are constants, and the values that replace
them are this request's alone, never stored.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import pagecache

# Stand-ins: text no page shows otherwise (the frame is our template output around them).
NAME = "reader-name-5f1c9e0b"
COUNT = "7319046285"
CSRF = "csrf-frame-2d7a4b91"
MESSAGES = "<!--messages-6b2e18f4-->"
DISCUSSION = "<!--discussion-0c94d3a7-->"
_STAND_INS = re.compile("|".join(re.escape(s) for s in (NAME, COUNT, CSRF, MESSAGES, DISCUSSION)))


class StandInReader:
    """What the header asks of a signed-in user, with stand-ins for what is theirs alone."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, *, is_staff: bool, has_unread: bool) -> None:
        self.is_staff = is_staff
        self.unread_notifications = COUNT if has_unread else 0
        self.display_name = NAME


def page(request: HttpRequest, template: str, context: dict[str, Any], versions: tuple) -> bytes:
    """The page for this signed-in reader (`context` as for a whole render), from the frame of
    this version of the article and their kind of reader."""
    user: Any = request.user  # signed in (the view asks)
    is_staff, has_unread = bool(user.is_staff), bool(user.unread_notifications)

    def frame() -> str:
        stand_in = StandInReader(is_staff=is_staff, has_unread=has_unread)
        slots = {"messages": mark_safe(MESSAGES), "discussion": mark_safe(DISCUSSION)}
        frame_context = {**context, "user": stand_in, "csrf_token": CSRF, "frame": slots}
        return render_to_string(template, frame_context, request)

    html = pagecache.kept("signed-frame", (*versions, is_staff, has_unread), frame)
    token = get_token(request)  # one for the page: each call masks the secret afresh
    # Rendered against the request: the comments app's tag reads the reader, the session's
    # notices and drafts, and marks which order and page it showed.
    discussion = render_to_string(
        "articles/discussion.html", {**context, "csrf_token": token}, request
    )
    storage = get_messages(request)
    messages = render_to_string("partials/messages.html", {"messages": storage}) if storage else ""
    values = {
        NAME: escape(user.display_name),
        COUNT: str(int(user.unread_notifications)),
        CSRF: token,
        MESSAGES: messages,
        DISCUSSION: discussion,
    }
    # One pass: what is put in is never looked at again, so no comment can carry a stand-in in.
    return _STAND_INS.sub(lambda match: values[match.group(0)], html).encode()


def response(
    request: HttpRequest, template: str, context: dict[str, Any], versions: tuple
) -> HttpResponse:
    return HttpResponse(page(request, template, context, versions))
