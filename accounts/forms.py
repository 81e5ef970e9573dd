from django import forms
from django.conf import settings

LIFETIME_LABELS = {"30": "30 days", "90": "90 days", "365": "One year", "never": "Never expires"}


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=60, help_text="What will use it, e.g. “My reading app”.", strip=True
    )
    lifetime = forms.ChoiceField(
        label="Expires after",
        choices=[(key, LIFETIME_LABELS.get(key, key)) for key in settings.API_TOKEN_LIFETIMES],
        initial="90",
    )

    def lifetime_days(self) -> int | None:
        return settings.API_TOKEN_LIFETIMES[self.cleaned_data["lifetime"]]
