"""Pages for breaking-news alert subscriptions: sign-up, confirmation, one-click leaving.

Links in emails only ever show a button on GET; the change happens on POST, so that mail
scanners that follow links confirm and unsubscribe nobody.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from alerts import subscriptions
from newsroom.client import client_key


class SignupForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), required=False)


@csrf_protect
def _signup_signed_in(request):
    """One click for a signed-in reader: this changes their account, so CSRF applies."""
    subscribed = subscriptions.subscriber_set_for_user(user=request.user, subscribed=True)
    return render(request, "alerts/signup_result.html", {"subscribed": subscribed})


# The anonymous sign-up carries no CSRF token: all it can cause is one rate-limited
# confirmation mail, as typing the address would, and a token would put a cookie on every
# page a reader opens (the box is in the footer).
@csrf_exempt
@require_POST
def signup(request):
    form = SignupForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/signup_result.html", {"form": form}, status=400)
    email = form.cleaned_data["email"]
    user = request.user
    if user.is_authenticated and (not email or email.lower() == user.email.lower()):
        return _signup_signed_in(request)
    if not subscriptions.signup_allowed(client=client_key(request)):
        return render(request, "alerts/signup_result.html", {"limited": True}, status=429)
    if not email:
        form.add_error("email", _("Enter your email address."))
        return render(request, "alerts/signup_result.html", {"form": form}, status=400)
    subscriptions.subscriber_request(email=email)
    return render(request, "alerts/signup_result.html", {"requested": True})


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    if request.method != "POST":
        return render(request, "alerts/confirm.html", {"token": token})
    subscriber = subscriptions.subscriber_confirm(token=token)
    return render(
        request,
        "alerts/confirm.html",
        {"done": subscriber is not None, "invalid": subscriber is None},
        status=200 if subscriber else 400,
    )


# Mail clients send the RFC 8058 one-click POST without any cookie or CSRF token; the
# signed token in the address is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    if request.method == "POST":
        subscriber = subscriptions.subscriber_unsubscribe(token=token)
    else:
        subscriber = subscriptions.subscriber_from_unsubscribe_token(token)
    context = {"token": token, "subscriber": subscriber, "done": request.method == "POST"}
    return render(request, "alerts/unsubscribe.html", context, status=200 if subscriber else 400)


@login_required
@require_POST
def toggle(request):
    """The switch on the account page."""
    subscribed = subscriptions.subscriber_set_for_user(
        user=request.user, subscribed=request.POST.get("subscribed") == "on"
    )
    if subscribed:
        messages.success(request, _("You will receive breaking-news alerts."))
    elif request.POST.get("subscribed") == "on":
        messages.info(request, _("Check your inbox to confirm your alerts."))
    else:
        messages.success(request, _("You will no longer receive breaking-news alerts."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return redirect(target)
