"""Forms: shape and field errors only; the rules are in services.py (which forms call)."""

from __future__ import annotations

import uuid

from django import forms

from .models import ModerationSettings, Report, Sanction
from .moderation import SETTINGS_FIELDS
from .services import body_problem


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
    # Set by the "Post anyway" button of a nudge (see moderation.Screening.nudge).
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


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
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Tell us more",
        help_text="Required when you choose “Something else”.",
    )


# --- Moderation (editors) ---------------------------------------------------------------------


class DecisionForm(forms.Form):
    """One row's action: which version the editor saw, and the reason the author will read."""

    version = forms.IntegerField(min_value=0)
    reason = forms.CharField(required=False, max_length=500)


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("approve", "reject", "spam", "restore")])
    # "pk:version" for each selected row, so each decision applies to what the editor saw.
    ids = forms.MultipleChoiceField(
        required=True, error_messages={"required": "Select at least one comment first."}
    )
    reason = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(v, v) for v in self.data.getlist("ids")] if self.data else []

    def clean_ids(self) -> dict[int, int]:
        seen = {}
        for value in self.cleaned_data["ids"]:
            try:
                pk, version = (int(part) for part in value.split(":"))
            except ValueError:
                raise forms.ValidationError("The selection could not be read.") from None
            seen[pk] = version
        return seen


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(choices=Sanction.Kind.choices, label="Sanction")
    reason = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The reader sees it (required for a warning, suspension or ban).",
    )
    days = forms.IntegerField(required=False, min_value=1, max_value=3650, label="Days")
    reject_pending = forms.BooleanField(
        required=False, label="Also reject their comments awaiting moderation (ban only)"
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label="Private note"
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ModerationSettings
        fields = list(SETTINGS_FIELDS)
        widgets = {
            "banned_terms": forms.Textarea(attrs={"rows": 5}),
            "suspect_terms": forms.Textarea(attrs={"rows": 5}),
        }
