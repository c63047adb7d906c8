from django.http import HttpResponse

from paywall.identity import Reader, reader_dump, reader_load


def cookie_of(reader: Reader) -> dict:
    response = HttpResponse()
    reader_dump(response, reader)
    return {"reader": response.cookies["reader"].value}, response.cookies["reader"]


def test_a_signed_cookie_names_the_same_reader():
    cookies, _morsel = cookie_of(Reader(id="abc", appeal_at=5))
    reader, reissue = reader_load(cookies)
    assert (reader.id, reader.appeal_at, reissue) == ("abc", 5, False)


def test_the_cookie_is_http_only_lax_and_not_secure_on_plain_http(settings):
    settings.SESSION_COOKIE_SECURE = False
    _cookies, morsel = cookie_of(Reader())
    assert morsel["httponly"] and morsel["samesite"] == "Lax" and not morsel["secure"]
    settings.SESSION_COOKIE_SECURE = True
    assert cookie_of(Reader())[1]["secure"]


def test_a_tampered_cookie_is_a_new_reader():
    cookies, _morsel = cookie_of(Reader(id="abc"))
    value = cookies["reader"]
    tampered = value.replace(value[5], "A" if value[5] != "A" else "B", 1)
    for bad in (tampered, "garbage", "", "a:b:c"):
        reader, reissue = reader_load({"reader": bad})
        assert reader.id != "abc" and reissue


def test_a_new_secret_signs_at_once_and_the_old_one_is_honoured_only_as_a_fallback(settings):
    """The signer is made once per secret: rotating it must not leave the old one at work."""
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "old-" * 13, []
    cookies, _morsel = cookie_of(Reader(id="abc"))
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "new-" * 13, ["old-" * 13]
    assert reader_load(cookies) == (Reader(id="abc"), False)
    settings.SECRET_KEY_FALLBACKS = []
    reader, reissue = reader_load(cookies)
    assert reader.id != "abc" and reissue
    renewed, _morsel = cookie_of(Reader(id="abc"))
    assert reader_load(renewed)[0].id == "abc"


def test_the_cookie_carries_the_first_article_for_its_period_only():
    cookies, _morsel = cookie_of(Reader(first=7, first_period="2026-11"))
    reader, _reissue = reader_load(cookies)
    assert (reader.carried("2026-11"), reader.carried("2026-12")) == (7, 0)
