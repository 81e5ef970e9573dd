"""Forms: shape and field errors only; the rules are in services.py (which forms call)."""

from __future__ import annotations

import uuid

from django import forms

from .errors import CommentError
from .models import Report
from .services import REPORT_TEXT_MAX_LENGTH, body_problem


def add_refusal(form: forms.Form, error: CommentError) -> None:
    """Show a service's refusal on the form: at each field it names, or above the form."""
    if not error.errors:
        form.add_error(None, error.message)
    for name, message in error.errors.items():
        form.add_error(name if name in form.fields else None, message)


class BodyField(forms.CharField):
    """The comment text exactly as typed (not stripped), checked by the one rule in services."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Your comment")
        super().__init__(
            required=False,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 6}),
            **kwargs,
        )

    def validate(self, value: str) -> None:
        super().validate(value)
        if problem := body_problem(value):
            raise forms.ValidationError(problem)


class CommentForm(forms.Form):
    body = BodyField()
    # A fresh token per rendered form (a callable initial is called per form): posting the same
    # form twice stores one comment.
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    # Set by the "Post anyway" button of a nudge (a CommentNudge from the moderator).
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Set by comments.views.post when the moderator nudges: the question shown at the form.
    nudge: str | None = None


class EditForm(forms.Form):
    body = BodyField(label="Your comment")


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        label="What is wrong with this comment?",
        error_messages={"required": "Please choose a reason for your report."},
    )
    text = forms.CharField(
        required=False,
        max_length=REPORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Tell us more",
        help_text="Required when you choose “Something else”.",
    )
