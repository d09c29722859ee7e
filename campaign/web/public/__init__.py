"""Public pages: active campaigns, the campaign page with co-signing, privacy notice, the language switch."""

from campaign.web.public import language, signing  # noqa: F401  (their views join the blueprint)
from campaign.web.public.views import bp

__all__ = ["bp"]
