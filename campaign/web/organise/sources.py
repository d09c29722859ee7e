"""Organiser views of sources and their quoted passages."""

from __future__ import annotations

from campaign.web.organise.blueprint import bp

__all__ = ["bp"]
