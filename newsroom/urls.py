from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from accounts.views import admin_login
from newsroom.health import healthz
from newsroom.moved import moved

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    # Where comments were posted, and the alert admin was, before the alerts had an app.
    moved("accounts/comments/", "/comments/"),
    moved("admin/articles/alert/", "/admin/alerts/alert/"),
    moved("admin/accounts/subscriber/", "/admin/alerts/subscriber/"),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("alerts/", include("alerts.urls")),
    path("donate/", include("paywall.urls")),
    path("", include("articles.urls")),
]

# `make bench` only: the framework floor, the article page's bytes from memory, alone and
# after the meter's call (bench/floor.py). Never on a site served over HTTPS, whatever the
# environment says: the metered floor counts views of any article id it is given.
if settings.BENCH_FLOOR_FILE and not settings.SECURE:
    from bench.floor import floor, floor_metered

    urlpatterns += [
        path("bench/floor/", floor),
        path("bench/floor/metered/<int:article_id>/", floor_metered),
    ]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(
            r"^{}(?P<path>.*)$".format(settings.MEDIA_URL.lstrip("/")),
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )
