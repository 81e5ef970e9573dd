"""Send the notification digests whose hour is up (comments/tasks.py).

With a worker (REDIS_URL set) each waiting digest is already queued for its time; without one
(tasks run inline), run this from cron every few minutes.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from comments.tasks import send_due_digests


class Command(BaseCommand):
    help = "Send the notification digests (followed discussions, editors' queue) that are due."

    def handle(self, *args, **options) -> None:
        looked_at = send_due_digests()
        self.stdout.write(f"Digests looked at: {looked_at}.")
