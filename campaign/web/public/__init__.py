"""Public pages: active campaigns, the campaign page, privacy notice."""

from campaign.web.public.views import bp

__all__ = ["bp"]
