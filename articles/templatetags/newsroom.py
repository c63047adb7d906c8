"""Template helpers for the reader's site: pictures, site chrome and structured data."""

import json

from django import template
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles import selectors
from articles.renditions import picture_for
from articles.search import HIGHLIGHT_START, HIGHLIGHT_STOP

register = template.Library()

JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes="100vw", lazy=True, css_class=""):
    """A <picture> with WebP and JPEG srcsets, the box size and alt text, lazy unless told."""
    return {"picture": picture_for(image), "sizes": sizes, "lazy": lazy, "css_class": css_class}


@register.inclusion_tag("includes/section_nav.html", takes_context=True)
def section_nav(context):
    return {"sections": selectors.section_navigation(), "request": context.get("request")}


@register.inclusion_tag("includes/footer_pages.html")
def footer_pages():
    return {"pages": selectors.newsroom_pages_for_footer()}


@register.simple_tag
def site_name():
    """For pages rendered without a request context, such as the 500 page."""
    return settings.SITE_NAME


@register.filter
def json_ld(data):
    """JSON for a <script type="application/ld+json"> block, safe against </script>."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))  # noqa: S308


@register.filter
def highlighted(text):
    """Escape a search highlight, then turn its markers into <mark> elements."""
    marked = escape(text).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    return mark_safe(marked)  # noqa: S308


@register.filter
def machine_time(value):
    """A <time datetime> value: HTML accepts at most milliseconds, so give whole seconds."""
    return value.isoformat(timespec="seconds") if value else ""
