"""Coordinator screens under /track: one nested blueprint per feature, all behind the staff guard.

Coordinators do the work here (logging, importing, classifying and assigning replies), so the views change data
for every staff role, not only for organisers.
"""

from __future__ import annotations

from flask import Blueprint

from campaign.web.security import STAFF, role_required
from campaign.web.track import board, dashboard, followups, history, inbox, overview, replies

bp = Blueprint("track", __name__, url_prefix="/track")

FEATURES = (overview.bp, dashboard.bp, board.bp, followups.bp, history.bp, replies.bp, inbox.bp)
for feature in FEATURES:
    bp.register_blueprint(feature)


@bp.before_request
@role_required(*STAFF)
def require_staff():
    """Every tracking page needs a staff account."""
