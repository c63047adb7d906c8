from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from articles import comments, curation, renditions, services
from articles.images import image_prepare_upload
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Comment,
    CommentThread,
    Correction,
    FrontPin,
    Image,
    NewsroomPage,
    Redirect,
    Section,
    SlugRedirect,
    Status,
    Tag,
    WorkflowEvent,
)
from articles.search import article_matching, article_matching_prefixes
from newsroom import roles
from newsroom.admin_readonly import NoAddMixin, ReadOnlyModelAdmin
from newsroom.paging import CappedPaginator

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom admin")
admin.site.index_title = _("Desk")

# The article list counts no further (10,000 stories at 100 a page): "10000" then means more.
ADMIN_MAX_PAGES = 100


class StatusBadgeMixin:
    class Media:
        css = {"all": ["admin/newsroom.css"]}


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user", "stories"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    autocomplete_fields = ["photo", "user"]

    @admin.display(description=_("stories"))
    def stories(self, obj):
        url = reverse("admin:articles_article_changelist")
        return format_html('<a href="{}?author={}">{}</a>', url, obj.pk, _("Stories"))


class ImageAdminForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and upload != self.initial.get("file"):
            return image_prepare_upload(upload)
        return upload


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "alt_text", "credit", "dimensions", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["dimensions", "uploaded_by"]
    show_full_result_count = False

    @admin.display(description=_("picture"))
    def thumbnail(self, obj):
        return format_html(
            '<img src="{}" alt="" width="80" height="{}" loading="lazy">',
            obj.file.url,
            round(80 * obj.height / obj.width) if obj.width else 80,
        )

    @admin.display(description=_("size"))
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}"

    def has_change_permission(self, request, obj=None):
        """Writers pick any picture for their stories but change only their own uploads, so
        nobody else's published story can have its photo or credit swapped."""
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or not roles.is_writer_only(request.user):
            return True
        return obj.uploaded_by_id == request.user.pk

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            renditions.image_renditions_refresh(image=obj)


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 1
    autocomplete_fields = ["author"]
    verbose_name = _("author")
    verbose_name_plural = _("authors, in byline order")


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0


class QueueFilter(admin.SimpleListFilter):
    """The two lists an editor's day turns on."""

    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("mine", _("My drafts")), ("review", _("In review"))]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.by_staff_member(request.user).filter(status=Status.DRAFT)
        if self.value() == "review":
            return queryset.filter(status=Status.IN_REVIEW)
        return queryset


class PublishedWithinFilter(admin.SimpleListFilter):
    """Stands for a date hierarchy, whose year and month links come from a scan of every
    story: fixed spans, each a range on the publish time's index."""

    title = _("published")
    parameter_name = "published_within"
    SPANS = {"1": _("Past 24 hours"), "7": _("Past 7 days"), "30": _("Past 30 days")}
    SPANS["365"] = _("Past year")

    def lookups(self, request, model_admin):
        return list(self.SPANS.items())

    def queryset(self, request, queryset):
        if self.value() in self.SPANS:
            since = timezone.now() - timedelta(days=int(self.value()))
            return queryset.filter(publish_at__gte=since)
        return queryset


class AuthorFilter(admin.SimpleListFilter):
    """By byline, without listing every author (the author list links here) and without the
    DISTINCT a join on bylines would need."""

    title = _("author")
    parameter_name = "author"

    def lookups(self, request, model_admin):
        author = Author.objects.filter(pk=self.value()).first() if self.value() else None
        return [(str(author.pk), author.name)] if author else []

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        bylines = ArticleAuthor.objects.filter(article=OuterRef("pk"), author_id=self.value())
        return queryset.filter(Exists(bylines))


WORKFLOW_CHOICES = {
    "save": _("Save"),
    "submit": _("Save and submit for review"),
    "return": _("Save and return to the writer"),
    "publish": _("Save and publish now"),
    "schedule": _("Save and schedule at the publish time"),
    "unpublish": _("Save and unpublish"),
}


def workflow_choices_for(user, article) -> list[tuple[str, str]]:
    """The workflow steps this user may take from the article's current status."""
    status = article.status if article and article.pk else Status.DRAFT
    allowed = ["save"]
    if status == Status.DRAFT:
        allowed.append("submit")
    if user.has_perm("articles.publish_article"):
        if status == Status.IN_REVIEW:
            allowed.append("return")
        if status != Status.PUBLISHED:
            allowed += ["publish", "schedule"]
        if status in (Status.PUBLISHED, Status.SCHEDULED):
            allowed.append("unpublish")
    return [(key, WORKFLOW_CHOICES[key]) for key in allowed]


class ArticleAdminForm(forms.ModelForm):
    workflow = forms.ChoiceField(label=_("Workflow"), initial="save")

    def clean(self):
        cleaned = super().clean()
        scheduling = cleaned.get("workflow") == "schedule"
        if scheduling and not cleaned.get("publish_at"):
            self.add_error("publish_at", _("Set the moment the story should go live."))
        elif not scheduling and "publish_at" in self.changed_data:
            # Only the workflow moves the publish time (see services.WORKFLOW_FIELDS).
            self.add_error("publish_at", _("Choose “Save and schedule” to set a new time."))
        return cleaned


@admin.register(Article)
class ArticleAdmin(StatusBadgeMixin, SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "status_badge", "section", "byline", "publish_at", "updated_at"]
    list_filter = [
        QueueFilter,
        "status",
        PublishedWithinFilter,
        "section",
        AuthorFilter,
        "is_breaking",
        "is_free",
    ]
    # Searched through the stored documents (get_search_results); these make the box appear.
    search_fields = ["headline"]
    search_help_text = _('Words, "a phrase", -word or OR, as on the site; or a slug.')
    list_select_related = ["section"]
    show_full_result_count = False
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["tags", "lead_image", "section"]
    inlines = [ArticleAuthorInline, CorrectionInline]
    readonly_fields = ["status_badge", "first_published_at", "updated_at", "preview", "audit"]
    actions = ["submit_selected", "publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["kicker", "section", "headline", "slug", "dek", "dateline"]}),
        (None, {"fields": ["body", "lead_image", "tags"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "workflow",
                    "status_badge",
                    "publish_at",
                    "first_published_at",
                    "updated_at",
                    "is_free",
                    "is_breaking",
                    "alert_at_go_live",
                    "preview",
                ]
            },
        ),
        (
            _("Search engines"),
            {"classes": ["collapse"], "fields": ["seo_title", "seo_description"]},
        ),
        (_("Audit trail"), {"classes": ["collapse"], "fields": ["audit"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("authors")
            .visible_to_staff(request.user)
        )

    def get_search_results(self, request, queryset, search_term):
        """The stored documents, as the site's search, instead of a LIKE over every row; word
        beginnings in the autocompletes that pick a story (front pins, comment threads)."""
        term = search_term.strip()
        if not term:
            return queryset, False
        typing = request.path == reverse("admin:autocomplete")
        matching = article_matching_prefixes(term) if typing else article_matching(term)
        return queryset.filter(matching | Q(slug=term)), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return CappedPaginator(
            queryset,
            per_page,
            max_pages=ADMIN_MAX_PAGES,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
        )

    def has_view_permission(self, request, obj=None):
        """Also guards the revision history, which looks articles up without get_queryset."""
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or not roles.is_writer_only(request.user):
            return True
        return Article.objects.editable_by_writer(request.user).filter(pk=obj.pk).exists()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Restoring a revision saves the story as it stands now, so it needs the permission to
        change it; simple_history asks only for the permission to view."""
        if request.method == "POST":
            article = self.get_object(request, unquote(object_id))
            if article is None or not self.has_change_permission(request, article):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(
            request, obj
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["workflow"].choices = workflow_choices_for(request.user, obj)
        return form

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("articles.publish_article"):
            readonly += ["is_free", "is_breaking", "alert_at_go_live"]
        return readonly

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        if obj.status == Status.SCHEDULED and obj.is_live():
            label = _("Published")
        else:
            label = obj.get_status_display()
        return format_html('<span class="status status-{}">{}</span>', obj.status, label)

    @admin.display(description=_("byline"))
    def byline(self, obj):
        return ", ".join(author.name for author in obj.authors.all())

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk:
            return "-"
        staff_url = reverse("articles:staff_preview", args=[obj.pk])
        parts = [format_html('<a href="{}" target="_blank">{}</a>', staff_url, _("Preview"))]
        if obj.preview_token:
            share_url = reverse("articles:shared_preview", args=[obj.preview_token])
            parts.append(
                format_html('{}: <a href="{}">{}</a>', _("Shared link"), share_url, share_url)
            )
        return format_html_join(" · ", "{}", ((part,) for part in parts))

    @admin.display(description=_("audit trail"))
    def audit(self, obj):
        if not obj.pk:
            return "-"
        rows = format_html_join(
            "",
            "<li>{} · {} · {}</li>",
            (
                (
                    localtime(event.at).strftime("%Y-%m-%d %H:%M"),
                    event.get_action_display(),
                    event.actor or "-",
                )
                for event in obj.events.select_related("actor")
            ),
        )
        return format_html("<ul>{}</ul>", rows)

    def save_model(self, request, obj, form, change):
        services.article_save(article=obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._apply_workflow(request, form.instance, form.cleaned_data)

    def _apply_workflow(self, request, article, cleaned_data):
        """The publish time on the form is the input of Schedule; saving alone keeps it."""
        step = cleaned_data.get("workflow", "save")
        steps = {
            "submit": lambda: services.article_submit(article=article, by=request.user),
            "return": lambda: services.article_return_to_draft(article=article, by=request.user),
            "publish": lambda: services.article_publish(article=article, by=request.user),
            "schedule": lambda: services.article_schedule(
                article=article, by=request.user, publish_at=cleaned_data.get("publish_at")
            ),
            "unpublish": lambda: services.article_unpublish(article=article, by=request.user),
        }
        if step not in steps:
            return
        try:
            steps[step]()
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))

    def _bulk(self, request, queryset, service, done_message):
        done = 0
        for article in queryset:
            try:
                service(article=article, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                messages.warning(request, f"{article}: {' '.join(error.messages)}")
            else:
                done += 1
        if done:
            messages.success(request, done_message % {"count": done})

    @admin.action(description=_("Submit selected drafts for review"))
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, services.article_submit, _("%(count)d submitted."))

    @admin.action(description=_("Publish selected now"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, services.article_publish, _("%(count)d published."))

    @admin.action(description=_("Unpublish selected"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, services.article_unpublish, _("%(count)d unpublished."))

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def get_urls(self):
        share = self.admin_site.admin_view(require_POST(self.share_preview_view))
        return [
            path("<int:pk>/preview-link/", share, name="articles_article_preview_link"),
            *super().get_urls(),
        ]

    def share_preview_view(self, request, pk):
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if request.POST.get("revoke"):
            services.article_preview_revoke(article=article, by=request.user)
            messages.success(request, _("The shared preview link no longer works."))
        else:
            services.article_preview_share(article=article, by=request.user)
            messages.success(request, _("A new shared preview link was created."))
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(ReadOnlyModelAdmin):
    list_display = ["at", "action", "article", "actor", "note"]
    list_filter = ["action"]
    show_full_result_count = False
    search_fields = ["article__headline"]
    list_select_related = ["article", "actor"]


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "article", "created_at"]
    search_fields = ["old_slug", "article__headline"]
    raw_id_fields = ["article"]


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """Old addresses, from an import or typed here; each answers only when nothing else does."""

    list_display = ["__str__", "code"]
    list_filter = ["code"]
    search_fields = ["old_path", "query", "target", "article__headline"]
    raw_id_fields = ["article"]
    list_select_related = ["article"]


@admin.register(NewsroomPage)
class NewsroomPageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "position", "in_footer", "updated_at"]
    list_editable = ["position", "in_footer"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]

    def save_model(self, request, obj, form, change):
        curation.newsroom_page_save(page=obj)


@admin.register(FrontPin)
class FrontPinAdmin(admin.ModelAdmin):
    """Pinned stories lead the home front in this order; unpinned ones follow by time."""

    list_display = ["position", "article"]
    list_display_links = ["article"]
    list_editable = ["position"]
    autocomplete_fields = ["article"]
    list_select_related = ["article"]

    def save_model(self, request, obj, form, change):
        curation.front_pin_save(pin=obj)

    def delete_model(self, request, obj):
        curation.front_pin_delete(pin=obj)

    def delete_queryset(self, request, queryset):
        for pin in queryset:
            curation.front_pin_delete(pin=pin)


@admin.register(Comment)
class CommentAdmin(NoAddMixin, admin.ModelAdmin):
    """Editors hide (reversibly) or delete readers' comments."""

    list_display = ["__str__", "article", "user", "created_at", "is_hidden"]
    list_filter = ["is_hidden", "created_at"]
    search_fields = ["body", "article__headline"]
    list_select_related = ["article", "user"]
    readonly_fields = ["article", "user", "body", "created_at"]
    actions = ["hide_selected", "show_selected"]

    # Through the services, which move the threads whose stored pages show the comments.
    def save_model(self, request, obj, form, change):
        one = Comment.objects.filter(pk=obj.pk)
        comments.comments_set_hidden(comments=one, hidden=obj.is_hidden)

    def delete_model(self, request, obj):
        comments.comments_delete(comments=Comment.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        comments.comments_delete(comments=queryset)

    @admin.action(description=_("Hide the selected comments"), permissions=["change"])
    def hide_selected(self, request, queryset):
        comments.comments_set_hidden(comments=queryset, hidden=True)

    @admin.action(description=_("Show the selected comments again"), permissions=["change"])
    def show_selected(self, request, queryset):
        comments.comments_set_hidden(comments=queryset, hidden=False)


@admin.register(CommentThread)
class CommentThreadAdmin(admin.ModelAdmin):
    """An article listed here with comments closed takes no new comments."""

    list_display = ["article", "is_closed"]
    list_editable = ["is_closed"]
    autocomplete_fields = ["article"]

    def save_model(self, request, obj, form, change):
        comments.comments_close(article=obj.article, closed=obj.is_closed)

    def has_delete_permission(self, request, obj=None):
        """Reopening is unticking "closed", which reaches the stored pages; a deletion would
        not."""
        return False


from articles import import_admin  # noqa: E402, F401  (the site imports register themselves)
