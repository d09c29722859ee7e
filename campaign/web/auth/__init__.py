"""Login, logout and the admin's user list."""

from campaign.web.auth.views import bp

__all__ = ["bp"]
