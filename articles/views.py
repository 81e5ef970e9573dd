"""Public pages: thin views over the published() rules in models and the helpers beside them."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import Article, Section
from .seo import article_jsonld


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    latest = Article.objects.published().for_listing()[:10]
    sections = Section.objects.roots().prefetch_related("children")
    return render(request, "articles/home.html", {"latest": latest, "sections": sections})


@require_safe
def resolve(request: HttpRequest, path: str) -> HttpResponse:
    """/<section path>/ is a section; /<section path>/<slug>/ is an article in it."""
    section_path, _, slug = path.rpartition("/")
    if section_path:
        article = (
            Article.objects.published()
            .select_related("section", "author")
            .filter(section__path=section_path, slug=slug)
            .first()
        )
        if article is not None:
            return article_detail(request, article)
    section = Section.objects.filter(path=path).first()
    if section is None:
        raise Http404("No such section or article.")
    return section_detail(request, section)


def article_detail(request: HttpRequest, article: Article) -> HttpResponse:
    ancestors = list(Section.objects.ancestors_of(article.section))
    canonical = request.build_absolute_uri(article.get_absolute_url())
    context = {
        "article": article,
        "ancestors": ancestors,
        "canonical_url": canonical,
        "jsonld": article_jsonld(article, ancestors, request.build_absolute_uri),
    }
    return render(request, "articles/article_detail.html", context)


def section_detail(request: HttpRequest, section: Section) -> HttpResponse:
    articles = Article.objects.published().in_section_tree(section).for_listing()
    page = Paginator(articles, settings.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "section": section,
        "ancestors": list(Section.objects.ancestors_of(section)),
        "children": section.children.all(),
        "page": page,
        "canonical_url": request.build_absolute_uri(section.get_absolute_url()),
    }
    return render(request, "articles/section_detail.html", context)
