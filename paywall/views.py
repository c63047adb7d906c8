from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from paywall import services
from paywall.selectors import article_published_id, paywall_settings


def _article_id(request) -> int:
    return article_published_id(request.GET.get("article", ""))


@require_safe
def donate(request):
    rules = paywall_settings()
    article_id = _article_id(request)
    go = reverse("paywall:donate_go")
    amounts = [
        (amount, f"{go}?{urlencode({'amount': amount, 'article': article_id})}")
        for amount in rules.amounts
    ]
    context = {
        "rules": rules,
        "amounts": amounts,
        "is_donor": request.paywall.donor_until() > timezone.now().timestamp(),
    }
    return render(request, "paywall/donate.html", context)


@require_safe
def donate_go(request):
    """Counts the click, then hands the reader to the payment platform."""
    rules = paywall_settings()
    amount = request.GET.get("amount", "")
    if not rules.donation_url or not amount.isdigit():
        return redirect("paywall:donate")
    services.funnel_count(
        meter=request.paywall.meter,
        event="donation_clicks",
        article_id=_article_id(request),
        now=timezone.now(),
    )
    separator = "&" if "?" in rules.donation_url else "?"
    return redirect(f"{rules.donation_url}{separator}{urlencode({'amount': amount})}")


@require_safe
def donate_return(request):
    """The payment platform's return link, signed with the shared secret, good for one use."""
    outcome = services.donation_return_confirm(
        params=request.GET, paywall=request.paywall, user=request.user, now=timezone.now()
    )
    if outcome == services.DonationReturnOutcome.INVALID:
        return render(request, "paywall/donate_invalid.html", status=400)
    if outcome == services.DonationReturnOutcome.USED:
        return render(request, "paywall/donate_used.html", status=410)
    return render(request, "paywall/donate.html", {"rules": paywall_settings(), "is_donor": True})


# Exempt from CSRF so that the appeal can be cached without a token: a forged request can
# only quiet the appeal in the reader's own cookie, and the redirect stays on this site.
@csrf_exempt
@require_POST
def appeal_dismiss(request):
    services.appeal_dismiss(paywall=request.paywall, now=timezone.now())
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)
