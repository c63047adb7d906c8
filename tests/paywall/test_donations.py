import time
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from paywall.models import DonationReturn, Donor, FunnelDay, PaywallSettings
from paywall.services import donation_signature, funnel_flush
from paywall.tasks import funnel_flush_task
from tests import factories
from tests.paywall.pages import read

pytestmark = pytest.mark.django_db


def return_link(reference="pay-123", amount="25", sent_at=None, secret_ok=True):
    ts = str(int(sent_at or time.time()))
    sig = donation_signature(reference=reference, amount=amount, timestamp=ts)
    if not secret_ok:
        sig = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    return f"/donate/thanks/?ref={reference}&amount={amount}&ts={ts}&sig={sig}"


def test_the_appeal_shows_once_per_interval(client, metered_articles):
    first, second = read(client, metered_articles[0]), read(client, metered_articles[1])
    assert "donate" in first.prompts and "donate" not in second.prompts


def test_a_dismissed_appeal_stays_away(client, metered_articles):
    PaywallSettings.objects.create(pk=1, donate_interval_hours=0, donate_dismiss_days=7)
    assert "donate" in read(client, metered_articles[0]).prompts
    url = metered_articles[0].get_absolute_url()
    response = client.post("/donate/dismiss/", {"next": url})
    assert response["Location"] == url
    assert "donate" not in read(client, metered_articles[1]).prompts


def test_the_appeal_carries_no_csrf_token_and_dismisses_without_one(metered_articles):
    """The anonymous page sets no CSRF cookie, so the appeal's form must work without it."""
    PaywallSettings.objects.create(pk=1, donate_interval_hours=0, donate_dismiss_days=7)
    client = Client(enforce_csrf_checks=True)
    response = client.get(metered_articles[0].get_absolute_url())
    assert 'data-paywall="donate"' in response.content.decode()
    assert "csrftoken" not in response.cookies
    assert client.post("/donate/dismiss/", {"next": "/"}).status_code == 302
    assert "donate" not in read(client, metered_articles[1]).prompts


def test_dismiss_never_redirects_off_site(client):
    response = client.post("/donate/dismiss/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_signed_return_link_makes_a_donor_who_sees_thanks_and_no_appeal(
    client, reader, metered_articles
):
    PaywallSettings.objects.create(pk=1, donate_interval_hours=0)
    client.force_login(reader)
    response = client.get(return_link())
    assert (
        response.status_code == 200 and 'data-paywall="donate-thanks"' in response.content.decode()
    )
    assert Donor.objects.get(user=reader).source == Donor.Source.PLATFORM
    assert "donate" not in read(client, metered_articles[0]).prompts
    assert 'data-paywall="donate-thanks"' in client.get("/donate/").content.decode()


def test_an_anonymous_donor_is_remembered_in_the_cookie(client, metered_articles):
    PaywallSettings.objects.create(pk=1, donate_interval_hours=0)
    assert client.get(return_link()).status_code == 200
    assert "donate" not in read(client, metered_articles[0]).prompts


@pytest.mark.parametrize(
    "link",
    [
        return_link(secret_ok=False),
        return_link(sent_at=time.time() - 3 * 24 * 3600),
        "/donate/thanks/?ref=x&amount=1&ts=abc&sig=00",
        "/donate/thanks/",
    ],
)
def test_a_forged_or_stale_return_link_changes_nothing(client, reader, link):
    client.force_login(reader)
    assert client.get(link).status_code == 400
    assert not Donor.objects.exists()


def test_a_return_link_confirms_its_donation_once(client, reader, metered_articles):
    PaywallSettings.objects.create(pk=1, donate_interval_hours=0)
    link = return_link(reference="pay-once")
    client.force_login(reader)
    assert client.get(link).status_code == 200
    until = Donor.objects.get(user=reader).until
    used = DonationReturn.objects.get(reference="pay-once")
    assert used.user == reader
    replay = client.get(link)  # the same account again
    assert replay.status_code == 410 and 'data-paywall="donate-used"' in replay.content.decode()
    assert Donor.objects.get(user=reader).until == until
    other = factories.UserFactory()
    client.force_login(other)
    assert client.get(link).status_code == 410
    assert not Donor.objects.filter(user=other).exists()
    anonymous = Client()
    assert anonymous.get(link).status_code == 410
    assert "donate" in read(anonymous, metered_articles[0]).prompts  # no donor in the cookie
    assert DonationReturn.objects.count() == 1


def test_a_link_split_another_way_under_the_same_signature_is_refused(client, reader):
    """`pay:123` + `25` and `pay` + `123:25` sign the same message: neither field may hold
    the separator, so the one-use reference cannot be dodged that way."""
    ts = str(int(time.time()))
    sig = donation_signature(reference="pay:123", amount="25", timestamp=ts)
    client.force_login(reader)
    for reference, amount in (("pay:123", "25"), ("pay", "123:25")):
        link = f"/donate/thanks/?ref={reference}&amount={amount}&ts={ts}&sig={sig}"
        assert client.get(link).status_code == 400
    assert not DonationReturn.objects.exists() and not Donor.objects.exists()


def test_a_forged_link_does_not_use_up_the_reference(client, reader):
    client.force_login(reader)
    assert client.get(return_link(reference="pay-7", secret_ok=False)).status_code == 400
    assert not DonationReturn.objects.exists()
    assert client.get(return_link(reference="pay-7")).status_code == 200
    assert Donor.objects.filter(user=reader).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_return_link_opened_in_parallel_marks_one_donor():
    from tests.paywall.test_parallel import run_at_once

    users = [factories.UserFactory() for _n in range(8)]
    link = return_link(reference="pay-race")

    def fetch(user):
        client = Client()
        client.force_login(user)
        return client.get(link).status_code

    statuses = run_at_once(lambda n: fetch(users[n]), list(range(len(users))))
    assert sorted(statuses) == [200] + [410] * 7
    assert Donor.objects.count() == 1
    assert DonationReturn.objects.get(reference="pay-race").user == Donor.objects.get().user


def test_editors_mark_donors_in_the_admin(client, editor, reader, metered_articles):
    PaywallSettings.objects.create(pk=1, donate_interval_hours=0)
    client.force_login(editor)
    until = (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%d")
    response = client.post(
        "/admin/paywall/donor/add/",
        {"user": reader.pk, "until_0": until, "until_1": "12:00:00", "source": "admin"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.force_login(reader)
    assert "donate" not in read(client, metered_articles[0]).prompts


def test_donation_clicks_are_counted_and_sent_to_the_platform(client, metered_articles):
    PaywallSettings.objects.create(pk=1, donation_url="https://pay.example/give")
    article = metered_articles[0]
    page = client.get(f"/donate/?article={article.pk}").content.decode()
    assert f"/donate/go/?amount=10&amp;article={article.pk}" in page
    response = client.get(f"/donate/go/?amount=10&article={article.pk}")
    assert response["Location"] == "https://pay.example/give?amount=10"
    funnel_flush_task.delay()  # what beat runs every minute
    assert FunnelDay.objects.get(article_id=article.pk).donation_clicks == 1


@pytest.mark.parametrize(
    "article",
    [
        "9223372036854775808",
        "2147483648",
        "-1",
        "0",
        "abc",
        "1e3",
        "²",
        "٣",
        " 1",
        "unknown",
        "draft",
    ],
)
def test_a_donation_click_counts_only_a_real_published_article(
    client, metered_articles, section, editor, article
):
    PaywallSettings.objects.create(pk=1, donation_url="https://pay.example/give")
    value = {
        "unknown": str(metered_articles[-1].pk + 1000),
        "draft": str(factories.article_create(section=section, by=editor).pk),
    }.get(article, article)
    response = client.get("/donate/go/", {"amount": "10", "article": value})
    assert response.status_code == 302
    assert response["Location"] == "https://pay.example/give?amount=10"
    real = client.get("/donate/go/", {"amount": "10", "article": metered_articles[0].pk})
    assert real.status_code == 302
    funnel_flush()
    clicks = dict(FunnelDay.objects.values_list("article_id", "donation_clicks"))
    assert clicks == {0: 1, metered_articles[0].pk: 1}  # the junk id as a click on no article


def test_the_donate_page_links_no_junk_article(client):
    PaywallSettings.objects.create(pk=1, donation_url="https://pay.example/give")
    page = client.get("/donate/?article=9223372036854775808")
    assert page.status_code == 200
    assert "/donate/go/?amount=10&amp;article=0" in page.content.decode()


def test_the_funnel_page_shows_a_chart_and_the_conversion_rate(client, editor, metered_articles):
    reader_client = type(client)()
    for article in metered_articles[:11]:
        read(reader_client, article)
    funnel_flush()
    client.force_login(editor)
    page = client.get("/admin/paywall/funnelday/").content.decode()
    assert "<svg" in page and "<polyline" in page
    # Totals over every row (a shared Redis may hold other runs' counts), and this run's wall.
    totals = FunnelDay.objects.aggregate(v=Sum("views"), n=Sum("nudges"), w=Sum("walls"))
    assert totals["v"] >= 11 and totals["w"] >= 1
    assert f'data-funnel="totals"><td>{totals["v"]}</td><td>{totals["n"]}</td>' in page
    walled = metered_articles[10].headline
    assert f"<td>{walled}</td><td>1</td><td>0</td><td>1</td><td>0</td>" in page
    assert "% of register prompts led to a sign-up" in page


def _settings_form(client) -> dict:
    form = client.get("/admin/paywall/paywallsettings/add/").context["adminform"].form
    data = {name: field.initial for name, field in form.fields.items()}
    return {k: ("" if v is None else v) for k, v in data.items()} | {"enabled": "on"}


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        (
            {"nudge_from": 11, "wall_after": 10},
            "nudge_from",
            "The nudge must come before the wall",
        ),
        ({"nudge_from": 0}, "nudge_from", "1 or more"),
        ({"wall_after": 0}, "wall_after", "1 or more"),
        ({"suggested_amounts": "5,ten,25"}, "suggested_amounts", "Whole amounts"),
        ({"suggested_amounts": "0,10"}, "suggested_amounts", "Whole amounts"),
    ],
)
def test_paywall_settings_that_do_not_add_up_are_a_form_error(
    client, editor, change, field, error
):
    client.force_login(editor)
    response = client.post("/admin/paywall/paywallsettings/add/", _settings_form(client) | change)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert error in " ".join(form.errors[field])
    assert not PaywallSettings.objects.exists()


def test_the_nudge_may_come_on_the_last_free_article(client, editor):
    client.force_login(editor)
    data = _settings_form(client) | {"nudge_from": 10, "wall_after": 10}
    assert client.post("/admin/paywall/paywallsettings/add/", data).status_code == 302


def test_editors_tune_the_paywall_in_the_admin(client, editor, writer):
    client.force_login(writer)
    assert client.get("/admin/paywall/paywallsettings/").status_code == 403
    assert client.get("/admin/paywall/funnelday/").status_code == 403
    client.force_login(editor)
    assert client.get("/admin/paywall/paywallsettings/")["Location"].endswith("/add/")
    form = client.get("/admin/paywall/paywallsettings/add/").context["adminform"].form
    data = {name: field.initial for name, field in form.fields.items()}
    data.update(enabled="on", nudge_from=2, wall_after=5, donation_url="")
    data = {k: ("" if v is None else v) for k, v in data.items()}
    assert client.post("/admin/paywall/paywallsettings/add/", data).status_code == 302
    assert PaywallSettings.objects.get(pk=1).wall_after == 5
    assert client.get("/admin/paywall/paywallsettings/")["Location"].endswith("/1/change/")


def test_the_data_export_lists_the_return_links_a_reader_used(client, reader):
    client.force_login(reader)
    assert client.get(return_link(reference="pay-mine")).status_code == 200
    other = Client()
    other.force_login(factories.UserFactory())
    other.get(return_link(reference="pay-theirs"))

    data = client.get("/accounts/profile/export/").json()
    assert [row["reference"] for row in data["donation_returns"]] == ["pay-mine"]
    used = DonationReturn.objects.get(reference="pay-mine").used_at
    assert data["donation_returns"][0]["used_at"] == used.isoformat()
