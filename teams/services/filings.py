"""Team filings: rules, plans, agreements, recruitment and assessment (R-1.1–R-1.3)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from approvals import selectors as approval_selectors
from approvals import services as approvals
from approvals.registry import SubjectAdapter, register_subject
from portal.uploads import attach, attachments_of
from staff import services as staff_services
from staff.models import Role, Team, User
from staff.selectors import holders
from teams.models import YEARLY_KINDS, FilingKind, FilingStatus, TeamFiling
from teams.permissions import can_draft_filing, leads

EDITABLE = (FilingStatus.DRAFT, FilingStatus.REJECTED, FilingStatus.WITHDRAWN)
FILING_FIELDS = (
    "title",
    "content",
    "year",
    "effective_from",
    "target_new_accounts",
    "target_net_revenue",
    "target_client_assets",
    "partner_bank",
    "term_start",
    "term_end",
    "headcount",
)


def _series(filing: TeamFiling) -> str:
    bank = filing.partner_bank.code if filing.partner_bank_id else ""
    return f"{filing.kind}:{filing.year or ''}:{bank}"


def _validate(filing: TeamFiling) -> None:
    errors = {}
    if filing.kind in YEARLY_KINDS and not filing.year:
        errors["year"] = "请填写年度。"
    if filing.kind == FilingKind.ANNUAL_PLAN:
        for name in ("target_new_accounts", "target_net_revenue", "target_client_assets"):
            if getattr(filing, name) is None:
                errors[name] = "年度工作计划须填写该目标。"
        if filing.team.status == Team.Status.PREPARING and not filing.target_new_accounts:
            errors["target_new_accounts"] = (
                "筹建中的团队须在首年工作计划中列明目标开户数（第三条）。"
            )
    if filing.kind == FilingKind.COOPERATION:
        if not filing.partner_bank_id:
            errors["partner_bank"] = "请选择合作银行。"
        if filing.term_start and filing.term_end and filing.term_end < filing.term_start:
            errors["term_end"] = "合作期止不能早于合作期起。"
    if errors:
        raise ValidationError(errors)


def _check_series_free(filing: TeamFiling) -> None:
    """One version of a series in the flow at a time, and never one older
    than an approved version: an approval then always supersedes exactly
    the versions below it."""
    Team.objects.select_for_update().get(pk=filing.team_id)
    others = TeamFiling.objects.filter(team_id=filing.team_id, series=filing.series).exclude(
        pk=filing.pk
    )
    pending = others.filter(status=FilingStatus.PENDING).order_by("version").first()
    if pending is not None:
        raise ValidationError(
            f"本文件的第 {pending.version} 版正在审批中；请待其审批结束或撤回后再报批第 {filing.version} 版。"
        )
    newer = (
        others.filter(status=FilingStatus.APPROVED, version__gt=filing.version)
        .order_by("-version")
        .first()
    )
    if newer is not None:
        raise ValidationError(
            f"本文件已有更新的第 {newer.version} 版获批；请在其基础上起草新版本，不能再报批第 {filing.version} 版。"
        )


def _editable(filing: TeamFiling) -> None:
    if approval_selectors.is_locked(filing) or filing.status not in EDITABLE:
        raise ValidationError(f"“{filing}”{filing.get_status_display()}，不能修改。")


@transaction.atomic
def create_filing(
    *, actor: User, team: Team, kind: str, title: str, content: str, **fields
) -> TeamFiling:
    """Drafts a filing; its version follows the last one of its series."""
    if not can_draft_filing(actor, team):
        raise ValidationError({"team": "只有该团队的负责人可以起草本团队的报备文件。"})
    Team.objects.select_for_update().get(pk=team.pk)
    filing = TeamFiling(
        team=team,
        branch_id=team.branch_id,
        kind=kind,
        title=title,
        content=content,
        prepared_by=actor,
        version=0,
    )
    for name, value in fields.items():
        if name not in FILING_FIELDS:
            raise TypeError(f"unknown filing field {name}")
        setattr(filing, name, value)
    filing.series = _series(filing)
    _validate(filing)
    latest = (
        TeamFiling.objects.filter(team=team, series=filing.series).aggregate(v=Max("version"))["v"]
        or 0
    )
    filing.version = latest + 1
    filing.full_clean()
    filing._history_user = actor
    filing.save()
    return filing


def create_rules_filing(
    *, actor: User, team: Team, title: str, content: str, effective_from=None
) -> TeamFiling:
    """管理及薪酬标准实施细则 (R-1.1)."""
    return create_filing(
        actor=actor,
        team=team,
        kind=FilingKind.RULES,
        title=title,
        content=content,
        effective_from=effective_from,
    )


@transaction.atomic
def update_filing(*, actor: User, filing: TeamFiling, **changes) -> TeamFiling:
    filing = TeamFiling.objects.select_for_update().select_related("team").get(pk=filing.pk)
    if not leads(actor, filing.team):
        raise ValidationError("只有该团队的负责人可以修改。")
    _editable(filing)
    for name, value in changes.items():
        if name not in FILING_FIELDS:
            raise TypeError(f"unknown filing field {name}")
        setattr(filing, name, value)
    if _series(filing) != filing.series:
        raise ValidationError("年度和合作银行确定后不能修改，请另起草一份新文件。")
    _validate(filing)
    filing.full_clean()
    filing._history_user = actor
    filing.save()
    return filing


update_rules_filing = update_filing


@transaction.atomic
def attach_to_filing(*, actor: User, filing: TeamFiling, upload):
    filing = TeamFiling.objects.select_for_update().select_related("team").get(pk=filing.pk)
    if not leads(actor, filing.team):
        raise ValidationError("只有该团队的负责人可以上传附件。")
    _editable(filing)
    return attach(actor=actor, owner=filing, upload=upload, purpose=filing.kind)


@transaction.atomic
def submit_filing(*, actor: User, filing: TeamFiling, opinion: str = ""):
    """Starts (or restarts after a rejection) the filing's flow."""
    filing = TeamFiling.objects.select_for_update().select_related("team").get(pk=filing.pk)
    if not leads(actor, filing.team):
        raise ValidationError("只有该团队的负责人可以报批。")
    _editable(filing)
    if filing.kind == FilingKind.COOPERATION and not attachments_of(filing).exists():
        raise ValidationError("合作银行营销合作方案须先上传双方签署的协议扫描件。")
    return approvals.submit_request(
        actor=actor, subject=filing, flow_code=filing.flow_code, opinion=opinion
    )


submit_rules_filing = submit_filing


class TeamFilingSubject(SubjectAdapter):
    model = TeamFiling

    def title(self, filing):
        year = f"{filing.year} 年" if filing.year else ""
        return f"{filing.team.name}：{year}{filing.get_kind_display()}《{filing.title}》（第 {filing.version} 版）"

    def summary(self, filing):
        items = [
            ("团队", filing.team.name),
            ("文件类型", filing.get_kind_display()),
            ("版本", f"第 {filing.version} 版"),
        ]
        if filing.year:
            items.append(("年度", f"{filing.year} 年"))
        if filing.kind == FilingKind.ANNUAL_PLAN:
            items += [
                ("目标开户数", f"{filing.target_new_accounts} 户"),
                ("目标净收入", f"{filing.target_net_revenue:,.2f} 元"),
                ("目标客户资产", f"{filing.target_client_assets:,.2f} 元"),
            ]
        if filing.partner_bank_id:
            items.append(("合作银行", filing.partner_bank.name))
            items.append(("合作期", f"{filing.term_start} 至 {filing.term_end}"))
        if filing.headcount:
            items.append(("计划招聘人数", f"{filing.headcount} 人"))
        if filing.effective_from:
            items.append(("拟执行日期", filing.effective_from.isoformat()))
        text = filing.content if len(filing.content) <= 300 else filing.content[:300] + "……"
        items.append(("内容要点", text))
        return items

    def stamp(self, filing, submitter):
        return {"branch_id": filing.branch_id, "team_id": filing.team_id, "group_id": None}

    def prepared_by(self, filing, submitter):
        return filing.prepared_by

    def _set(self, filing, status, actor):
        filing.status = status
        filing._history_user = actor
        filing.save(update_fields=["status"])

    def on_submitted(self, filing, request, actor):
        _check_series_free(filing)
        self._set(filing, FilingStatus.PENDING, actor)

    def on_rejected(self, filing, request, actor):
        self._set(filing, FilingStatus.REJECTED, actor)

    def on_withdrawn(self, filing, request, actor):
        self._set(filing, FilingStatus.WITHDRAWN, actor)

    def on_approved(self, filing, request, actor):
        """Supersedes the approved versions below this one. A version
        approved after a newer one (only a request from before the
        one-pending-version rule can do that) is superseded by it at once."""
        series = TeamFiling.objects.select_for_update().filter(
            team=filing.team, series=filing.series, status=FilingStatus.APPROVED
        )
        newer = series.filter(version__gt=filing.version).order_by("-version").first()
        for old in series.filter(version__lt=filing.version):
            old.status = FilingStatus.SUPERSEDED
            old.superseded_by = newer or filing
            old._history_user = actor
            old.save(update_fields=["status", "superseded_by"])
        filing.status = FilingStatus.SUPERSEDED if newer else FilingStatus.APPROVED
        filing.superseded_by = newer
        filing.approved_at = timezone.now()
        filing._history_user = actor
        filing.save(update_fields=["status", "superseded_by", "approved_at"])
        if newer is not None:
            return
        team = filing.team
        if (
            filing.kind == FilingKind.ANNUAL_PLAN
            and team.status == Team.Status.PREPARING
            and filing.target_new_accounts
        ):
            staff_services.set_team_status(
                actor=actor,
                team=team,
                status=Team.Status.ACTIVE,
                on=timezone.localdate(),
                reason=f"{filing.year} 年工作计划（目标开户数 {filing.target_new_accounts} 户）已批准",
            )

    def countersign_heading(self, filing, request):
        return "营销团队文件会签单"

    def notify_on_approval(self, filing, request):
        return list(holders(Role.BRANCH_MANAGER, branch=filing.branch))


def first_year_plan_approved(team: Team, status: str) -> list[str]:
    """A preparing team becomes active only once its first-year plan with
    目标开户数 is approved (R-1.2, 第三条); the approval callback above is
    the path that starts it."""
    if team.status != Team.Status.PREPARING or status != Team.Status.ACTIVE:
        return []
    if TeamFiling.objects.filter(
        team=team,
        kind=FilingKind.ANNUAL_PLAN,
        status=FilingStatus.APPROVED,
        target_new_accounts__gt=0,
    ).exists():
        return []
    return ["筹建中的团队须待首年工作计划（列明目标开户数）批准后方可启动（第三条）。"]


register_subject(TeamFilingSubject())
staff_services.register_team_status_guard(first_year_plan_approved)
