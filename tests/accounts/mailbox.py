import re

from django.core import mail


def code_in(text: str) -> str:
    """The code in a sign-in or sign-up verification mail (allauth's dashed format)."""
    return re.search(r"^\s*([A-Z0-9]+-[A-Z0-9]+)\s*$", text, re.M).group(1)


def emailed_code() -> str:
    """The code in the last mail sent."""
    return code_in(mail.outbox[-1].body)


def reset_link() -> str:
    """The path of the password reset link in the last mail sent."""
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    return link[1]
