"""The moderation queue's keyboard shortcuts (site/static/js/moderation.js), in a real browser.

The queue pages come in phase 2; these tests give the script a page shaped like the queue: rows
with their own forms, a selection checkbox, an optional reason field. Form submissions are caught
in the page (or, in the last test, by a fake server) so what each key sent can be checked.
"""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "site" / "static" / "js" / "moderation.js"


def row_html(comment_id: int, text: str, *, reason: bool) -> str:
    reason_field = '<label>Reason <input type="text" name="reason"></label>' if reason else ""
    return f"""
    <li class="queue-row" data-comment-id="{comment_id}">
      <input type="checkbox" class="queue-select" name="ids" value="{comment_id}" form="bulk"
             aria-label="Select comment {comment_id}">
      <p>{text}</p>
      <form method="post" action="/moderation/{comment_id}/approve/">
        <button data-action="approve">Approve</button></form>
      <form method="post" action="/moderation/{comment_id}/reject/">{reason_field}
        <button data-action="reject">Reject</button></form>
      <form method="post" action="/moderation/{comment_id}/spam/">
        <button data-action="spam">Spam</button></form>
      <form method="post" action="/moderation/{comment_id}/restore/">
        <button data-action="restore" disabled>Restore</button></form>
    </li>"""


PAGE = f"""<!doctype html>
<html lang="en"><head><title>Pending</title></head><body>
<label>Search <input type="search" id="search"></label>
<p data-shortcuts-hint hidden>Press ? for keyboard shortcuts.</p>
<ol class="queue">
{row_html(11, "First comment", reason=True)}
{row_html(12, "Second comment", reason=False)}
</ol>
<form id="bulk" method="post" action="/moderation/bulk/"></form>
<script>
  window.sent = [];
  document.addEventListener("submit", (event) => {{
    if (!event.target.closest(".queue-row")) return;
    event.preventDefault();
    const data = new FormData(event.target, event.submitter);
    window.sent.push([event.target.closest(".queue-row").dataset.commentId,
                      event.submitter ? event.submitter.dataset.action : null,
                      data.get("reason")]);
  }});
</script>
</body></html>"""


@pytest.fixture
def queue(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(5_000)
    page.set_content(PAGE)
    page.add_script_tag(path=str(SCRIPT))
    yield page
    context.close()


def current_id(page) -> str | None:
    return page.evaluate(
        """() => {
            const rows = document.querySelectorAll('.queue-row[aria-current="true"]');
            return rows.length === 1 ? rows[0].dataset.commentId : rows.length ? 'many' : null;
        }"""
    )


def focused_row_id(page) -> str | None:
    return page.evaluate("document.activeElement.closest('.queue-row')?.dataset.commentId ?? null")


def sent(page) -> list:
    return page.evaluate("window.sent")


def test_j_and_k_move_focus_between_rows_and_stop_at_the_ends(queue):
    assert current_id(queue) is None
    queue.keyboard.press("j")
    assert current_id(queue) == "11"
    assert focused_row_id(queue) == "11"
    assert queue.evaluate("document.activeElement.classList.contains('queue-row')")
    queue.keyboard.press("j")
    assert current_id(queue) == "12"
    assert queue.locator(".queue-row.is-focused").count() == 1
    queue.keyboard.press("j")
    assert current_id(queue) == "12"
    queue.keyboard.press("k")
    queue.keyboard.press("k")
    assert current_id(queue) == "11"
    assert focused_row_id(queue) == "11"


def test_the_focused_row_is_scrolled_into_view(queue):
    queue.set_viewport_size({"width": 800, "height": 300})
    queue.evaluate("document.querySelector('.queue').style.marginTop = '2000px'")
    queue.keyboard.press("j")
    top = queue.evaluate("document.activeElement.getBoundingClientRect().top")
    assert 0 <= top < 300


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("jja", [["12", "approve", None]]),  # a approves the focused row, not the first
        ("js", [["11", "spam", None]]),
        ("jjr", [["12", "reject", None]]),  # no reason field in this row: rejected at once
        ("ju", []),  # restore is disabled in a pending queue: nothing is sent
        ("a", []),  # no row has focus yet
    ],
)
def test_action_keys_submit_the_focused_rows_own_form(queue, keys, expected):
    for key in keys:
        queue.keyboard.press(key)
    assert sent(queue) == expected


def test_r_moves_to_the_reason_field_and_enter_sends_the_reason_with_the_rejection(queue):
    queue.keyboard.press("j")
    queue.keyboard.press("r")
    assert sent(queue) == []
    assert queue.evaluate("document.activeElement.name") == "reason"
    # Letters that are shortcuts elsewhere are just typing here.
    queue.keyboard.type("Sorry, just a jerk: spam?")
    assert current_id(queue) == "11"
    queue.keyboard.press("Enter")
    assert sent(queue) == [["11", "reject", "Sorry, just a jerk: spam?"]]


def test_escape_in_the_reason_field_returns_to_the_row(queue):
    queue.keyboard.press("j")
    queue.keyboard.press("r")
    queue.keyboard.press("Escape")
    assert queue.evaluate("document.activeElement.classList.contains('queue-row')")
    queue.keyboard.press("j")
    assert current_id(queue) == "12"


def test_x_toggles_the_selection_of_the_focused_row(queue):
    queue.keyboard.press("j")
    queue.keyboard.press("x")
    box = queue.locator('[data-comment-id="11"] .queue-select')
    assert box.is_checked()
    assert queue.locator('[data-comment-id="11"]').get_attribute("class") == (
        "queue-row is-focused is-selected"
    )
    assert queue.locator("[data-queue-announcer]").inner_text() == "Selected"
    queue.keyboard.press("j")
    queue.keyboard.press("x")
    assert queue.locator(".queue-select:checked").count() == 2
    queue.keyboard.press("x")
    assert queue.locator(".queue-select:checked").count() == 1
    assert queue.locator('[data-comment-id="12"]').get_attribute("class") == "queue-row is-focused"


def test_a_click_on_the_checkbox_marks_the_row_selected_too(queue):
    queue.locator('[data-comment-id="12"] .queue-select').click()
    assert "is-selected" in queue.locator('[data-comment-id="12"]').get_attribute("class")


def test_question_mark_toggles_the_help_dialog_and_escape_closes_it(queue):
    queue.keyboard.press("j")
    queue.keyboard.press("?")
    dialog = queue.locator("dialog#queue-help")
    assert dialog.is_visible()
    assert queue.evaluate("document.getElementById('queue-help').open")
    assert dialog.get_by_role("heading").inner_text() == "Keyboard shortcuts"
    keys = dialog.locator("kbd").all_inner_texts()
    assert keys == ["j", "k", "a", "r", "s", "u", "x", "?", "Esc"]
    # While the help is open, shortcuts do nothing.
    queue.keyboard.press("a")
    assert sent(queue) == []
    queue.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert focused_row_id(queue) == "11"
    queue.keyboard.press("?")
    assert dialog.is_visible()
    queue.keyboard.press("?")
    assert not dialog.is_visible()
    dialog_count = queue.locator("dialog").count()
    queue.keyboard.press("?")
    assert queue.locator("dialog").count() == dialog_count == 1


def test_the_help_dialog_closes_with_its_button(queue):
    queue.keyboard.press("?")
    queue.get_by_role("button", name="Close").click()
    assert not queue.locator("dialog#queue-help").is_visible()


def test_keys_typed_in_a_field_are_not_shortcuts(queue):
    queue.locator("#search").click()
    queue.keyboard.type("jjaxs?r")
    assert queue.locator("#search").input_value() == "jjaxs?r"
    assert current_id(queue) is None
    assert sent(queue) == []
    assert not queue.locator("dialog#queue-help").is_visible()


def test_keys_with_ctrl_alt_or_meta_are_left_to_the_browser(queue):
    queue.keyboard.press("j")
    for chord in ("Control+a", "Alt+a", "Meta+s", "Control+j"):
        queue.keyboard.press(chord)
    assert sent(queue) == []
    assert current_id(queue) == "11"


def test_tabbing_into_a_row_makes_it_the_row_the_keys_act_on(queue):
    queue.locator('[data-comment-id="12"] [data-action="spam"]').focus()
    assert current_id(queue) == "12"
    queue.keyboard.press("a")
    assert sent(queue) == [["12", "approve", None]]


def test_the_shortcuts_hint_is_shown_only_when_the_script_runs(queue):
    assert queue.locator("[data-shortcuts-hint]").is_visible()


def test_loading_the_script_twice_does_not_double_the_shortcuts(queue):
    queue.add_script_tag(path=str(SCRIPT))
    queue.keyboard.press("j")
    queue.keyboard.press("a")
    assert sent(queue) == [["11", "approve", None]]


class FakeQueue:
    """A stand-in server for a pending queue: each POST decides a comment, then 303 back to the
    queue, as the real pages will (a real HTTP server: Playwright's routing does not follow a
    redirect it fulfilled)."""

    def __init__(self, ids):
        self.pending = list(ids)
        self.decisions = []
        queue = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, body=b"", content_type="text/html; charset=utf-8", **headers):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path == "/static/js/moderation.js":
                    self.reply(200, SCRIPT.read_bytes(), "text/javascript")
                else:
                    self.reply(200, queue.page().encode())

            def do_POST(self):
                match = re.fullmatch(r"/moderation/(\d+)/(\w+)/", self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                if not match:
                    self.reply(404)
                    return
                comment_id, action = int(match[1]), match[2]
                queue.decisions.append((comment_id, action, form.get("reason", [""])[0]))
                queue.pending.remove(comment_id)
                self.reply(303, Location="/moderation/")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/moderation/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def page(self) -> str:
        rows = "".join(
            row_html(comment_id, f"Comment {comment_id}", reason=True)
            for comment_id in self.pending
        )
        return (
            '<!doctype html><html lang="en"><head><title>Pending</title></head><body>'
            f'<h1>Pending ({len(self.pending)})</h1><ol class="queue">{rows}</ol>'
            '<script src="/static/js/moderation.js"></script></body></html>'
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_a_queue_is_worked_with_the_keyboard_alone_across_page_loads(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(5_000)
    with FakeQueue([1, 2, 3, 4]) as server:
        page.goto(server.url)
        page.keyboard.press("j")
        page.keyboard.press("j")
        with page.expect_navigation():
            page.keyboard.press("a")  # approve 2
        # Back on the queue, the row after the decided one has focus: no need to press j.
        page.wait_for_selector('.queue-row[aria-current="true"]')
        assert page.locator("h1").inner_text() == "Pending (3)"
        assert current_id(page) == "3"
        assert focused_row_id(page) == "3"
        page.keyboard.press("r")
        page.keyboard.type("Off topic")
        with page.expect_navigation():
            page.keyboard.press("Enter")  # reject 3, with a reason
        page.wait_for_selector('.queue-row[aria-current="true"]')
        # The last row went: focus moves back to the row before it.
        assert current_id(page) == "4"
        with page.expect_navigation():
            page.keyboard.press("s")  # spam 4
        page.wait_for_selector('.queue-row[aria-current="true"]')
        assert current_id(page) == "1"
        with page.expect_navigation():
            page.keyboard.press("a")  # approve 1: the queue is empty
        assert page.locator("h1").inner_text() == "Pending (0)"
        assert current_id(page) is None
    context.close()
    assert server.decisions == [
        (2, "approve", ""),
        (3, "reject", "Off topic"),
        (4, "spam", ""),
        (1, "approve", ""),
    ]
