"""Public pages: thin views over the published() rules in models and the helpers beside them."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import pagecache, signedpage
from . import search as article_search
from .models import Article, Page, Section
from .redirects import current_path
from .seo import article_jsonld


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    latest = list(Article.objects.published().for_listing()[:10])
    return render(
        request, "articles/home.html", {"latest": latest, "sections": Section.objects.tree()}
    )


@require_safe
def resolve(request: HttpRequest, path: str) -> HttpResponse:
    """/<section path>/ is a section; /<section path>/<slug>/ is an article in it.

    Only when neither matches are old paths consulted (a moved article or section answers with a
    permanent redirect to where it is now), so a normal page pays nothing for them.
    """
    section_path = path.rpartition("/")[0]
    page = pagecache.versions_of(request)
    if page is not None and page.kind == "article":
        # The row, as of the versions the middleware read (kept while they hold).
        article = pagecache.kept("article", page.versions, lambda: _published_at(path))
        if article is not None:
            return article_detail(request, article)
    elif section_path and (article := _published_at(path)) is not None:
        return article_detail(request, article)
    section = Section.objects.filter(path=path).first()
    if section is not None:
        return section_detail(request, section)
    moved_to = current_path(path)
    if moved_to is None:
        raise Http404("No such section or article.")
    url = reverse("articles:resolve", kwargs={"path": moved_to})
    query = request.META.get("QUERY_STRING")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def _published_at(path: str) -> Article | None:
    section_path, _, slug = path.rpartition("/")
    return (
        Article.objects.published()
        .select_related("section", "author")
        .filter(section__path=section_path, slug=slug)
        .first()
    )


def article_detail(
    request: HttpRequest, article: Article, *, preview: bool = False
) -> HttpResponse:
    def parts() -> dict:
        ancestors = list(Section.objects.ancestors_of(article.section))
        return {
            "ancestors": ancestors,
            "jsonld": article_jsonld(article, ancestors, request.build_absolute_uri),
        }

    page = pagecache.versions_of(request)
    versions: tuple = ()
    if page is not None and page.kind == "article" and not preview:
        # What every reader's page shows of the article is derived, and rendered (the template's
        # fragments, under `fragment_key`), once per version and host.
        versions = (*page.versions, request.get_host())
        derived = pagecache.kept("article-parts", versions, parts)
        fragment_key = pagecache.key_of(versions)
    else:
        derived, fragment_key = parts(), ""
    context = {
        "article": article,
        "canonical_url": request.build_absolute_uri(article.get_absolute_url()),
        "preview": preview,
        "fragment_key": fragment_key,
        **derived,
    }
    if versions and request.user.is_authenticated:
        # The page around the discussion, kept per version for every signed-in reader.
        return signedpage.response(request, "articles/article_detail.html", context, versions)
    return render(request, "articles/article_detail.html", context)


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
    articles = Article.objects.published().in_section_tree(section).for_listing()
    page = Paginator(articles, settings.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    pagecache.rendered(request, "page", page.number)  # for the whole-page cache
    context = {
        "section": section,
        "ancestors": list(Section.objects.ancestors_of(section)),
        "children": section.children.all(),
        "page": page,
        "canonical_url": request.build_absolute_uri(section.get_absolute_url()),
    }
    return render(request, "articles/section_detail.html", context)


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
