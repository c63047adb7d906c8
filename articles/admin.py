from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from articles import comments, curation, editing_views, renditions, services
from articles.images import image_prepare_upload
from articles.live_admin import LiveDeskMixin
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
from articles.revisions import WORD_DIFF_FIELDS, word_diff
from articles.search import article_matching, article_matching_prefixes
from articles.versions import article_conflict
from newsroom import roles
from newsroom.admin_readonly import NoAddMixin, ReadOnlyModelAdmin
from newsroom.paging import CappedPaginator

admin.site.site_header = _("Newsroom")
admin.site.site_title = _("Newsroom admin")
admin.site.index_title = _("Desk")

# The article list counts no further (10,000 stories at 100 a page): "10000" then means more.
ADMIN_MAX_PAGES = 100
# A search's pages: each match counted is a document read, and the newest are what an editor
# looks for (the site's search ranks its newest 200).
ADMIN_SEARCH_MAX_PAGES = 10


class StatusBadgeMixin:
    class Media:
        css = {"all": ["admin/newsroom.css"]}


# The body editor's own styles (static/admin/editor/), on each form with a body.
BODY_EDITOR_CSS = "admin/editor/editor.css"


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


class _Address(str):
    """A stored file shown by its address: the link and its text alike."""

    @property
    def url(self):
        return str(self)


class PictureFileInput(AdminFileWidget):
    """Shows the picture's address as pages use it (MEDIA_URL included), not its storage
    name: copied into a body, it is the picture."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = _Address(value.url)
        return context


class ImageAdminForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit"]
        widgets = {"file": PictureFileInput}

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

    def get_urls(self):
        upload = self.admin_site.admin_view(require_POST(self.upload_view))
        return [path("upload/", upload, name="articles_image_upload"), *super().get_urls()]

    def upload_view(self, request):
        """A picture uploaded from the body editor: into the library through this page's form,
        checks and renditions, answered in JSON for the editor to place it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = self.get_form(request)(request.POST, request.FILES)
        if not form.is_valid():
            errors = {name: [str(error) for error in found] for name, found in form.errors.items()}
            return JsonResponse({"errors": errors}, status=400)
        image = form.save(commit=False)
        self.save_model(request, image, form, change=False)
        self.log_addition(request, image, [{"added": {}}])
        fields = {"alt": image.alt_text, "caption": image.caption, "credit": image.credit}
        size = {"width": image.width, "height": image.height}
        return JsonResponse({"id": image.pk, "src": image.file.url, **fields, **size}, status=201)


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


def refusal_reason(error: ValidationError | PermissionDenied) -> str:
    return " ".join(getattr(error, "messages", [str(error)]))


class RevisionChanges(HistoricalRecordContextHelper):
    """The history's list of changes, with the words of the text compared, not its HTML."""

    def context_for_delta_changes(self, delta):
        rows = super().context_for_delta_changes(delta)
        for row, change in zip(rows, delta.changes, strict=True):
            if change.field in WORD_DIFF_FIELDS:
                row["words"] = word_diff(change.old, change.new)
        return rows


def revision_changes(*, current, revision) -> list[dict]:
    """What restoring `revision` would change in the words of the story as it is now."""
    return [
        {
            "field": Article._meta.get_field(name).verbose_name,
            "words": word_diff(getattr(current, name), getattr(revision, name)),
        }
        for name in WORD_DIFF_FIELDS
        if getattr(current, name) != getattr(revision, name)
    ]


class ArticleAdminForm(forms.ModelForm):
    # Not on the form that restores a revision, which changes content only.
    workflow = forms.ChoiceField(label=_("Workflow"), initial="save", required=False)
    # The stored version when the form was shown (also on a revision's page, whose instance
    # carries its old one): the service refuses a save made on an older one.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self.instance, "restored", False):  # an autosave brought back
            self.initial["base_version"] = self.instance.version
        elif self.instance.pk:
            stored = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            self.initial["base_version"] = stored.first()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._version_check(cleaned.get("base_version"))
        scheduling = cleaned.get("workflow") == "schedule"
        if scheduling and not cleaned.get("publish_at"):
            self.add_error("publish_at", _("Set the moment the story should go live."))
        elif not scheduling and "publish_at" in self.changed_data:
            # Only the workflow moves the publish time (see services.WORKFLOW_FIELDS).
            self.add_error("publish_at", _("Choose “Save and schedule” to set a new time."))
        return cleaned

    def _version_check(self, version: int | None) -> None:
        """A form opened before someone else's save is refused here, with what they did and
        a link to their version; the row stays locked until this request's save. The form
        comes back with the writer's text and the stored version: saving it again is a choice
        made knowingly, and replaces theirs. A form that does not say which version it was
        opened on is refused too: saving it would replace whatever is stored unseen."""
        if version is None:
            stored = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            if not stored:
                raise forms.ValidationError(_("This story no longer exists."))
            self._refuse(_("This form did not say which version it was opened on."), stored[0])
            return
        self.instance.version = version
        conflict = article_conflict(article_id=self.instance.pk, base_version=version)
        if conflict is not None:
            self._refuse(str(conflict), conflict.version)

    def _refuse(self, why: str, stored_version: int) -> None:
        change_url = reverse("admin:articles_article_change", args=[self.instance.pk])
        self.add_error(
            None,
            format_html(
                '{} <a href="{}" target="_blank" rel="noopener">{}</a> {}',
                why,
                change_url,
                _("Open the stored version in a new tab"),
                _("to compare; your text is still below. Saving again replaces it."),
            ),
        )
        self.data = self.data.copy()
        self.data["base_version"] = stored_version


@admin.register(Article)
class ArticleAdmin(LiveDeskMixin, StatusBadgeMixin, SimpleHistoryAdmin):
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
    list_per_page = 50
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["tags", "lead_image", "section"]
    inlines = [ArticleAuthorInline, CorrectionInline]
    readonly_fields = ["status_badge", "first_published_at", "updated_at", "preview", "audit"]
    actions = ["submit_selected", "publish_selected", "unpublish_selected"]
    content_fieldsets = [
        (None, {"fields": ["kicker", "section", "headline", "slug", "dek", "dateline"]}),
        (None, {"fields": ["body", "lead_image", "tags", "base_version"]}),
    ]
    search_fieldsets = [
        (
            _("Search engines"),
            {"classes": ["collapse"], "fields": ["seo_title", "seo_description"]},
        ),
    ]
    fieldsets = [
        *content_fieldsets,
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
        *search_fieldsets,
        (_("Audit trail"), {"classes": ["collapse"], "fields": ["audit"]}),
    ]
    object_history_template = "admin/articles/article/object_history.html"
    object_history_list_template = "admin/articles/article/object_history_list.html"
    object_history_form_template = "admin/articles/article/object_history_form.html"

    class Media:
        css = {"all": [BODY_EDITOR_CSS, "admin/editor/editing.css"]}
        js = ["admin/editor/autosave.js", "admin/editor/presence.js"]

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
        """The list's pages, without the bodies no column shows (the actions' stories are
        read apart, whole)."""
        searching = request.GET.get(SEARCH_VAR, "").strip()
        return CappedPaginator(
            queryset.defer("body"),
            per_page,
            max_pages=ADMIN_SEARCH_MAX_PAGES if searching else ADMIN_MAX_PAGES,
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

    def get_historical_record_context_helper(self, request, historical_record):
        return RevisionChanges(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Restoring a revision saves the story as it stands now, so it needs the permission to
        change it; simple_history asks only for the permission to view. The page shows what
        restoring would change in the words."""
        article = self.get_object(request, unquote(object_id))
        if request.method == "POST" and (
            article is None or not self.has_change_permission(request, article)
        ):
            raise PermissionDenied
        revision = get_object_or_404(self.model.history, id=object_id, history_id=version_id)
        restores = []
        if article is not None:
            restores = revision_changes(current=article, revision=revision)
        extra_context = {**(extra_context or {}), "restores": restores}
        # As the change form's: the version check's lock lasts until the restore is saved.
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    def _restoring(self, request) -> bool:
        match = request.resolver_match
        return match is not None and match.url_name == "articles_article_simple_history"

    def get_fieldsets(self, request, obj=None):
        """A revision brings back content only: its old status, times and flags are neither
        shown nor posted."""
        if self._restoring(request):
            return [*self.content_fieldsets, *self.search_fieldsets]
        return super().get_fieldsets(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(
            request, obj
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["workflow"].choices = workflow_choices_for(request.user, obj)
        return form

    def get_readonly_fields(self, request, obj=None):
        """Those who cannot publish see the publish time and the editors' flags, and are
        offered no input the services would ignore for them."""
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("articles.publish_article"):
            readonly += ["publish_at", *services.EDITOR_FIELDS]
        return readonly

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        """No "changed successfully" beside the error of a workflow step that was refused."""
        if level == messages.SUCCESS and getattr(request, "workflow_refused", False):
            return
        super().message_user(request, message, level, *args, **kwargs)

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
        if self._restoring(request):
            services.article_revision_restore(article=obj, by=request.user)
        else:
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
            request.workflow_refused = True
            messages.error(
                request,
                _("Your changes were saved, but “%(step)s” was refused: %(reason)s")
                % {"step": WORKFLOW_CHOICES[step], "reason": refusal_reason(error)},
            )

    def _bulk(self, request, queryset, service, done_message):
        """One message: a success only when every story went through, else what was done
        and why each other story was refused."""
        done, refused = 0, []
        for article in queryset:
            try:
                service(article=article, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"{article}: {refusal_reason(error)}")
            else:
                done += 1
        summary = done_message % {"count": done}
        if not refused:
            messages.success(request, summary)
            return
        level = messages.warning if done else messages.error
        level(request, " ".join([str(summary), str(_("Refused:")), *refused]))

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
        autosave = self.admin_site.admin_view(require_POST(editing_views.autosave_view))
        discard = self.admin_site.admin_view(require_POST(editing_views.autosave_discard_view))
        present = self.admin_site.admin_view(require_POST(self.presence_view))
        return [
            path("<int:pk>/preview-link/", share, name="articles_article_preview_link"),
            path("<int:pk>/autosave/", autosave, name="articles_article_autosave"),
            path("<int:pk>/autosave/discard/", discard, name="articles_article_autosave_discard"),
            path("<int:pk>/presence/", present, name="articles_article_presence"),
            *super().get_urls(),
        ]

    def presence_view(self, request, pk):
        queryset = self.get_queryset(request)
        return editing_views.presence_view(request, pk, article_queryset=queryset)

    def get_object(self, request, object_id, from_field=None):
        """The story, with this person's newer autosave on it when they asked for it back."""
        article = super().get_object(request, object_id, from_field)
        restoring = request.GET.get(editing_views.RESTORE_PARAMETER) == "restore"
        if article is not None and request.method == "GET" and restoring:
            article.restored = editing_views.autosave_restore(article, request.user)
        return article

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Says why a story has no shared preview, and offers this person's newer autosave."""
        article = self.get_object(request, unquote(object_id))
        refusal = services.article_preview_refusal(article) if article else ""
        extra_context = {**(extra_context or {}), "preview_refusal": refusal}
        offering = request.method == "GET" and editing_views.RESTORE_PARAMETER not in request.GET
        if offering and article is not None and self.has_change_permission(request, article):
            editing_views.autosave_offer(request, article)
        return super().change_view(request, object_id, form_url, extra_context)

    def share_preview_view(self, request, pk):
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if request.POST.get("revoke"):
            services.article_preview_revoke(article=article, by=request.user)
            messages.success(request, _("The shared preview link no longer works."))
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))
        try:
            services.article_preview_share(article=article, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
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

    class Media:
        css = {"all": [BODY_EDITOR_CSS]}

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
