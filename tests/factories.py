"""Test data, built through the same services the product uses where there is one."""

import io

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from articles import services
from articles.models import Article, ArticleAuthor, Author, Image, Section, Tag
from newsroom.roles import EDITORS, WRITERS

User = get_user_model()

BODY = "".join(
    f"<p>Paragraph {n} of the story, with a sentence only this paragraph has: marker-{n}.</p>"
    for n in range(1, 9)
)


def jpeg_bytes(width=64, height=48, color=(180, 40, 40)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(out, "JPEG")
    return out.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        for name in names or []:
            self.groups.add(Group.objects.get(name=name))
        if names:
            self.is_staff = True
        self.save()


def email_confirm(user):
    """The user's address confirmed, as allauth records it once they follow the link."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def verified_reader_factory(**kwargs):
    """A reader who has confirmed their address: they may comment, and subscribe to alerts
    in one click."""
    return email_confirm(UserFactory(**kwargs))


def writer_factory(**kwargs):
    return UserFactory(groups=[WRITERS], **kwargs)


def editor_factory(**kwargs):
    return UserFactory(groups=[EDITORS], **kwargs)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    file = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="photo.jpg"))
    alt_text = "A red rectangle"
    caption = "A test picture"
    credit = "Newsroom staff"


_sequence = iter(range(10**9))


def article_create(*, by=None, authors=(), tags=(), **fields) -> Article:
    """An article in draft, saved through the service as the admin would."""
    n = next(_sequence)
    values = {
        "headline": f"Headline number {n}",
        "slug": f"headline-number-{n}",
        "dek": "A one-sentence summary of the story.",
        "body": BODY,
        "section": fields.pop("section", None) or SectionFactory(),
    }
    values.update(fields)
    article = services.article_save(article=Article(**values), by=by)
    for position, author in enumerate(authors):
        ArticleAuthor.objects.create(article=article, author=author, position=position)
    article.tags.set(tags)
    return article


def article_published(*, now=None, **fields) -> Article:
    editor = fields.pop("by", None) or editor_factory()
    article = article_create(by=editor, **fields)
    return services.article_publish(article=article, by=editor, now=now or timezone.now())
