from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from articles import selectors
from articles.models import Article, Author, Section, SlugRedirect, Tag

PAGE_SIZE = 20


@require_safe
def home(request):
    return render(
        request,
        "articles/home.html",
        {"articles": selectors.article_list_published()[:PAGE_SIZE]},
    )


@require_safe
def article_detail(request, slug):
    article = selectors.article_for_reader(slug)
    if article is None:
        moved = SlugRedirect.objects.select_related("article").filter(old_slug=slug).first()
        if moved and moved.article.is_live():
            return redirect(moved.article, permanent=True)
        raise Http404
    return render(request, "articles/article_detail.html", {"article": article})


def _listing(request, template, heading_object, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {"object": heading_object, "page": page})


@require_safe
def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    articles = selectors.article_list_published().filter(section=section)
    return _listing(request, "articles/section_detail.html", section, articles)


@require_safe
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = selectors.article_list_published().filter(tags=tag)
    return _listing(request, "articles/tag_detail.html", tag, articles)


@require_safe
def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug)
    articles = selectors.article_list_published().filter(authors=author)
    return _listing(request, "articles/author_detail.html", author, articles)


def _render_preview(request, article):
    response = render(
        request, "articles/article_detail.html", {"article": article, "is_preview": True}
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_member_required
@require_safe
def staff_preview(request, pk):
    article = get_object_or_404(Article, pk=pk)
    if not request.user.has_perm("articles.view_article"):
        raise Http404
    return _render_preview(request, article)


@require_safe
def shared_preview(request, token):
    if not token:
        raise Http404
    return _render_preview(request, get_object_or_404(Article, preview_token=token))
