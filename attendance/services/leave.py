"""Leave (R-2.8): requested in advance, counted in working days (R-2.9),
checked against balances and overlaps, approved by the team leader through
the approval engine; approval names the person's approval deputy and fills
in the roll."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from approvals import services as approvals
from approvals.models import Deputy
from approvals.registry import SubjectAdapter, register_subject
from attendance import rules, selectors
from attendance.models import Half, LeaveKind, LeaveRequest
from attendance.services import roll
from portal.uploads import IMAGES_AND_PDF, attach, attachments_of
from staff import calendar
from staff.models import CalendarYear, Role, User
from staff.selectors import holders, team_leader

LEAVE_FLOW = "leave"
SICK_NOTE = "sick_note"
# Sick leave may be filed afterwards, but not for days long past.
SICK_AFTER_DAYS = 30
NOON = dt.time(12, 0)
# The concurrency test removes the lock to show the race it prevents.
_LOCK_PERSON = True


def _after_check(leave: LeaveRequest) -> None:
    """A seam for the concurrency test: runs after the overlap check."""


def count_days(
    start_date: dt.date, start_half: str, end_date: dt.date, end_half: str
) -> tuple[Decimal, dict, bool]:
    """Working days a leave takes (R-2.9), per day, and whether any day is
    counted on a provisional calendar."""
    working = calendar.working_days(start_date, end_date)
    portions = rules.leave_portions(start_date, start_half, end_date, end_half, working)
    days = sum((p for p, _ in portions.values()), Decimal(0))
    years = set(range(start_date.year, end_date.year + 1))
    entered = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    return days, portions, bool(years - entered)


def starts_at(leave: LeaveRequest) -> dt.datetime:
    """When the leave begins: the outlet's start of work, or noon for an
    afternoon start."""
    outlet = leave.outlet
    start = (
        NOON
        if leave.start_half == Half.PM
        else (outlet.work_start if outlet else selectors.DEFAULT_START)
    )
    return timezone.make_aware(dt.datetime.combine(leave.start_date, start))


def default_deputy(person: User, on: dt.date) -> User | None:
    """A member's approval deputy while on leave is his team leader."""
    if person.team_id is None:
        return None
    leader = team_leader(person.team, on=on)
    return leader if leader is not None and leader.pk != person.pk else None


def _check(leave: LeaveRequest, *, has_sick_note: bool) -> None:
    """Every rule a leave request must meet, at submission and resubmission."""
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if leave.end_date < leave.start_date:
        raise ValidationError({"end_date": "结束日期不能早于开始日期。"})
    if (
        leave.start_date == leave.end_date
        and leave.start_half == Half.PM
        and leave.end_half == Half.AM
    ):
        raise ValidationError({"end_half": "同一天请假不能从下午开始、到上午结束。"})
    if leave.days <= 0:
        raise ValidationError({"end_date": "所选期间没有工作日，无需请假。"})
    now = timezone.now()
    leave.filed_after = now >= starts_at(leave)
    if leave.filed_after:
        if leave.kind != LeaveKind.SICK:
            err("start_date", "请假须在开始之前申请并获批准；只有病假可以事后补办。")
        else:
            if (timezone.localdate() - leave.start_date).days > SICK_AFTER_DAYS:
                err("start_date", f"病假补办须在 {SICK_AFTER_DAYS} 天之内。")
            if not has_sick_note:
                err("sick_note", "事后补办病假须上传病假条或诊断证明。")
    slots = rules.half_slots(leave.start_date, leave.start_half, leave.end_date, leave.end_half)
    others = LeaveRequest.objects.filter(
        person_id=leave.person_id,
        status__in=LeaveRequest.ACTIVE_STATES,
        start_date__lte=leave.end_date,
        end_date__gte=leave.start_date,
    ).exclude(pk=leave.pk)
    for other in others:
        other_slots = rules.half_slots(
            other.start_date, other.start_half, other.end_date, other.end_half
        )
        if rules.overlaps(slots, other_slots):
            err(
                "start_date",
                f"与已有的请假（{other.get_kind_display()} {other.period_label}，"
                f"{other.get_status_display()}）时间重叠。",
            )
    policy = selectors.policies().get(leave.kind)
    if policy and policy.max_days is not None and leave.days > policy.max_days:
        err(
            "end_date",
            f"{leave.get_kind_display()}单次最多 {rules.days_text(policy.max_days)} 个工作日。",
        )
    if leave.kind in (LeaveKind.ANNUAL, LeaveKind.COMPENSATORY):
        if leave.kind == LeaveKind.ANNUAL and leave.start_date.year != leave.end_date.year:
            err("end_date", "年假按自然年计算，跨年请分两次申请。")
        else:
            balance = next(
                b
                for b in selectors.leave_balances(leave.person, leave.start_date.year)
                if b.kind == leave.kind
            )
            own = leave.days if leave.pk and leave.status == LeaveRequest.Status.PENDING else 0
            remaining = balance.remaining + own
            if leave.days > remaining:
                err(
                    "kind",
                    f"{leave.get_kind_display()}余额不足：可用 {rules.days_text(remaining)} 天，"
                    f"本次申请 {rules.days_text(leave.days)} 天。",
                )
    if leave.deputy_id is not None:
        if leave.deputy_id == leave.person_id:
            err("deputy", "代理人不能是本人。")
        elif not leave.deputy.is_active:
            err("deputy", f"{leave.deputy.name} 的账号已停用。")
    elif default_deputy(leave.person, leave.start_date) is None and _has_posts(leave.person):
        err("deputy", "您是团队负责人（或所在团队没有负责人），请指定请假期间的审批代理人。")
    if errors:
        raise ValidationError(errors)


def _has_posts(person: User) -> bool:
    from staff.models import RoleAssignment

    return RoleAssignment.objects.in_force().filter(user=person).exists()


@transaction.atomic
def submit_leave(
    *,
    actor: User,
    kind: str,
    start_date: dt.date,
    end_date: dt.date,
    reason: str,
    start_half: str = Half.AM,
    end_half: str = Half.PM,
    deputy: User | None = None,
    sick_note=None,
) -> LeaveRequest:
    """A person asks for leave; it goes to his team leader at once (R-2.8)."""
    # One request of a person at a time, so two cannot overlap each other.
    people = User.objects.select_for_update() if _LOCK_PERSON else User.objects
    person = people.get(pk=actor.pk)
    days, _portions, provisional = count_days(start_date, start_half, end_date, end_half)
    leave = LeaveRequest(
        person=person,
        branch_id=person.branch_id,
        team_id=person.team_id,
        group_id=person.group_id,
        outlet_id=person.outlet_id,
        kind=kind,
        start_date=start_date,
        start_half=start_half,
        end_date=end_date,
        end_half=end_half,
        days=days,
        reason=reason.strip(),
        deputy=deputy,
        provisional=provisional,
    )
    if not leave.reason:
        raise ValidationError({"reason": "请填写请假事由。"})
    _check(leave, has_sick_note=sick_note is not None)
    _after_check(leave)
    leave.full_clean()
    leave._history_user = actor
    leave.save()
    if sick_note is not None:
        attach(actor=actor, owner=leave, upload=sick_note, purpose=SICK_NOTE, kinds=IMAGES_AND_PDF)
    approvals.submit_request(actor=actor, subject=leave, flow_code=LEAVE_FLOW, opinion=leave.reason)
    return leave


def _set_deputy(leave: LeaveRequest, actor: User) -> None:
    """Approved leave names the person's approval deputy for those days:
    the one he chose, else his team leader. A deputy he set himself for the
    period is left alone."""
    chosen = leave.deputy
    deputy = chosen or default_deputy(leave.person, leave.start_date)
    valid_to = leave.end_date + dt.timedelta(days=1)
    if deputy is None:
        leave.deputy_note = "未设置代理人：没有可代理的团队负责人。"
        return
    overlapping = Deputy.objects.filter(
        principal=leave.person, valid_from__lt=valid_to, valid_to__gt=leave.start_date
    ).exists()
    if overlapping:
        leave.deputy_note = "请假期间已有代理人设置，未自动设置。"
        return
    leave.applied_deputy = approvals.set_deputy(
        actor=actor,
        principal=leave.person,
        deputy=deputy,
        valid_from=leave.start_date,
        valid_to=valid_to,
        reason=f"{leave.get_kind_display()} {leave.period_label}",
        source=Deputy.Source.LEAVE,
    )
    how = "申请人指定" if chosen else "默认为团队负责人"
    leave.deputy_note = f"请假期间由 {deputy.name} 代理审批（{how}）。"


class LeaveSubject(SubjectAdapter):
    model = LeaveRequest

    def title(self, leave):
        return (
            f"请假：{leave.person.name} {leave.get_kind_display()} "
            f"{leave.period_label}（{rules.days_text(leave.days)} 天）"
        )

    def summary(self, leave):
        items = [
            ("请假人", f"{leave.person.name}（{leave.person.employee_no}）"),
            ("假别", leave.get_kind_display()),
            ("期间", leave.period_label),
            ("天数", f"{rules.days_text(leave.days)} 个工作日"),
            ("事由", leave.reason),
        ]
        if leave.filed_after:
            items.append(("说明", "事后补办（已附病假条）"))
        if leave.provisional:
            items.append(("日历", "含官方安排尚未公布的年份，按暂定日历计算"))
        if leave.deputy_id:
            items.append(("代理人", leave.deputy.name))
        return items

    def stamp(self, leave, submitter):
        return {"branch_id": leave.branch_id, "team_id": leave.team_id, "group_id": leave.group_id}

    def prepared_by(self, leave, submitter):
        return leave.person

    def _set(self, leave, status, actor, reason=""):
        leave.status = status
        leave._history_user = actor
        if reason:
            leave._change_reason = reason
        leave.save()

    def on_submitted(self, leave, request, actor):
        if request.round == 1:
            return  # submit_leave checked it and saved it as pending
        # A resubmission after a rejection or withdrawal: the rules again, as of now.
        leave.days, _, leave.provisional = count_days(
            leave.start_date, leave.start_half, leave.end_date, leave.end_half
        )
        _check(leave, has_sick_note=attachments_of(leave, SICK_NOTE).exists())
        self._set(leave, LeaveRequest.Status.PENDING, actor, "重新提交")

    def on_rejected(self, leave, request, actor):
        self._set(leave, LeaveRequest.Status.REJECTED, actor)

    def on_withdrawn(self, leave, request, actor):
        self._set(leave, LeaveRequest.Status.WITHDRAWN, actor)

    def on_approved(self, leave, request, actor):
        leave.status = LeaveRequest.Status.APPROVED
        leave.approved_at = timezone.now()
        _set_deputy(leave, actor)
        leave._history_user = actor
        leave.save()
        roll.apply_leave(actor=actor, leave=leave)

    def notify_on_approval(self, leave, request):
        if leave.team_id is None:
            return []
        return list(holders(Role.ATTENDANCE_RECORDER, team=leave.team))


register_subject(LeaveSubject())
