"""Reader-side models, one module per area; each area's models are imported here."""

from accounts.models.profile import Profile

__all__ = ["Profile"]
