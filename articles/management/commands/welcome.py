from django.core.management.base import BaseCommand

from articles.models import Article


class Command(BaseCommand):
    help = "Print where the site's first article lives (make run calls this before serving)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args, base_url: str, **options):
        first = Article.objects.published().select_related("section").order_by("published_at")
        article = first.first()
        if article is None:
            self.stdout.write("No published article yet.")
            return
        self.stdout.write(f"Seed article: {base_url.rstrip('/')}{article.get_absolute_url()}")
