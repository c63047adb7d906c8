from django.urls import path

from articles import comment_views, feeds, live_feed, live_views, sitemaps, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("articles/<slug:slug>/updates/", live_views.older_updates, name="live_updates"),
    path("articles/<slug:slug>/feed/", live_feed.LiveUpdatesFeed(), name="live_feed"),
    path("live/<int:article_id>/", live_views.new_since, name="live_new"),
    path("comments/<int:article_id>/", comment_views.comment_post, name="comment_post"),
    path("section/<slug:slug>/", views.section_detail, name="section"),
    path("section/<slug:slug>/feed/", feeds.RssFeed(), name="section_feed"),
    path("section/<slug:slug>/feed/atom/", feeds.AtomFeed(), name="section_feed_atom"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    path("search/", views.search, name="search"),
    path("pages/<slug:slug>/", views.page_detail, name="page"),
    path("feed/", feeds.RssFeed(), name="feed"),
    path("feed/atom/", feeds.AtomFeed(), name="feed_atom"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("preview/<int:pk>/", views.staff_preview, name="staff_preview"),
    path("preview/shared/<str:token>/", views.shared_preview, name="shared_preview"),
]
