from django.conf import settings
from django.db import models
from django.utils import timezone


class ArticleAutosave(models.Model):
    """What one person last typed in a story's form, saved every few seconds as they type.

    One slot per story and person, written over each time: not a revision, never shown to
    readers, never published. Offered back on the form while it holds something else than
    the stored story, until that person saves the story or discards it.
    """

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The story's version the form was opened on, to tell whether someone saved since.
    base_version = models.PositiveIntegerField()
    fields = models.JSONField(default=dict)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_autosave_per_story_user")
        ]

    def __str__(self):
        return f"{self.user} on {self.article_id} at {self.saved_at:%H:%M}"
