from django import template

from articles.comments import comment_refusal

register = template.Library()


@register.inclusion_tag("articles/comments/section.html", takes_context=True)
def comment_section(context, article):
    """The comments under an article, with the form or the reason there is none."""
    request = context["request"]
    return {
        "request": request,
        "article": article,
        "comments": article.comments.visible().select_related("user__profile"),
        "refusal": comment_refusal(user=request.user, article=article),
        "csrf_token": context.get("csrf_token"),
        "messages": context.get("messages"),
    }
