"""Start-up checks: an embed whose player the CSP does not allow would show readers a blank
frame when they click to play."""

from django.conf import settings
from django.core.checks import Error, register

from articles.embeds import frame_origins


@register()
def embed_players_allowed(app_configs, **kwargs):
    allowed = set(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].get("frame-src", ()))
    missing = sorted(frame_origins() - allowed)
    if not missing:
        return []
    return [
        Error(
            f"The CSP's frame-src leaves out the embed players {', '.join(missing)}.",
            hint="Add them to CONTENT_SECURITY_POLICY's frame-src in the settings.",
            id="articles.E001",
        )
    ]
