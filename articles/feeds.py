from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Rss201rev2Feed

from .models import Article, Section

FEED_SIZE = 30


class ArticlesFeed(Feed):
    """What every feed of articles says of each article (a feed's own title and items vary)."""

    feed_type = Rss201rev2Feed

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.description

    def item_author_name(self, item: Article) -> str:
        return item.author.display_name

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.modified_at


class LatestArticlesFeed(ArticlesFeed):
    def title(self) -> str:
        return f"{settings.SITE_NAME}: latest articles"

    def link(self) -> str:
        return "/"

    def description(self) -> str:
        return f"The latest articles published on {settings.SITE_NAME}."

    def items(self):
        return Article.objects.published().for_listing()[:FEED_SIZE]


class SectionFeed(ArticlesFeed):
    def get_object(self, request, path: str) -> Section:
        return get_object_or_404(Section, path=path)

    def title(self, obj: Section) -> str:
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj: Section) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Section) -> str:
        return obj.description or f"The latest articles in {obj.name}."

    def items(self, obj: Section):
        return Article.objects.published().in_section_tree(obj).for_listing()[:FEED_SIZE]
