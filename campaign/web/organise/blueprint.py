"""The organise blueprint: every page needs a staff account; write views also need WRITERS."""

from flask import Blueprint

from campaign.web.security import STAFF, role_required

bp = Blueprint("organise", __name__, url_prefix="/organise")


@bp.before_request
@role_required(*STAFF)
def require_staff():
    """Coordinators may read everything here; views that change data narrow this to WRITERS."""
