"""Alert subscriptions: double opt-in sign-up, one-click sign-up for verified readers, leaving.

Nothing is ever sent to an address that has not confirmed, except the one confirmation mail
per interval that asks it to.
"""

from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alerts import conf
from alerts.models import Subscriber
from alerts.tasks import subscriber_confirmation_send_task
from newsroom import mail_caps, ratelimit
from newsroom.emails import EmailTemplates
from newsroom.links import absolute_url

State = Subscriber.State
# Named for where they were first used: links already mailed must keep working.
CONFIRM_SALT = "accounts.alerts.confirm"
UNSUBSCRIBE_SALT = "accounts.alerts.unsubscribe"


def _normalise(email: str) -> str:
    return email.strip().lower()


def confirmation_token(email: str) -> str:
    return signing.dumps(_normalise(email), salt=CONFIRM_SALT)


def unsubscribe_token(subscriber_id: int) -> str:
    """Does not expire: the link in an old alert must still work."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber_id))


def unsubscribe_url(subscriber_id: int) -> str:
    return absolute_url(reverse("alerts:unsubscribe", args=[unsubscribe_token(subscriber_id)]))


def signup_allowed(*, client: str) -> bool:
    """Per-client rate limit on sign-up requests, counted in the cache."""
    return ratelimit.hit(
        name=f"alerts:signup:{client}", limit=conf.SIGNUP_LIMIT, window=conf.SIGNUP_WINDOW_SECONDS
    )


@transaction.atomic
def subscriber_request(*, email: str, now: datetime | None = None) -> None:
    """An email-only sign-up. Answers nothing: a caller cannot learn whether it was known."""
    now = now or timezone.now()
    email = _normalise(email)
    subscriber, _created = Subscriber.objects.select_for_update().get_or_create(email=email)
    if subscriber.state == State.CONFIRMED:
        return
    recent = now - timedelta(seconds=conf.CONFIRMATION_INTERVAL_SECONDS)
    if subscriber.confirmation_sent_at and subscriber.confirmation_sent_at > recent:
        return
    subscriber.state = State.PENDING
    subscriber.confirmation_sent_at = now
    subscriber.full_clean()
    subscriber.save(update_fields=["state", "confirmation_sent_at"])
    transaction.on_commit(lambda: subscriber_confirmation_send_task.delay(subscriber.pk))


def subscriber_confirmation_send(*, subscriber_id: int) -> bool:
    subscriber = Subscriber.objects.filter(pk=subscriber_id, state=State.PENDING).first()
    if subscriber is None:
        return False
    if not mail_caps.mail_allowed(
        to=subscriber.email, kind="alerts_confirmation", budget="alerts"
    ):
        return False
    link = absolute_url(reverse("alerts:confirm", args=[confirmation_token(subscriber.email)]))
    context = {
        "confirm_url": link,
        "max_age_days": conf.CONFIRMATION_MAX_AGE_SECONDS // 86400,
    }
    rendered = EmailTemplates("alerts/email/confirmation").render(context)
    rendered.message(to=subscriber.email).send()
    return True


@transaction.atomic
def subscriber_confirm(*, token: str, now: datetime | None = None) -> Subscriber | None:
    """Confirm the address a valid confirmation link was sent to; None for a bad link."""
    try:
        email = signing.loads(token, salt=CONFIRM_SALT, max_age=conf.CONFIRMATION_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is None or subscriber.state not in (State.PENDING, State.CONFIRMED):
        return None
    if subscriber.state == State.PENDING:
        _set_state(subscriber, State.CONFIRMED, now)
    return subscriber


def _set_state(subscriber: Subscriber, state: str, now: datetime | None, reason: str = ""):
    now = now or timezone.now()
    subscriber.state = state
    if state == State.CONFIRMED:
        subscriber.confirmed_at = now
        subscriber.left_at = None
    else:
        subscriber.left_at = now
    subscriber.bounce_reason = reason[:300]
    subscriber.save(update_fields=["state", "confirmed_at", "left_at", "bounce_reason"])


def _email_verified(user) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


@transaction.atomic
def subscriber_set_for_user(*, user, subscribed: bool, now: datetime | None = None) -> bool:
    """The signed-in reader's one click. Returns whether the reader now receives alerts.

    A verified address is confirmed at once; an unverified one goes through the double
    opt-in like any other address.
    """
    subscriber = Subscriber.objects.select_for_update().filter(user=user).first()
    if not subscribed:
        if subscriber and subscriber.state in (State.PENDING, State.CONFIRMED):
            _set_state(subscriber, State.UNSUBSCRIBED, now)
        return False
    if not _email_verified(user):
        subscriber_request(email=user.email, now=now)
        return False
    email = _normalise(user.email)
    if subscriber is None or subscriber.email != email:
        if subscriber is not None:
            subscriber.delete()
        subscriber, _ = Subscriber.objects.select_for_update().get_or_create(email=email)
        subscriber.user = user
        subscriber.save(update_fields=["user"])
    if subscriber.state != State.CONFIRMED:
        _set_state(subscriber, State.CONFIRMED, now)
    return True


def _unsubscribe_id(token: str) -> str | None:
    try:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None


def subscriber_from_unsubscribe_token(token: str) -> Subscriber | None:
    subscriber_id = _unsubscribe_id(token)
    return subscriber_id and Subscriber.objects.filter(pk=subscriber_id).first()


@transaction.atomic
def subscriber_unsubscribe(*, token: str, now: datetime | None = None) -> Subscriber | None:
    """The one-click unsubscribe from an alert's link or header; no login needed."""
    subscriber_id = _unsubscribe_id(token)
    subscriber = (
        subscriber_id and Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    )
    if subscriber is not None and subscriber.state in (State.PENDING, State.CONFIRMED):
        _set_state(subscriber, State.UNSUBSCRIBED, now)
    return subscriber


@transaction.atomic
def subscriber_bounce(*, subscriber_id: int, reason: str, now: datetime | None = None) -> None:
    """A permanent refusal by the recipient's server: no more mail to that address."""
    subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    if subscriber is not None and subscriber.state != State.BOUNCED:
        _set_state(subscriber, State.BOUNCED, now, reason)
