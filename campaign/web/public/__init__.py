"""Public pages: active campaigns, the campaign page with co-signing, privacy notice."""

from campaign.web.public import signing, writing, writing_links  # noqa: F401  (their views join the blueprint)
from campaign.web.public.views import bp

__all__ = ["bp"]
