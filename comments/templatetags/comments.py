"""The article page gets its discussion from these tags, so articles know nothing of comments."""

from django import template

from comments.models import Comment

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comments_section(context, article):
    request = context["request"]
    thread = (
        Comment.objects.visible_to(request.user).filter(article=article).select_related("author")
    )
    comments = list(thread)
    return {
        "request": request,
        "user": request.user,
        "article": article,
        "comments": comments,
        "count": sum(1 for c in comments if c.status == Comment.Status.APPROVED),
    }
