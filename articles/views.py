"""Public pages: thin views over the published() rules in models and the helpers beside them."""

from __future__ import annotations

from collections import OrderedDict

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import pagecache, versions
from . import search as article_search
from .models import Article, Page, Section, SiteVersion
from .redirects import current_path
from .seo import article_jsonld


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    def page() -> HttpResponse:
        latest = list(Article.objects.published().for_listing()[:10])
        return render(
            request, "articles/home.html", {"latest": latest, "sections": Section.objects.tree()}
        )

    site = current_site_versions()
    return pagecache.serve(request, versions=("home", site.navigation, site.listing), render=page)


def current_site_versions() -> SiteVersion:
    """The site's versions, moved on first if a scheduled article has gone live since."""
    site = SiteVersion.objects.get_or_create(pk=SiteVersion.SINGLETON_PK)[0]
    if versions.publication_due(site.next_publication_at):
        versions.schedule_changed()
        site.refresh_from_db()
    return site


def _with_site_versions(queryset):
    """A page's own row with the site's versions, in the same query."""
    site = SiteVersion.objects.filter(pk=SiteVersion.SINGLETON_PK)
    return queryset.annotate(
        site_navigation=Subquery(site.values("navigation")),
        site_listing=Subquery(site.values("listing")),
        site_next_publication_at=Subquery(site.values("next_publication_at")),
    )


# Paths last seen to be sections, so their pages are found in one query (not an article lookup
# first): a hint only, checked by the query itself.
_SECTION_PATHS: OrderedDict[str, None] = OrderedDict()
_SECTION_PATHS_KEPT = 10_000


@require_safe
def resolve(request: HttpRequest, path: str) -> HttpResponse:
    """/<section path>/ is a section; /<section path>/<slug>/ is an article in it.

    Only when neither matches are old paths consulted (a moved article or section answers with a
    permanent redirect to where it is now), so a normal page pays nothing for them.
    """
    section_path, _, slug = path.rpartition("/")
    if path in _SECTION_PATHS and (section := _section_at(path)) is not None:
        return section_detail(request, section)
    if section_path:
        article = (
            _with_site_versions(Article.objects.published())
            .select_related("section", "author")
            .filter(section__path=section_path, slug=slug)
            .first()
        )
        if article is not None:
            return article_detail(request, article)
    section = _section_at(path)
    if section is not None:
        _SECTION_PATHS[path] = None
        while len(_SECTION_PATHS) > _SECTION_PATHS_KEPT:
            _SECTION_PATHS.popitem(last=False)
        return section_detail(request, section)
    moved_to = current_path(path)
    if moved_to is None:
        raise Http404("No such section or article.")
    url = reverse("articles:resolve", kwargs={"path": moved_to})
    query = request.META.get("QUERY_STRING")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def _section_at(path: str) -> Section | None:
    return _with_site_versions(Section.objects.filter(path=path)).first()


def article_detail(
    request: HttpRequest, article: Article, *, preview: bool = False
) -> HttpResponse:
    def page() -> HttpResponse:
        ancestors = list(Section.objects.ancestors_of(article.section))
        canonical = request.build_absolute_uri(article.get_absolute_url())
        context = {
            "article": article,
            "ancestors": ancestors,
            "canonical_url": canonical,
            "jsonld": article_jsonld(article, ancestors, request.build_absolute_uri),
            "preview": preview,
        }
        return render(request, "articles/article_detail.html", context)

    if preview or not hasattr(article, "site_navigation"):
        return page()
    page_versions = ("article", article.pk, article.version, article.site_navigation)
    # Whether readers may still comment can change with time alone (comments close after N days).
    return pagecache.serve(
        request,
        versions=(*page_versions, article.comments_closed),
        params=ARTICLE_PAGE_PARAMS,
        render=page,
    )


# The query parameters an article's page shows differently for (its discussion's order and page).
ARTICLE_PAGE_PARAMS = ("order", "comments_page")


@never_cache
@require_safe
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """An article in any state, exactly as its page will look, for those who may edit it.

    Everyone else gets the same 404 as for an article that does not exist.
    """
    if not request.user.has_perm("articles.change_article"):
        raise Http404("No such article.")
    article = get_object_or_404(Article.objects.select_related("section", "author"), pk=pk)
    return article_detail(request, article, preview=True)


def section_detail(request: HttpRequest, section: Section) -> HttpResponse:
    def page() -> HttpResponse:
        articles = Article.objects.published().in_section_tree(section).for_listing()
        page = Paginator(articles, settings.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
        pagecache.rendered(request, "page", page.number)
        context = {
            "section": section,
            "ancestors": list(Section.objects.ancestors_of(section)),
            "children": section.children.all(),
            "page": page,
            "canonical_url": request.build_absolute_uri(section.get_absolute_url()),
        }
        return render(request, "articles/section_detail.html", context)

    if versions.publication_due(section.site_next_publication_at):
        site = current_site_versions()
        section.site_navigation, section.site_listing = site.navigation, site.listing
    return pagecache.serve(
        request,
        versions=("section", section.pk, section.site_navigation, section.site_listing),
        params=("page",),
        render=page,
    )


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = article_search.clean_query(request.GET.get("q"))
    page = article_search.search(query, page=request.GET.get("page")) if query else None
    context = {
        "query": query,
        "page": page,
        "page_query": urlencode({"q": query}),
        # Results are ranked, not dated.
        "prev_label": "← Previous",
        "next_label": "Next →",
    }
    return render(request, "articles/search.html", context)


@require_safe
def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One of the site's own pages (the comment policy, the discussion rules, …)."""
    page = get_object_or_404(Page, slug=slug)
    context = {"page": page, "canonical_url": request.build_absolute_uri(page.get_absolute_url())}
    return render(request, "articles/page.html", context)
