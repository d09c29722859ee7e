"""Whether an argument set covers a motion (the gaps), and the briefing for delegates as PDF or Markdown."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from campaign.db import db
from campaign.models import ArgumentSet, Motion
from campaign.services.common.markdown import render_markdown
from campaign.services.evidence.arguments import list_sets
from campaign.services.evidence.briefing import (
    Briefing,
    briefing_filename,
    briefing_markdown,
    build_briefing,
    render_briefing_pdf,
)
from campaign.services.evidence.choices import motions_by_title
from campaign.services.evidence.coverage import coverage
from campaign.web.security import WRITERS, has_role

bp = Blueprint("coverage", __name__)


def _motion_and_set() -> tuple[Motion | None, ArgumentSet | None]:
    """The motion and set named by ?motion= and ?set= (None where not given; 404 where unknown)."""
    motion_id, set_id = request.args.get("motion", type=int), request.args.get("set", type=int)
    motion = db.get_or_404(Motion, motion_id) if motion_id else None
    argument_set = db.get_or_404(ArgumentSet, set_id) if set_id else None
    return motion, argument_set


@bp.get("/coverage")
def show():
    motion, argument_set = _motion_and_set()
    result = coverage(db.session, motion, argument_set) if motion and argument_set else None
    return render_template(
        "organise/arguments/coverage.html",
        result=result,
        motion=motion,
        argument_set=argument_set,
        motions=motions_by_title(db.session),
        sets=[found for found, _count in list_sets(db.session)],
        can_write=has_role(*WRITERS),
    )


def _briefing() -> Briefing:
    motion, argument_set = _motion_and_set()
    if motion is None or argument_set is None:
        abort(404)
    return build_briefing(motion, argument_set)


def _attachment(content: bytes | str, mimetype: str, filename: str) -> Response:
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/briefing.pdf")
def briefing_pdf():
    briefing = _briefing()
    html = render_template("organise/arguments/briefing_print.html", briefing=briefing, markdown=render_markdown)
    return _attachment(render_briefing_pdf(html), "application/pdf", briefing_filename(briefing.motion, "pdf"))


@bp.get("/briefing.md")
def briefing_md():
    briefing = _briefing()
    return _attachment(briefing_markdown(briefing), "text/markdown", briefing_filename(briefing.motion, "md"))
