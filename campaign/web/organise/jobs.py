"""Progress of background jobs (e.g. bulk letter generation), as a page and as JSON for the progress bar."""

from __future__ import annotations

from campaign.web.organise.blueprint import bp

__all__ = ["bp"]
