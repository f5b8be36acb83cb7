"""Writes of the teams chapter."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from approvals import selectors as approval_selectors
from approvals import services as approvals
from approvals.registry import SubjectAdapter, register_subject
from portal.uploads import attach
from staff.models import Role, Team, User
from staff.selectors import holders
from teams.models import FilingStatus, RulesFiling
from teams.permissions import can_draft_rules, leads

RULES_FLOW = "team_rules"


def _editable(filing: RulesFiling) -> None:
    if approval_selectors.is_locked(filing) or filing.status not in (
        FilingStatus.DRAFT,
        FilingStatus.REJECTED,
        FilingStatus.WITHDRAWN,
    ):
        raise ValidationError(f"“{filing}”{filing.get_status_display()}，不能修改。")


@transaction.atomic
def create_rules_filing(
    *, actor: User, team: Team, title: str, content: str, effective_from: dt.date | None = None
) -> RulesFiling:
    if not can_draft_rules(actor, team):
        raise ValidationError({"team": "只有该团队的负责人可以起草本团队的实施细则。"})
    Team.objects.select_for_update().get(pk=team.pk)
    latest = RulesFiling.objects.filter(team=team).aggregate(v=Max("version"))["v"] or 0
    filing = RulesFiling(
        team=team,
        branch_id=team.branch_id,
        version=latest + 1,
        title=title,
        content=content,
        effective_from=effective_from,
        prepared_by=actor,
    )
    filing.full_clean()
    filing._history_user = actor
    filing.save()
    return filing


@transaction.atomic
def update_rules_filing(*, actor: User, filing: RulesFiling, **changes) -> RulesFiling:
    filing = RulesFiling.objects.select_for_update().get(pk=filing.pk)
    if not leads(actor, filing.team):
        raise ValidationError("只有该团队的负责人可以修改。")
    _editable(filing)
    for field in ("title", "content", "effective_from"):
        if field in changes:
            setattr(filing, field, changes[field])
    filing.full_clean()
    filing._history_user = actor
    filing.save()
    return filing


@transaction.atomic
def attach_to_filing(*, actor: User, filing: RulesFiling, upload):
    filing = RulesFiling.objects.select_for_update().get(pk=filing.pk)
    if not leads(actor, filing.team):
        raise ValidationError("只有该团队的负责人可以上传附件。")
    _editable(filing)
    return attach(actor=actor, owner=filing, upload=upload, purpose="rules")


@transaction.atomic
def submit_rules_filing(*, actor: User, filing: RulesFiling, opinion: str = ""):
    """Starts (or restarts after a rejection) the rules flow (R-1.1)."""
    filing = RulesFiling.objects.select_for_update().get(pk=filing.pk)
    if not leads(actor, filing.team):
        raise ValidationError("只有该团队的负责人可以报批。")
    _editable(filing)
    return approvals.submit_request(
        actor=actor, subject=filing, flow_code=RULES_FLOW, opinion=opinion
    )


class RulesFilingSubject(SubjectAdapter):
    model = RulesFiling

    def title(self, filing):
        return f"{filing.team.name}：{filing.title}（第 {filing.version} 版）"

    def summary(self, filing):
        items = [("团队", filing.team.name), ("版本", f"第 {filing.version} 版")]
        if filing.effective_from:
            items.append(("拟执行日期", filing.effective_from.isoformat()))
        text = filing.content if len(filing.content) <= 300 else filing.content[:300] + "……"
        items.append(("细则要点", text))
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
        self._set(filing, FilingStatus.PENDING, actor)

    def on_rejected(self, filing, request, actor):
        self._set(filing, FilingStatus.REJECTED, actor)

    def on_withdrawn(self, filing, request, actor):
        self._set(filing, FilingStatus.WITHDRAWN, actor)

    def on_approved(self, filing, request, actor):
        previous = list(
            RulesFiling.objects.select_for_update().filter(
                team=filing.team, status=FilingStatus.APPROVED
            )
        )
        for old in previous:
            old.status = FilingStatus.SUPERSEDED
            old.superseded_by = filing
            old._history_user = actor
            old.save(update_fields=["status", "superseded_by"])
        filing.status = FilingStatus.APPROVED
        filing.approved_at = timezone.now()
        filing._history_user = actor
        filing.save(update_fields=["status", "approved_at"])

    def notify_on_approval(self, filing, request):
        return list(holders(Role.BRANCH_MANAGER, branch=filing.branch))


register_subject(RulesFilingSubject())
