"""Writes to the client registry. Only these functions change ownership."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clients.models import Client, ClientAssignment, ClientTier


def _stamp_from_manager(client: Client, manager) -> None:
    client.manager = manager
    client.branch_id = manager.branch_id
    client.team_id = manager.team_id
    client.group_id = manager.group_id
    client.outlet_id = manager.outlet_id


@transaction.atomic
def create_client(
    *,
    actor,
    crm_code: str,
    name: str,
    manager,
    since: dt.date,
    kind: str = Client.Kind.PERSON,
    tier: ClientTier | None = None,
    opened_on: dt.date | None = None,
    source: str = ClientAssignment.Source.INITIAL,
    **profile,
) -> Client:
    """Registers a client with his first owner (R-7.6)."""
    if manager.branch_id is None:
        raise ValidationError({"manager": f"{manager.name} 没有所属营业部，不能作为客户经理。"})
    client = Client(
        crm_code=crm_code, name=name, kind=kind, tier=tier, opened_on=opened_on, **profile
    )
    _stamp_from_manager(client, manager)
    client.full_clean()
    client._history_user = actor
    client.save()
    assignment = ClientAssignment(
        client=client,
        manager=manager,
        branch_id=manager.branch_id,
        team_id=manager.team_id,
        valid_from=since,
        source=source,
        created_by=actor,
    )
    assignment.full_clean()
    assignment._history_user = actor
    assignment.save()
    return client


@transaction.atomic
def assign_client(
    *,
    actor,
    client: Client,
    manager,
    effective_on: dt.date,
    source: str = ClientAssignment.Source.REASSIGNMENT,
    reason: str = "",
) -> ClientAssignment:
    """Gives a client a new owner from ``effective_on``; history is kept."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    current = (
        ClientAssignment.objects.select_for_update()
        .filter(client=client, valid_to__isnull=True)
        .first()
    )
    if current is not None:
        if current.manager_id == manager.pk:
            raise ValidationError({"manager": f"客户已归属 {manager.name}。"})
        if effective_on < current.valid_from:
            raise ValidationError(
                {"effective_on": f"生效日期不能早于当前归属起始日 {current.valid_from}。"}
            )
        current.valid_to = effective_on
        current._history_user = actor
        current.save(update_fields=["valid_to"])
    if manager.branch_id is None:
        raise ValidationError({"manager": f"{manager.name} 没有所属营业部。"})
    assignment = ClientAssignment(
        client=client,
        manager=manager,
        branch_id=manager.branch_id,
        team_id=manager.team_id,
        valid_from=effective_on,
        source=source,
        reason=reason,
        created_by=actor,
    )
    assignment.full_clean()
    assignment._history_user = actor
    assignment.save()
    _stamp_from_manager(client, manager)
    client._history_user = actor
    client._change_reason = reason or "调整客户归属"
    client.save()
    return assignment


# -- the monthly CRM import (R-5.1) ---------------------------------------------

CRM_KIND = "crm"

# Other apps refuse a re-import of a month (payroll: the month's pay is signed).
_import_guards: list = []


def register_import_guard(guard) -> None:
    """``guard(branch, month) -> str | None``: a reason to refuse, or None."""
    if guard not in _import_guards:
        _import_guards.append(guard)


def _import_refusal(branch, month: dt.date) -> str | None:
    for guard in _import_guards:
        reason = guard(branch, month)
        if reason:
            return reason
    return None


def upload_crm(*, actor, branch, month: dt.date, upload):
    """Keeps the file and records its problems for the preview page."""
    from clients.crm import read_crm
    from clients.permissions import can_import_crm
    from portal.models import ImportBatch

    if not can_import_crm(actor, branch):
        raise ValidationError("只有本营业部的财务人员可以导入 CRM 数据。")
    month = month.replace(day=1)
    reason = _import_refusal(branch, month)
    if reason:
        raise ValidationError(reason)
    from django.conf import settings

    if upload.size > settings.PORTAL_UPLOAD_MAX_MB * 1024 * 1024:
        raise ValidationError(
            f"文件超过 {settings.PORTAL_UPLOAD_MAX_MB} MB，请确认是否为 CRM 月度导出文件。"
        )
    content = upload.read()
    upload.seek(0)
    records, problems, _flags = read_crm(branch, month, content)
    with transaction.atomic():
        batch = ImportBatch(
            kind=CRM_KIND,
            context={"branch": branch.pk, "month": month.isoformat()},
            original_name=upload.name[:200],
            uploaded_by=actor,
            row_count=len(records),
            problems=[p.__dict__ for p in problems],
        )
        batch.file.save(upload.name, upload, save=False)
        batch.save()
    return batch


@transaction.atomic
def commit_crm(*, actor, batch):
    """Imports the month as a new version, all rows or none. New clients
    join the registry with an assignment; rows whose manager differs from
    the registry's owner that month are kept as the CRM says and flagged."""
    from decimal import Decimal

    from clients.crm import read_crm
    from clients.models import CrmFigure, CrmImport
    from clients.permissions import can_import_crm
    from portal.models import ImportBatch
    from staff.models import Branch

    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.kind != CRM_KIND or batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError("该导入批次已处理。")
    if batch.uploaded_by_id != actor.pk:
        raise ValidationError("只能确认自己上传的批次。")
    branch = Branch.objects.get(pk=batch.context["branch"])
    month = dt.date.fromisoformat(batch.context["month"])
    if not can_import_crm(actor, branch):
        raise ValidationError("只有本营业部的财务人员可以导入 CRM 数据。")
    reason = _import_refusal(branch, month)
    if reason:
        raise ValidationError(reason)
    with batch.file.open("rb") as handle:
        records, problems, flags = read_crm(branch, month, handle.read())
    if problems:
        raise ValidationError(f"文件有 {len(problems)} 处问题，请修改后重新上传。")
    previous = CrmImport.objects.select_for_update().filter(branch=branch, month=month)
    version = (max((i.version for i in previous), default=0)) + 1
    previous.filter(status=CrmImport.Status.CURRENT).update(status=CrmImport.Status.SUPERSEDED)
    crm_import = CrmImport.objects.create(
        branch=branch,
        month=month,
        version=version,
        batch=batch,
        row_count=len(records),
        flagged_count=len(flags),
        imported_by=actor,
    )
    month_end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    figures = []
    for r in records:
        client = r["_client"]
        manager = r["_manager"]
        if client is None:
            client = create_client(
                actor=actor,
                crm_code=r["crm_code"],
                name=r["name"],
                manager=manager,
                since=r["opened_on"] or month,
                opened_on=r["opened_on"],
                source=ClientAssignment.Source.IMPORT,
            )
        opened = r["opened_on"]
        figures.append(
            CrmFigure(
                crm_import=crm_import,
                month=month,
                client=client,
                manager=manager,
                branch_id=manager.branch_id,
                team_id=manager.team_id,
                net_revenue=r["net_revenue"],
                month_end_assets=r["month_end_assets"],
                new_account=bool(opened and month <= opened <= month_end),
                opened_on=opened,
                source_row=r["_row"],
                flagged=r["_row"] in flags,
                registry_owner=flags.get(r["_row"]),
            )
        )
    CrmFigure.objects.bulk_create(figures, batch_size=2000)
    batch.status = ImportBatch.Status.COMMITTED
    batch.committed_at = timezone.now()
    batch.result = {
        "import": crm_import.pk,
        "rows": len(figures),
        "net_revenue": str(sum((f.net_revenue for f in figures), Decimal("0"))),
        "flagged": len(flags),
    }
    batch.save(update_fields=["status", "committed_at", "result"])
    return crm_import


@transaction.atomic
def review_crm_import(*, actor, crm_import):
    """复核 by a second finance person, not the importer (R-5.1)."""
    from clients.models import CrmImport
    from clients.permissions import can_import_crm

    crm_import = (
        CrmImport.objects.select_for_update().select_related("branch").get(pk=crm_import.pk)
    )
    if not can_import_crm(actor, crm_import.branch):
        raise ValidationError("只有本营业部的财务人员可以复核。")
    if crm_import.imported_by_id == actor.pk:
        raise ValidationError("复核须由导入人以外的另一名财务人员办理。")
    if crm_import.status != CrmImport.Status.CURRENT:
        raise ValidationError("该版本已被新版本替代，请复核当前版本。")
    if crm_import.reviewed_at is not None:
        raise ValidationError(f"该版本已由{crm_import.reviewed_by.name}复核。")
    crm_import.reviewed_by = actor
    crm_import.reviewed_at = timezone.now()
    crm_import.save(update_fields=["reviewed_by", "reviewed_at"])
    return crm_import
