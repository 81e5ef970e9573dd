"""The editors' forms: shape and field errors only; the rules are in the functions forms call."""

from __future__ import annotations

from django import forms
from django.utils.datastructures import MultiValueDict

from .configuration import PACK_FIELDS, SETTINGS_FIELDS
from .decisions import REASON_MAX_LENGTH, Decision
from .models import ModerationSettings, RulePack, Sanction
from .sanctions import MAX_SUSPENSION_DAYS, NOTE_MAX_LENGTH
from .sanctions import REASON_MAX_LENGTH as SANCTION_REASON_MAX_LENGTH


class DecisionForm(forms.Form):
    """One row's action: which version the editor saw, and the reason the author will read."""

    version = forms.IntegerField(min_value=0)
    reason = forms.CharField(required=False, max_length=REASON_MAX_LENGTH)


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=[(d.value, d.value) for d in Decision])
    # "pk:version" for each selected row, so each decision applies to what the editor saw.
    ids = forms.MultipleChoiceField(
        required=True, error_messages={"required": "Select at least one comment first."}
    )
    reason = forms.CharField(required=False, max_length=REASON_MAX_LENGTH)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ids = self.fields["ids"]
        assert isinstance(ids, forms.MultipleChoiceField)
        # Whatever ids were posted (request.POST) are the choices; clean_ids reads each one.
        posted = self.data.getlist("ids") if isinstance(self.data, MultiValueDict) else []
        ids.choices = [(v, v) for v in posted]

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
        max_length=SANCTION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The reader sees it (required for a warning, suspension or ban).",
    )
    days = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_SUSPENSION_DAYS, label="Days"
    )
    reject_pending = forms.BooleanField(
        required=False, label="Also reject their comments awaiting moderation (ban only)"
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), label="Private note"
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ModerationSettings
        fields = list(SETTINGS_FIELDS)
        widgets = {
            "banned_terms": forms.Textarea(attrs={"rows": 5}),
            "suspect_terms": forms.Textarea(attrs={"rows": 5}),
            "trusted_domains": forms.Textarea(attrs={"rows": 8}),
            "blocked_domains": forms.Textarea(attrs={"rows": 4}),
            "subject_words": forms.Textarea(attrs={"rows": 3}),
        }


class RulePackForm(forms.ModelForm):
    """A pack's fields; the slug may be left empty for a new pack (made from the name)."""

    class Meta:
        model = RulePack
        fields = list(PACK_FIELDS)
        widgets = {
            "phrases": forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
            "advice": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = (
            "Its code in the screening reasons (pack:slug). Empty: made from the name. "
            "Changing it restarts the count of how often it fired."
        )

    def validate_unique(self) -> None:
        # save_pack checks everything (the slug it makes from the name too).
        return None
