"""Lets the admin's rich-text editor load under a CSP with no inline script.

The editor declares its modules in an inline `<script type="importmap">`, which a strict
script-src blocks. Rather than allowing inline script, each admin page allows exactly the
import maps it carries, by their SHA-256 hash.
"""

import base64
import hashlib
import re

IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


def admin_importmap_csp(get_response):
    def middleware(request):
        response = get_response(request)
        if not request.path.startswith("/admin/") or response.streaming:
            return response
        if "text/html" not in response.get("Content-Type", ""):
            return response
        hashes = [
            f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
            for body in IMPORTMAP.findall(response.content)
        ]
        if hashes:
            response._csp_update = {"script-src": hashes}
        return response

    return middleware


def static_file_headers(headers, path, url):
    """WhiteNoise answers before the CSP and framing middleware run: give its files the same
    policy, so that even an SVG opened on its own runs no script and is never framed."""
    from csp.utils import build_policy
    from django.conf import settings

    headers["Content-Security-Policy"] = build_policy()
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
