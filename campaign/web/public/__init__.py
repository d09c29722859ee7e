"""Public pages: active campaigns, the campaign page with co-signing, privacy notice."""

from campaign.web.public import signing  # noqa: F401  (its views join the blueprint)
from campaign.web.public.views import bp

__all__ = ["bp"]
