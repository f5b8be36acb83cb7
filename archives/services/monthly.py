"""Monthly archiving (R-6.1, R-6.4, R-6.5): the archive clerk closes a
branch's month; the bundle download is built in the background."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from archives import permissions
from archives.models import ArchiveBundle, ArchivedClient, ArchivedManager, MonthArchive
from archives.selectors.monthly import gather, month_refusals
from archives.services import numbering

BATCH = 5000


def _write_archive(*, actor, branch, month: dt.date, paper_location: str, note: str, data: dict):
    slips = data["slips"]
    sheet = data["sheet"]
    archive = MonthArchive(
        branch=branch,
        month=month,
        paper_location=paper_location.strip(),
        note=note.strip(),
        closed_by=actor,
        slip_count=slips["issued"],
        void_count=len(slips["voided"]),
        first_number=slips["first_number"],
        last_number=slips["last_number"],
        manager_count=len(data["managers"]),
        client_count=len(data["clients"]),
        payroll_sheet_id=sheet.pk if sheet else None,
        payroll_title=str(sheet) if sheet else "",
        crm_import_id=data["crm_import"].pk if data["crm_import"] else None,
        team_reports=[{"id": r.pk, "team": r.team.name, "title": str(r)} for r in data["reports"]],
        missing_reports=[t.name for t in data["missing_teams"]],
    )
    archive.full_clean()
    archive._history_user = actor
    archive.save()
    ArchivedManager.objects.bulk_create(
        [ArchivedManager(archive=archive, **row) for row in data["managers"].values()],
        batch_size=BATCH,
    )
    ArchivedClient.objects.bulk_create(
        [ArchivedClient(archive=archive, **row) for row in data["clients"]], batch_size=BATCH
    )
    return archive


@transaction.atomic
def close_month(
    *, actor, branch, month: dt.date, paper_location: str, note: str = ""
) -> MonthArchive:
    """Gathers the month into an archive record; from then on the month's
    slips and the files' entries dated in it are read-only. Takes the
    month's slip-counter lock, so no slip is numbered or voided meanwhile."""
    month = month.replace(day=1)
    if not permissions.can_close_month(actor, branch.pk):
        raise ValidationError("只有本营业部交易管理岗可以办理月度归档。")
    if not paper_location.strip():
        raise ValidationError({"paper_location": "请填写纸质原件的存放位置。"})
    numbering.lock_counter(branch.pk, month)
    data = gather(branch, month)
    refusals = month_refusals(branch, month, sheet=data["sheet"])
    if refusals:
        raise ValidationError(refusals)
    return _write_archive(
        actor=actor, branch=branch, month=month, paper_location=paper_location, note=note, data=data
    )


@transaction.atomic
def update_paper_location(*, actor, archive: MonthArchive, paper_location: str, reason: str):
    """The originals may be moved (e.g. to the head-office store); the move
    is kept in the archive's history. Nothing gathered changes."""
    archive = MonthArchive.objects.select_for_update().get(pk=archive.pk)
    if not permissions.can_close_month(actor, archive.branch_id):
        raise ValidationError("只有本营业部交易管理岗可以修改存放位置。")
    if not paper_location.strip():
        raise ValidationError({"paper_location": "请填写纸质原件的存放位置。"})
    if not reason.strip():
        raise ValidationError({"reason": "请写明变更原因。"})
    archive.paper_location = paper_location.strip()
    archive._history_user = actor
    archive._change_reason = reason.strip()
    archive.save(update_fields=["paper_location"])
    return archive


@transaction.atomic
def request_bundle(*, actor, archive: MonthArchive) -> ArchiveBundle:
    """Queues the month's bundle for the person asking; it is built after
    commit by a background task (django-tasks)."""
    if not MonthArchive.objects.visible_to(actor).filter(pk=archive.pk).exists():
        raise ValidationError("您不能下载该月归档。")
    bundle = ArchiveBundle.objects.create(archive=archive, requested_by=actor)
    from archives.services.bundle import build_bundle

    transaction.on_commit(lambda: build_bundle.enqueue(bundle.pk))
    return bundle
