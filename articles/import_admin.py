"""Moving a site in from the admin: the upload form, each import's progress and report.

Editors only (the add and view permissions on `ImportJob`, granted to their group). The
progress page reloads itself while the import is under way; nothing else is changed here
but a retry of a failed or stalled import.
"""

import uuid

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from articles.importers.jobs import import_job_create, import_job_retry
from articles.models import ImportJob

ACTIVE = (ImportJob.State.QUEUED, ImportJob.State.RUNNING)


class ImportUploadForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Exported from"), choices=ImportJob.Source.choices, widget=forms.RadioSelect
    )
    export = forms.FileField(
        label=_("Export file"),
        help_text=_(
            "WordPress: Tools → Export → All content. Ghost: Settings → Labs → Export content."
        ),
    )
    media_zip = forms.FileField(
        label=_("Media zip (optional)"),
        required=False,
        help_text=_(
            "A zip of wp-content/uploads or of Ghost's content/images. Pictures not in it are "
            "fetched from their addresses on the old site."
        ),
    )
    # Made with the form: sending the same form twice makes one import.
    token = forms.UUIDField(widget=forms.HiddenInput)


def _state(job: ImportJob) -> str:
    return _("stalled") if job.is_stalled else job.get_state_display()


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state_label", "progress", "created_by", "finished_at"]
    list_select_related = ["created_by"]
    fields = [
        "source",
        "state_label",
        "progress",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "attempts",
        "error",
    ]
    readonly_fields = fields
    change_form_template = "admin/articles/importjob/change_form.html"

    @admin.display(description=_("state"))
    def state_label(self, job):
        return _state(job)

    @admin.display(description=_("progress"))
    def progress(self, job):
        if job.total is None:
            return _("reading the file") if job.state == ImportJob.State.RUNNING else "–"
        return _("%(done)d of %(total)d items") % {"done": job.done, "total": job.total}

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        retry = self.admin_site.admin_view(self.retry_view)
        return [
            path("<int:pk>/retry/", retry, name="articles_importjob_retry"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        """The upload; its POST makes the one job of this form and shows its progress."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = ImportUploadForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    job, created = import_job_create(
                        source=data["source"],
                        export=data["export"],
                        media_zip=data["media_zip"],
                        token=data["token"],
                        by=request.user,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    if created:
                        messages.success(request, _("The import is queued."))
                    return HttpResponseRedirect(
                        reverse("admin:articles_importjob_change", args=[job.pk])
                    )
        else:
            form = ImportUploadForm(initial={"token": uuid.uuid4()})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a site"),
            "form": form,
        }
        return TemplateResponse(request, "admin/articles/importjob/upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        # Judged once: a job can turn stalled between two looks during one render.
        stalled = job is not None and job.is_stalled
        extra = {
            "job": job,
            "stalled": stalled,
            "under_way": job is not None and not stalled and job.state in ACTIVE,
            "may_retry": job is not None
            and (stalled or job.state == ImportJob.State.FAILED)
            and self.has_add_permission(request),
        }
        extra_context = {**(extra_context or {}), **extra}
        return super().change_view(request, object_id, form_url, extra_context)

    def retry_view(self, request, pk):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = get_object_or_404(ImportJob, pk=pk)
        if import_job_retry(job=job):
            messages.success(request, _("The import is queued again."))
        else:
            messages.error(request, _("This import is under way or done: not started again."))
        return HttpResponseRedirect(reverse("admin:articles_importjob_change", args=[pk]))
