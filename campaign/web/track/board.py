"""The tracking board of a campaign: every letter with its state and answer, filtered; and its downloads."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from campaign.db import db
from campaign.services.common.tabular import FORMATS, MEDIA_TYPES
from campaign.services.exports import TABLES, export_campaign_table, file_name
from campaign.services.recipients.search import filter_choices
from campaign.services.replies.board import board_page, reply_counts, supporter_letter_count
from campaign.services.replies.inbox import inbox_count
from campaign.web.lookup import campaign_or_404
from campaign.web.paging import page_links
from campaign.web.track.forms import BOARD_PARAMS, BoardFilterForm

bp = Blueprint("board", __name__, url_prefix="/campaigns/<slug>")

PER_PAGE = 50


@bp.get("/letters")
def letters(slug: str):
    campaign = campaign_or_404(slug)
    form = BoardFilterForm(formdata=request.args)
    form.set_choices(filter_choices(db.session))
    filters = form.to_filter()
    page = board_page(db.session, campaign, filters, page=request.args.get("page", 1, type=int), per_page=PER_PAGE)
    args = {key: value for key, value in request.args.items() if key in BOARD_PARAMS and value}
    return render_template(
        "track/board.html",
        campaign=campaign,
        form=form,
        page=page,
        supporter_letters=supporter_letter_count(db.session, campaign, filters),
        links=page_links(".letters", page, slug=slug, **args),
        filtered=not filters.is_empty,
        counts=reply_counts(db.session, campaign),
        inbox=inbox_count(db.session),
        downloads=[(what, TABLES[what].link, fmt) for what in sorted(TABLES) for fmt in FORMATS],
    )


@bp.get("/export/<what>/download")
def export(slug: str, what: str):
    campaign = campaign_or_404(slug)
    fmt = request.args.get("format", "csv")
    if what not in TABLES or fmt not in FORMATS:
        abort(404)
    data = export_campaign_table(db.session, campaign, what, fmt)
    return Response(
        data,
        mimetype=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{file_name(campaign, what, fmt)}"'},
    )
