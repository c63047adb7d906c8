from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models.content import Image


class Rendition(models.Model):
    """One resized copy of an Image, made off the request path and served through srcset."""

    class Format(models.TextChoices):
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    format = models.CharField(max_length=4, choices=Format.choices)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.ImageField(upload_to="renditions/%Y/%m/")

    class Meta:
        # By the column, not the picture's own ordering, which would join every picture.
        ordering = ["image_id", "format", "width"]
        constraints = [
            models.UniqueConstraint(fields=["image", "format", "width"], name="unique_rendition"),
        ]
        verbose_name = _("rendition")

    def __str__(self):
        return f"{self.image_id} {self.format} {self.width}w"
