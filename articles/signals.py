"""Side effects nothing waits on: dropping cached navigation when the section tree changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Section
from .navigation import forget_sections


@receiver([post_save, post_delete], sender=Section, dispatch_uid="articles_forget_nav")
def _section_changed(**kwargs) -> None:
    forget_sections()
