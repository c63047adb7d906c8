"""Failed sign-ins are limited per address and client together, and per client: a stranger's
wrong passwords keep nobody else out, and the limited client is told what to do."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client, RequestFactory

from accounts import known_devices
from accounts.adapters import ReaderAccountAdapter
from newsroom import settings as production_settings
from newsroom.client import client_address, client_key
from tests.accounts.mailbox import emailed_code, reset_link

PASSWORD = "correct-horse-battery"  # the factories'
PROXY = "10.0.0.2"


@pytest.fixture
def limits(settings):
    settings.ACCOUNT_RATE_LIMITS = production_settings.ACCOUNT_RATE_LIMITS
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.FORWARDED_ALLOW_IPS = [PROXY]
    return settings


@pytest.fixture
def verified_editor(editor):
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    return editor


def behind_our_proxy(address: str) -> Client:
    """A client as the app sees it behind one proxy of ours: same REMOTE_ADDR for all."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.50, {address}")


def sign_in(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


@pytest.mark.django_db
def test_wrong_passwords_from_one_client_lock_out_only_that_client(limits, verified_editor):
    attacker = behind_our_proxy("198.51.100.7")
    answers = [sign_in(attacker, verified_editor.email, "wrong").status_code for _ in range(10)]
    assert answers == [200] * 5 + [429] * 5

    editor = behind_our_proxy("192.0.2.10")
    response = sign_in(editor, verified_editor.email, PASSWORD)
    assert response.status_code == 302
    assert editor.session["_auth_user_id"] == str(verified_editor.pk)

    limited = sign_in(attacker, verified_editor.email, PASSWORD)  # even the right password
    assert limited.status_code == 429
    assert "_auth_user_id" not in attacker.session
    page = limited.content.decode()
    assert "Too many tries" in page
    assert 'href="/accounts/login/code/"' in page and 'href="/accounts/password/reset/"' in page


@pytest.mark.django_db
def test_a_client_is_capped_across_many_addresses(limits, reader):
    guesser = behind_our_proxy("198.51.100.8")
    answers = [sign_in(guesser, f"someone{n}@example.org", "wrong").status_code for n in range(11)]
    assert answers == [200] * 10 + [429]
    assert sign_in(behind_our_proxy("192.0.2.11"), reader.email, "wrong").status_code == 200


@pytest.mark.django_db
def test_the_owner_signs_in_by_emailed_code_while_passwords_are_limited(limits, verified_editor):
    owner = behind_our_proxy("198.51.100.9")
    for _ in range(6):
        sign_in(owner, verified_editor.email, "wrong")
    assert sign_in(owner, verified_editor.email, PASSWORD).status_code == 429

    assert owner.post("/accounts/login/code/", {"email": verified_editor.email}).status_code == 302
    response = owner.post("/accounts/login/code/confirm/", {"code": emailed_code()})
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(verified_editor.pk)


@pytest.mark.parametrize(
    ("proxies", "nearest", "forwarded", "expected"),
    [
        (0, "10.0.0.0/8", "203.0.113.1", "10.0.0.2"),  # no proxy: the header is the client's
        (1, "10.0.0.0/8", "203.0.113.1, 198.51.100.1", "198.51.100.1"),
        (2, "10.0.0.2", "203.0.113.1, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        (2, "10.0.0.0/8", "198.51.100.1", "10.0.0.2"),  # shorter than our proxies: bypassed one
        (1, "10.0.0.0/8", "", "10.0.0.2"),
        (1, "127.0.0.1", "198.51.100.1", "10.0.0.2"),  # not from our proxy: its own address
        (1, "*", "198.51.100.1", "198.51.100.1"),
    ],
)
def test_the_client_address_is_the_n_th_from_the_right(
    settings, proxies, nearest, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    settings.FORWARDED_ALLOW_IPS = [nearest]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
    assert ReaderAccountAdapter(request).get_client_ip(request) == expected


def test_allauth_counts_trusted_proxies_from_the_same_setting():
    assert production_settings.ALLAUTH_TRUSTED_PROXY_COUNT is (
        production_settings.TRUSTED_PROXY_COUNT
    )


@pytest.fixture
def backstop(limits):
    limits.ACCOUNTS_LOGIN_FAILED_PER_ADDRESS = (12, 3600)
    return limits


@pytest.mark.django_db
def test_guessing_one_address_from_many_clients_meets_the_address_s_own_limit(
    backstop, verified_editor
):
    guessers = [behind_our_proxy(f"198.51.100.{n}") for n in range(20, 24)]
    answers = [sign_in(g, verified_editor.email, "wrong").status_code for g in guessers * 3]
    assert answers == [200] * 12
    fresh = behind_our_proxy("198.51.100.30")
    assert sign_in(fresh, verified_editor.email, "wrong").status_code == 429
    assert sign_in(fresh, verified_editor.email, PASSWORD).status_code == 429  # the owner too
    assert "_auth_user_id" not in fresh.session
    assert sign_in(fresh, "someone-else@example.org", "wrong").status_code == 200


@pytest.mark.django_db
def test_the_owner_s_own_browser_signs_in_by_password_while_the_address_is_locked(
    backstop, verified_editor
):
    owner = behind_our_proxy("192.0.2.100")
    assert sign_in(owner, verified_editor.email.upper(), PASSWORD).status_code == 302
    device = owner.cookies[known_devices.COOKIE]
    assert verified_editor.email not in device.value
    assert device["httponly"] and device["samesite"] == "Lax"
    owner.logout()  # the test client drops every cookie; a browser keeps this one
    owner.cookies[known_devices.COOKIE] = device.value

    for n in range(12):
        sign_in(behind_our_proxy(f"198.51.100.{110 + n % 4}"), verified_editor.email, "wrong")
    assert sign_in(owner, verified_editor.email, "wrong").status_code == 200  # not locked
    assert sign_in(owner, verified_editor.email, PASSWORD).status_code == 302
    tampered = behind_our_proxy("192.0.2.101")
    tampered.cookies[known_devices.COOKIE] = device.value[:-2] + "xx"
    assert sign_in(tampered, verified_editor.email, PASSWORD).status_code == 429
    verified_editor.set_password("a-new-correct-horse")  # a change or reset ends it
    verified_editor.save()
    owner.logout()
    owner.cookies[known_devices.COOKIE] = device.value
    assert sign_in(owner, verified_editor.email, "a-new-correct-horse").status_code == 429
    assert (
        sign_in(behind_our_proxy("192.0.2.102"), verified_editor.email, PASSWORD).status_code
        == 429
    )


@pytest.mark.django_db
def test_right_passwords_do_not_use_up_the_address_s_limit(backstop, verified_editor):
    clients = [behind_our_proxy(f"192.0.2.{n}") for n in range(40, 54)]
    for owner in clients:
        assert sign_in(owner, verified_editor.email, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_locked_address_signs_in_by_emailed_code_and_a_reset_unlocks_it(
    backstop, verified_editor
):
    for n in range(12):
        sign_in(behind_our_proxy(f"198.51.100.{60 + n % 3}"), verified_editor.email, "wrong")
    owner = behind_our_proxy("192.0.2.70")
    assert sign_in(owner, verified_editor.email, PASSWORD).status_code == 429

    assert owner.post("/accounts/login/code/", {"email": verified_editor.email}).status_code == 302
    response = owner.post("/accounts/login/code/confirm/", {"code": emailed_code()})
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(verified_editor.pk)

    resetting = behind_our_proxy("192.0.2.71")
    resetting.post("/accounts/password/reset/", {"email": verified_editor.email})
    link = reset_link()
    form_page = resetting.get(link, follow=True)
    new = "another-correct-horse"
    resetting.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert sign_in(behind_our_proxy("192.0.2.72"), verified_editor.email, new).status_code == 302


@pytest.mark.django_db
def test_an_ipv6_client_is_one_client_across_its_64(limits, verified_editor):
    block = "2001:db8:5:7"
    answers = [
        sign_in(behind_our_proxy(f"{block}::{n:x}"), verified_editor.email, "wrong").status_code
        for n in range(1, 8)
    ]
    assert answers == [200] * 5 + [429] * 2
    neighbour = behind_our_proxy("2001:db8:5:8::1")
    assert sign_in(neighbour, verified_editor.email, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:5:7:a:b:c:d", "2001:db8:5:7::/64"),
        ("2001:DB8:5:7::1", "2001:db8:5:7::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
    ],
)
def test_the_limiter_s_client_key(settings, address, key):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_key(RequestFactory().get("/", REMOTE_ADDR=address)) == key


@pytest.mark.django_db
def test_tries_refused_by_the_client_s_own_limit_do_not_count_for_the_address(
    backstop, verified_editor
):
    hammering = behind_our_proxy("198.51.100.80")
    answers = [sign_in(hammering, verified_editor.email, "wrong").status_code for _ in range(20)]
    assert answers == [200] * 5 + [429] * 15
    owner = behind_our_proxy("192.0.2.81")
    assert sign_in(owner, verified_editor.email, PASSWORD).status_code == 302
