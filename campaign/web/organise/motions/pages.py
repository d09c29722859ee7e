"""The motion pages both motion blueprints render: a motion with its provisions, one provision with its draft."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, render_template
from flask_babel import gettext as _
from flask_babel import ngettext

from campaign.db import db
from campaign.models import Motion, Provision
from campaign.services.evidence.amendments import AmendmentDraft, amendment_drafts, is_deletion, passage_of
from campaign.services.evidence.motions import NumberedLine, Reanchoring, number_lines
from campaign.services.evidence.numbering import passage_text
from campaign.web.organise.motions.forms import AmendmentForm, ImportForm, MotionForm, ProvisionForm
from campaign.web.security import WRITERS, has_role


@dataclass(frozen=True)
class ProvisionItem:
    """A provision as the motion page shows it: its quoted lines and its amendment draft, ready to render."""

    provision: Provision
    quoted: list[NumberedLine]
    range_fits: bool
    draft: AmendmentDraft | None


def provision_or_404(motion_id: int, provision_id: int) -> Provision:
    """The provision, only when addressed through its own motion's URL."""
    provision = db.get_or_404(Provision, provision_id)
    if provision.motion_id != motion_id:
        abort(404)
    return provision


def motion_page(motion: Motion, provision_form: ProvisionForm, status: int = 200):
    """The numbered text with every provision's passage marked, and the form to mark another."""
    lines = number_lines(motion.full_text)
    drafts = {draft.provision.id: draft for draft in amendment_drafts(motion)}
    items, marked = [], set()
    for provision in motion.provisions:
        fits = bool(provision.line_from and provision.line_to and provision.line_to <= len(lines))
        quoted = lines[provision.line_from - 1 : provision.line_to] if fits else []
        marked.update(line.number for line in quoted)
        items.append(ProvisionItem(provision, quoted, fits, drafts.get(provision.id)))
    return render_template(
        "organise/motions/motion.html",
        motion=motion,
        lines=lines,
        marked=marked,
        provisions=items,
        has_drafts=any(draft.changes for draft in drafts.values()),
        provision_form=provision_form,
        can_write=has_role(*WRITERS),
    ), status


def edit_page(motion: Motion, form: MotionForm, import_form: ImportForm, status: int = 200):
    """The motion's data form, with the form that replaces its text from a file."""
    return render_template("organise/motions/form.html", form=form, import_form=import_form, motion=motion), status


def provision_page(
    provision: Provision, form: ProvisionForm, amendment_form: AmendmentForm | None = None, status: int = 200
):
    """One provision's form beside its passage, and its amendment draft (prefilled with the passage itself)."""
    motion = provision.motion
    passage = passage_of(motion, provision)
    if amendment_form is None:
        current = provision.amendment_text
        amendment_form = AmendmentForm(
            formdata=None,
            data={
                "mode": "delete" if is_deletion(provision) else "replace",
                # Start from the passage itself: the organiser edits the words that should change.
                "text": passage_text(passage) if not current or is_deletion(provision) else current,
            },
        )
    draft = next((draft for draft in amendment_drafts(motion) if draft.provision.id == provision.id), None)
    return render_template(
        "organise/motions/provision.html",
        motion=motion,
        provision=provision,
        form=form,
        amendment_form=amendment_form,
        passage=passage,
        draft=draft,
        lines=number_lines(motion.full_text),
    ), status


def flash_reanchoring(reanchoring: Reanchoring) -> None:
    """Tell which provisions moved with their passage, and which lost it."""
    if reanchoring.moved:
        flash(
            ngettext(
                "Ein Kernpunkt ist mit seiner Passage auf neue Zeilen gewandert: %(titles)s.",
                "%(num)s Kernpunkte sind mit ihrer Passage auf neue Zeilen gewandert: %(titles)s.",
                len(reanchoring.moved),
                titles=", ".join(provision.title for provision in reanchoring.moved),
            ),
            "info",
        )
    if reanchoring.unresolved:
        flash(
            _(
                "Bitte prüfen Sie den Zeilenbereich dieser Kernpunkte; ihre Passage steht so nicht mehr im Text: "
                "%(titles)s.",
                titles=", ".join(provision.title for provision in reanchoring.unresolved),
            ),
            "error",
        )
