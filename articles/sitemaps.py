from django.contrib.sitemaps import Sitemap

from .models import Article, Section


class SectionSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Section.objects.order_by("path")


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().select_related("section").order_by("-published_at")

    def lastmod(self, item: Article):
        # The last material update: search engines recrawl for news, not for a fixed typo.
        return item.modified_at


sitemaps = {"sections": SectionSitemap, "articles": ArticleSitemap}
