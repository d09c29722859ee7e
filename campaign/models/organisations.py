"""The sending organisation: letterhead, address and signatories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from campaign.db import db
from campaign.models.common import TimestampMixin


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(80), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    letterhead_note: Mapped[str] = mapped_column(Text, default="")
    # Bank account, register entry and the like: printed in small type at the foot of the letter's first page.
    footer_lines: Mapped[str] = mapped_column(Text, default="")
    # [{"name": …, "role": …, "signature": "data:image/png;base64,…" (optional)}, …] in the order they sign.
    signatories: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The letterhead's logo: a checked PNG or a sanitised SVG (services.organisations.images).
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str] = mapped_column(String(40), default="")

    @property
    def return_line(self) -> str:
        """The one-line sender address printed above the window field (DIN 5008)."""
        return " · ".join(part for part in (self.name, self.street, f"{self.postcode} {self.city}".strip()) if part)
