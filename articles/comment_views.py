"""Readers post comments here; the thread itself is part of the article page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from articles import comments
from articles.models import Article


@require_POST
def comment_post(request, article_id):
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    body = request.POST.get("body", "")
    try:
        comments.comment_create(article=article, user=request.user, body=body)
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{article.get_absolute_url()}#comments")
