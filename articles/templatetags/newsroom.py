"""Template helpers for the reader's site: pictures, site chrome and structured data."""

import json

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles import selectors
from articles.renditions import picture_for
from articles.scopes import CHROME
from articles.search import HIGHLIGHT_START, HIGHLIGHT_STOP
from newsroom.page_cache import fragment, scopes_versions

register = template.Library()

JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes="100vw", lazy=True, css_class=""):
    """A <picture> with WebP and JPEG srcsets, the box size and alt text, lazy unless told."""
    return {"picture": picture_for(image), "sizes": sizes, "lazy": lazy, "css_class": css_class}


def _chrome_html(name: str, template_name: str, context_build) -> str:
    """A piece of the site's chrome, rendered once per version of the chrome and kept as HTML."""
    return fragment(
        f"articles:chrome:{name}",
        scopes_versions([CHROME]),
        lambda: render_to_string(template_name, context_build()),
    )


@register.simple_tag(takes_context=True)
def section_nav(context):
    """The section links; the one to the page being shown is marked current here."""
    html = _chrome_html(
        "nav", "includes/section_nav.html", lambda: {"sections": selectors.section_navigation()}
    )
    request = context.get("request")
    if request is not None:
        link = f'<a href="{escape(request.path)}">'
        html = html.replace(link, f'{link[:-1]} aria-current="page">', 1)
    return mark_safe(html)  # noqa: S308 - rendered from a template


@register.simple_tag
def footer_pages():
    html = _chrome_html(
        "footer",
        "includes/footer_pages.html",
        lambda: {"pages": selectors.newsroom_pages_for_footer()},
    )
    return mark_safe(html)  # noqa: S308 - rendered from a template


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
