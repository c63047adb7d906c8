"""The standing pages every newsroom has, with starting copy that editors rewrite in the admin."""

from django.db import migrations

PAGES = [
    (
        "about",
        "About us",
        "Who we are and how we work.",
        "<p>We are an independent newsroom. We report what we can verify, say how we know it, "
        "and correct ourselves in the open when we get something wrong.</p>"
        "<p>Our journalism is paid for by readers who register and by readers who donate. "
        "No advertiser or owner decides what we cover.</p>",
    ),
    (
        "masthead",
        "Masthead",
        "The people responsible for what we publish.",
        "<p>The editor-in-chief is responsible for everything that appears under our name. "
        "Each desk has an editor who reviews every story before it is published.</p>"
        "<p>Reporters and photographers are named on the stories and pictures they make.</p>",
    ),
    (
        "contact",
        "Contact",
        "How to reach the newsroom.",
        "<p>Write to the newsroom at news@example.org with tips, questions and complaints. "
        "We read everything, and we answer what we can.</p>"
        "<p>To report an error in a story, please name the story and the passage.</p>",
    ),
    (
        "privacy",
        "Privacy",
        "What we store about readers and why.",
        "<p>We keep as little about you as we can. Anonymous readers get a random identifier "
        "in a cookie so that we can count free articles; we do not sell or share it.</p>"
        "<p>If you register, we keep your email address and your alert choices until you "
        "delete your account, which you can do at any time from your account page.</p>",
    ),
    (
        "terms",
        "Terms of use",
        "The rules for using this site.",
        "<p>You may read, link to and quote our stories with credit. Republishing whole "
        "stories needs our written permission.</p>"
        "<p>Comments must be civil and on topic; editors may remove those that are not.</p>",
    ),
    (
        "corrections-policy",
        "Corrections policy",
        "How we fix mistakes.",
        "<p>When we publish something wrong, we fix it and add a note at the end of the story "
        "that says what changed and when.</p>"
        "<p>We do not quietly delete stories. If a story must be taken down, we say so.</p>",
    ),
]


def create_pages(apps, schema_editor):
    NewsroomPage = apps.get_model("articles", "NewsroomPage")
    for position, (slug, title, summary, body) in enumerate(PAGES, start=1):
        NewsroomPage.objects.get_or_create(
            slug=slug,
            defaults={"title": title, "summary": summary, "body": body, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_reader_pages_pins_renditions")]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
