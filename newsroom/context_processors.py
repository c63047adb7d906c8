from django.conf import settings


def site(request):
    """The site's name on every page."""
    return {"SITE_NAME": settings.SITE_NAME}
