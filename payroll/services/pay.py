"""Writes of the payroll chapter: standards, assessments, tax inputs, and
the month's computation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from approvals import selectors as approval_selectors
from approvals import services as approvals
from approvals.registry import SubjectAdapter, register_subject
from clients.services import register_import_guard
from payroll import compute
from payroll.models import (
    Adjustment,
    ChargeDeduction,
    DutyAssessment,
    DutyItem,
    DutyScore,
    OtherPayment,
    PayrollRun,
    PayrollSheet,
    Payslip,
    PayslipLine,
    PayStandard,
    PayStandardLine,
    SpecialDeduction,
)
from payroll.permissions import can_assess, is_finance
from staff.models import Branch, Level, Role, User
from staff.selectors import holders

STANDARD_FLOW = "pay_standard"


# -- the month lock --------------------------------------------------------------


def month_lock_reason(branch, month: dt.date) -> str | None:
    """Once the month's sheet carries its first signature the month's
    figures are the basis for payment: no recompute, no re-import."""
    locked = PayrollRun.objects.filter(
        branch=branch,
        month=month.replace(day=1),
        status=PayrollRun.Status.CURRENT,
        locked_at__isnull=False,
    ).exists()
    if locked:
        return f"{month:%Y年%m月}的薪酬月报表已开始签批，不能再导入或重新计算；更正请在以后月份补发或扣回。"
    return None


register_import_guard(month_lock_reason)


# -- pay standards -----------------------------------------------------------------


LINE_FIELDS = (
    "base_pay",
    "account_bonus",
    "valid_account_min_assets",
    "commission_brackets",
    "assets_permille",
    "late_deduction",
)


def _check_brackets(brackets) -> None:
    if not isinstance(brackets, list) or not brackets:
        raise ValidationError({"commission_brackets": "请至少设置一档提成比例。"})
    previous = Decimal("0")
    for index, pair in enumerate(brackets):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValidationError({"commission_brackets": "提成分档格式应为 [上限, 比例]。"})
        upper, rate = pair
        if not 0 <= Decimal(str(rate)) <= 1:
            raise ValidationError({"commission_brackets": "提成比例应在 0 到 1 之间。"})
        if upper is None:
            if index != len(brackets) - 1:
                raise ValidationError({"commission_brackets": "只有最后一档可以不设上限。"})
        elif Decimal(str(upper)) <= previous:
            raise ValidationError({"commission_brackets": "各档上限须逐档递增。"})
        else:
            previous = Decimal(str(upper))
    if brackets[-1][0] is not None:
        raise ValidationError({"commission_brackets": "最后一档须不设上限。"})


@transaction.atomic
def create_standard(
    *,
    actor: User,
    branch: Branch,
    effective_month: dt.date,
    title: str,
    note: str = "",
    copy_from: PayStandard | None = None,
) -> PayStandard:
    """Drafts a new version, starting from the last one's lines."""
    if not is_finance(actor, branch):
        raise ValidationError("只有本营业部的财务人员可以编制薪酬标准。")
    Branch.objects.select_for_update().get(pk=branch.pk)
    version = (PayStandard.objects.filter(branch=branch).aggregate(v=Max("version"))["v"] or 0) + 1
    standard = PayStandard(
        branch=branch,
        effective_month=effective_month.replace(day=1),
        version=version,
        title=title,
        note=note,
        prepared_by=actor,
    )
    standard.full_clean()
    standard._history_user = actor
    standard.save()
    source = copy_from or compute.applicable_standard(branch.pk, effective_month)
    if source is not None:
        PayStandardLine.objects.bulk_create(
            [
                PayStandardLine(
                    standard=standard,
                    level_id=line.level_id,
                    employment_type=line.employment_type,
                    **{f: getattr(line, f) for f in LINE_FIELDS},
                )
                for line in source.lines.all()
            ]
        )
    return standard


def _editable(standard: PayStandard) -> None:
    if approval_selectors.is_locked(standard) or standard.status not in (
        PayStandard.Status.DRAFT,
        PayStandard.Status.REJECTED,
        PayStandard.Status.WITHDRAWN,
    ):
        raise ValidationError(f"该薪酬标准{standard.get_status_display()}，不能修改。")


@transaction.atomic
def set_standard_line(
    *, actor: User, standard: PayStandard, level: Level, employment_type: str, **values
) -> PayStandardLine:
    standard = PayStandard.objects.select_for_update().get(pk=standard.pk)
    if not is_finance(actor, standard.branch):
        raise ValidationError("只有本营业部的财务人员可以编制薪酬标准。")
    _editable(standard)
    if "commission_brackets" in values:
        _check_brackets(values["commission_brackets"])
    if employment_type == User.EmploymentType.PART_TIME and values.get("base_pay"):
        raise ValidationError({"base_pay": "证券经纪人（营销合作协议）没有基本工资。"})
    line, _ = PayStandardLine.objects.get_or_create(
        standard=standard,
        level=level,
        employment_type=employment_type,
        defaults={"commission_brackets": [[None, "0"]]},
    )
    for name, value in values.items():
        if name not in LINE_FIELDS:
            raise TypeError(f"unknown standard field {name}")
        setattr(line, name, value)
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def submit_standard(*, actor: User, standard: PayStandard, opinion: str = ""):
    standard = PayStandard.objects.select_for_update().get(pk=standard.pk)
    if not is_finance(actor, standard.branch):
        raise ValidationError("只有本营业部的财务人员可以报批薪酬标准。")
    _editable(standard)
    if not standard.lines.exists():
        raise ValidationError("薪酬标准没有任何级别的明细。")
    return approvals.submit_request(
        actor=actor, subject=standard, flow_code=STANDARD_FLOW, opinion=opinion
    )


class PayStandardSubject(SubjectAdapter):
    model = PayStandard

    def title(self, standard):
        return f"{standard.branch.name}薪酬标准第 {standard.version} 版（{standard.effective_month:%Y年%m月}起执行）"

    def summary(self, standard):
        items = [
            ("营业部", standard.branch.name),
            ("执行起始月份", f"{standard.effective_month:%Y-%m}"),
        ]
        for line in standard.lines.select_related("level"):
            brackets = "；".join(
                f"{'以上' if upper is None else f'≤{upper}'}：{Decimal(str(rate)) * 100:.2f}%"
                for upper, rate in line.commission_brackets
            )
            items.append(
                (
                    f"{line.level.name} · {line.get_employment_type_display()}",
                    f"基本工资 {line.base_pay}；有效户 {line.account_bonus} 元/户；提成 {brackets}；资产 {line.assets_permille}‰",
                )
            )
        return items

    def stamp(self, standard, submitter):
        return {"branch_id": standard.branch_id, "team_id": None, "group_id": None}

    def prepared_by(self, standard, submitter):
        return standard.prepared_by

    def _set(self, standard, status, actor, **extra):
        standard.status = status
        for name, value in extra.items():
            setattr(standard, name, value)
        standard._history_user = actor
        standard.save(update_fields=["status", *extra])

    def on_submitted(self, standard, request, actor):
        self._set(standard, PayStandard.Status.PENDING, actor)

    def on_rejected(self, standard, request, actor):
        self._set(standard, PayStandard.Status.REJECTED, actor)

    def on_withdrawn(self, standard, request, actor):
        self._set(standard, PayStandard.Status.WITHDRAWN, actor)

    def on_approved(self, standard, request, actor):
        self._set(standard, PayStandard.Status.APPROVED, actor, approved_at=timezone.now())

    def notify_on_approval(self, standard, request):
        return [
            *holders(Role.FINANCE, branch=standard.branch),
            *holders(Role.CHIEF_ACCOUNTANT, branch=standard.branch),
        ]


register_subject(PayStandardSubject())


# -- duty assessment (R-5.3) ----------------------------------------------------------


@transaction.atomic
def assess_duty(
    *, actor: User, person: User, month: dt.date, points: dict[int, Decimal], note: str = ""
) -> DutyAssessment:
    """The team leader's monthly score of a member on the checklist."""
    month = month.replace(day=1)
    if not can_assess(actor, person):
        raise ValidationError("只有该成员所在团队的负责人可以考核。")
    if actor.pk == person.pk:
        raise ValidationError("不能考核本人。")
    reason = month_lock_reason(person.branch, month) if person.branch_id else None
    if reason:
        raise ValidationError(reason)
    items = {item.pk: item for item in DutyItem.objects.filter(is_active=True)}
    if set(points) != set(items):
        raise ValidationError("请为每一个考核项目打分。")
    for item_id, value in points.items():
        if not 0 <= value <= items[item_id].max_points:
            raise ValidationError(
                f"“{items[item_id].name}”的得分应在 0 到 {items[item_id].max_points} 之间。"
            )
    assessment = (
        DutyAssessment.objects.select_for_update().filter(person=person, month=month).first()
    )
    if assessment is None:
        assessment = DutyAssessment(
            person=person,
            month=month,
            branch_id=person.branch_id,
            team_id=person.team_id,
            group_id=person.group_id,
            assessed_by=actor,
            total=0,
        )
    assessment.total = sum(points.values(), Decimal("0"))
    assessment.note = note
    assessment.assessed_by = actor
    assessment._history_user = actor
    assessment.save()
    for item_id, value in points.items():
        DutyScore.objects.update_or_create(
            assessment=assessment, item_id=item_id, defaults={"points": value}
        )
    return assessment


# -- tax inputs ------------------------------------------------------------------------


def _finance_of(actor: User, person: User) -> None:
    if person.branch is None or not is_finance(actor, person.branch):
        raise ValidationError("只有本营业部的财务人员可以录入。")


@transaction.atomic
def set_special_deduction(
    *, actor: User, person: User, month: dt.date, kind: str, amount: Decimal
) -> SpecialDeduction:
    """专项附加扣除 as the person declared it for the month."""
    _finance_of(actor, person)
    month = month.replace(day=1)
    reason = month_lock_reason(person.branch, month)
    if reason:
        raise ValidationError(reason)
    if amount < 0:
        raise ValidationError({"amount": "金额不能为负数。"})
    item, _ = SpecialDeduction.objects.update_or_create(
        person=person, month=month, kind=kind, defaults={"amount": amount, "entered_by": actor}
    )
    return item


@transaction.atomic
def add_other_payment(
    *,
    actor: User,
    person: User,
    month: dt.date,
    kind: str,
    amount: Decimal,
    description: str,
    separate_tax: bool = True,
) -> OtherPayment:
    _finance_of(actor, person)
    month = month.replace(day=1)
    reason = month_lock_reason(person.branch, month)
    if reason:
        raise ValidationError(reason)
    if (
        kind == OtherPayment.Kind.ANNUAL_BONUS
        and OtherPayment.objects.filter(
            person=person, kind=kind, month__year=month.year, separate_tax=True
        ).exists()
        and separate_tax
    ):
        raise ValidationError("全年一次性奖金每年只能单独计税一次。")
    payment = OtherPayment(
        person=person,
        branch_id=person.branch_id,
        month=month,
        kind=kind,
        amount=amount,
        separate_tax=separate_tax if kind == OtherPayment.Kind.ANNUAL_BONUS else False,
        description=description,
        entered_by=actor,
    )
    payment.full_clean()
    payment._history_user = actor
    payment.save()
    return payment


# -- the month's computation --------------------------------------------------------------


@transaction.atomic
def compute_payroll(*, actor: User, branch: Branch, month: dt.date) -> PayrollRun:
    """Computes (or recomputes) a branch's pay for a month. A recompute is a
    new version; the previous one is kept, superseded."""
    if not is_finance(actor, branch):
        raise ValidationError("只有本营业部的财务人员可以计算薪酬。")
    month = month.replace(day=1)
    Branch.objects.select_for_update().get(pk=branch.pk)
    reason = month_lock_reason(branch, month)
    if reason:
        raise ValidationError(reason)
    inputs, pays, problems = compute.compute_month(branch, month)
    if not pays:
        raise ValidationError(problems or ["该月没有可计算薪酬的人员。"])
    previous = PayrollRun.objects.filter(branch=branch, month=month)
    version = (previous.aggregate(v=Max("version"))["v"] or 0) + 1
    previous.filter(status=PayrollRun.Status.CURRENT).update(status=PayrollRun.Status.SUPERSEDED)
    run = PayrollRun.objects.create(
        branch=branch,
        month=month,
        version=version,
        crm_import=inputs.crm_import,
        problems=problems,
        computed_by=actor,
    )
    slips = [
        Payslip(
            run=run,
            person=pay.person,
            month=month,
            branch=branch,
            team_id=pay.team_id,
            level_id=pay.level_id,
            employment_type=pay.employment_type,
            standard=pay.standard,
            gross=pay.total(PayslipLine.Kind.EARNING),
            deductions=pay.total(PayslipLine.Kind.DEDUCTION),
            contributions=pay.total(PayslipLine.Kind.CONTRIBUTION),
            tax=pay.total(PayslipLine.Kind.TAX),
            net=pay.net,
            tax_income=pay.tax_income,
            tax_special=pay.tax_special,
            tax_additional=pay.tax_additional,
            tax_withheld=pay.tax_withheld,
        )
        for pay in pays
    ]
    Payslip.objects.bulk_create(slips, batch_size=500)
    lines, charges = [], []
    for slip, pay in zip(slips, pays, strict=True):
        for order, line in enumerate(pay.lines, start=1):
            lines.append(
                PayslipLine(
                    payslip=slip,
                    order=order,
                    code=line.code,
                    label=line.label,
                    kind=line.kind,
                    amount=line.amount,
                    formula=line.formula,
                    inputs=line.inputs,
                )
            )
        for incident_id, reference, charged, deducted in pay.charges:
            charges.append(
                ChargeDeduction(
                    payslip=slip,
                    incident_id=incident_id,
                    reference=reference[:200],
                    charged=charged,
                    deducted=deducted,
                )
            )
    PayslipLine.objects.bulk_create(lines, batch_size=2000)
    ChargeDeduction.objects.bulk_create(charges)
    run.totals = {
        "people": len(slips),
        "gross": str(sum((s.gross for s in slips), Decimal("0"))),
        "deductions": str(sum((s.deductions for s in slips), Decimal("0"))),
        "contributions": str(sum((s.contributions for s in slips), Decimal("0"))),
        "tax": str(sum((s.tax for s in slips), Decimal("0"))),
        "net": str(sum((s.net for s in slips), Decimal("0"))),
    }
    run.save(update_fields=["totals"])
    return run


# -- the monthly sheet and its signatures (R-5.2) -------------------------------------

SHEET_FLOW = "payroll_sheet"


@transaction.atomic
def submit_sheet(*, actor: User, run: PayrollRun, opinion: str = "") -> PayrollSheet:
    """Finance takes the month's current computation to its signatures."""
    run = PayrollRun.objects.select_for_update().select_related("branch").get(pk=run.pk)
    if not is_finance(actor, run.branch):
        raise ValidationError("只有本营业部的财务人员可以编制月报表。")
    if run.status != PayrollRun.Status.CURRENT:
        raise ValidationError("该计算已被重新计算替代，请使用当前版本。")
    if run.problems:
        raise ValidationError("还有人员未能计算，请先补全薪酬标准或人员级别后重新计算。")
    sheet = PayrollSheet.objects.filter(run=run).first()
    if sheet is None:
        if PayrollSheet.objects.filter(
            branch=run.branch, month=run.month, status=PayrollSheet.Status.SIGNED
        ).exists():
            raise ValidationError("该月月报表已签批。")
        sheet = PayrollSheet.objects.create(
            run=run, branch=run.branch, month=run.month, prepared_by=actor
        )
    approvals.submit_request(actor=actor, subject=sheet, flow_code=SHEET_FLOW, opinion=opinion)
    return sheet


class SheetSubject(SubjectAdapter):
    model = PayrollSheet

    def title(self, sheet):
        return str(sheet)

    def summary(self, sheet):
        totals = sheet.run.totals
        return [
            ("营业部", sheet.branch.name),
            ("月份", f"{sheet.month:%Y年%m月}"),
            ("计算版本", f"第 {sheet.run.version} 版（{sheet.run.computed_by.name}）"),
            ("人数", f"{totals.get('people', 0)} 人"),
            ("应发合计", f"{Decimal(totals.get('gross', '0')):,.2f} 元"),
            ("实发合计", f"{Decimal(totals.get('net', '0')):,.2f} 元"),
        ]

    def stamp(self, sheet, submitter):
        return {"branch_id": sheet.branch_id, "team_id": None, "group_id": None}

    def prepared_by(self, sheet, submitter):
        return sheet.run.computed_by

    def _set(self, sheet, status, actor, **extra):
        sheet.status = status
        for name, value in extra.items():
            setattr(sheet, name, value)
        sheet._history_user = actor
        sheet.save(update_fields=["status", *extra])

    def on_submitted(self, sheet, request, actor):
        self._set(sheet, PayrollSheet.Status.PENDING, actor)

    def on_signed(self, sheet, request, task, actor):
        """The first signature locks the month (R-5.2)."""
        PayrollRun.objects.filter(pk=sheet.run_id, locked_at__isnull=True).update(
            locked_at=timezone.now()
        )

    def _unlock(self, sheet):
        PayrollRun.objects.filter(pk=sheet.run_id).update(locked_at=None)

    def on_rejected(self, sheet, request, actor):
        # The round's signatures are void: finance may correct and recompute.
        self._unlock(sheet)
        self._set(sheet, PayrollSheet.Status.REJECTED, actor)

    def on_withdrawn(self, sheet, request, actor):
        self._unlock(sheet)
        self._set(sheet, PayrollSheet.Status.WITHDRAWN, actor)

    def on_approved(self, sheet, request, actor):
        self._set(sheet, PayrollSheet.Status.SIGNED, actor, signed_at=timezone.now())

    def notify_on_approval(self, sheet, request):
        """Filed with 经纪业务综合室, and finance may pay."""
        from approvals.notify import department_members
        from staff.models import Department

        office = Department.objects.filter(code=Department.Code.OFFICE).first()
        members = department_members(office, timezone.localdate()) if office else []
        return [*members, *holders(Role.FINANCE, branch=sheet.branch)]


register_subject(SheetSubject())


@transaction.atomic
def add_adjustment(
    *,
    actor: User,
    person: User,
    month: dt.date,
    corrects: dt.date,
    kind: str,
    amount: Decimal,
    reason: str,
) -> Adjustment:
    """补发/扣回 in a later month for a signed month: a signed sheet is never edited."""
    _finance_of(actor, person)
    month, corrects = month.replace(day=1), corrects.replace(day=1)
    if month <= corrects:
        raise ValidationError({"month": "补发或扣回须在被更正月份之后的月份发放。"})
    if not PayrollSheet.objects.filter(
        branch=person.branch, month=corrects, status=PayrollSheet.Status.SIGNED
    ).exists():
        raise ValidationError(
            {"corrects": f"{corrects:%Y年%m月}的月报表尚未签批，请直接重新计算该月。"}
        )
    reason_locked = month_lock_reason(person.branch, month)
    if reason_locked:
        raise ValidationError(reason_locked)
    if not reason.strip():
        raise ValidationError({"reason": "请写明更正原因。"})
    item = Adjustment(
        person=person,
        branch_id=person.branch_id,
        month=month,
        corrects=corrects,
        kind=kind,
        amount=amount,
        reason=reason,
        entered_by=actor,
    )
    item.full_clean()
    item._history_user = actor
    item.save()
    return item
