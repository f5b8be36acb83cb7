"""Business figures and pay (SPEC §5): pay standards by level, settings,
duty assessment, tax inputs, and the computed payroll with payslips that
explain every figure."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from staff.models import User

MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 8, "decimal_places": 4}


class PayrollSettingsQuerySet(models.QuerySet):
    def for_month(self, branch_id: int, month):
        return (
            self.filter(branch_id=branch_id, effective_month__lte=month)
            .order_by("-effective_month")
            .first()
        )


class PayrollSettings(models.Model):
    """A branch's payroll parameters from a month on: paid days, the local
    minimum wage, employee contribution rates and bases."""

    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    effective_month = models.DateField("起始月份", help_text="该月第一天")
    paid_days = models.DecimalField(
        "月计薪天数", max_digits=5, decimal_places=2, default=Decimal("21.75")
    )
    minimum_wage = models.DecimalField("当地月最低工资", **MONEY, default=Decimal("2360.00"))
    pension_rate = models.DecimalField("养老保险个人比例", **RATE, default=Decimal("0.0800"))
    medical_rate = models.DecimalField("医疗保险个人比例", **RATE, default=Decimal("0.0200"))
    unemployment_rate = models.DecimalField("失业保险个人比例", **RATE, default=Decimal("0.0050"))
    housing_rate = models.DecimalField("住房公积金个人比例", **RATE, default=Decimal("0.0700"))
    contribution_floor = models.DecimalField("缴费基数下限", **MONEY, default=Decimal("4492.00"))
    contribution_ceiling = models.DecimalField("缴费基数上限", **MONEY, default=Decimal("26421.00"))
    default_coefficient = models.DecimalField(
        "未考核时的佣金系数",
        **RATE,
        default=Decimal("1.0000"),
        help_text="当月未做岗位职责考核时使用",
    )
    history = HistoricalRecords(verbose_name="薪酬参数变更记录")

    objects = PayrollSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = "薪酬参数"
        verbose_name_plural = "薪酬参数"
        ordering = ["branch", "-effective_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "effective_month"], name="payroll_settings_once"
            ),
            models.CheckConstraint(
                condition=Q(contribution_ceiling__gte=models.F("contribution_floor")),
                name="payroll_settings_base_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.effective_month:%Y-%m} 起薪酬参数"


class StandardQuerySet(models.QuerySet):
    def visible_to(self, user):
        from payroll.permissions import payroll_scope_q

        return self.filter(payroll_scope_q(user))


class PayStandard(models.Model):
    """薪酬标准: a branch's pay standards by level and employment type from
    an effective month, approved (营业部经理 → 渠道管理部) before it applies."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PENDING = "pending", "报批中"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "被退回"
        WITHDRAWN = "withdrawn", "已撤回"

    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    effective_month = models.DateField("执行起始月份", help_text="该月第一天")
    version = models.PositiveSmallIntegerField("版本")
    title = models.CharField("名称", max_length=100)
    note = models.TextField("说明", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="编制人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    history = HistoricalRecords(verbose_name="薪酬标准变更记录")

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = "薪酬标准"
        verbose_name_plural = "薪酬标准"
        ordering = ["branch", "-effective_month", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "version"], name="pay_standard_version")
        ]

    def __str__(self) -> str:
        return f"{self.branch} 薪酬标准第 {self.version} 版（{self.effective_month:%Y-%m} 起）"

    def get_absolute_url(self) -> str:
        return reverse("payroll:standard_detail", args=[self.pk])


class PayStandardLine(models.Model):
    standard = models.ForeignKey(
        PayStandard, on_delete=models.CASCADE, related_name="lines", verbose_name="薪酬标准"
    )
    level = models.ForeignKey(
        "staff.Level", on_delete=models.PROTECT, related_name="+", verbose_name="级别"
    )
    employment_type = models.CharField(
        "用工类型", max_length=10, choices=User.EmploymentType.choices
    )
    base_pay = models.DecimalField("基本工资（元/月）", **MONEY, default=Decimal("0"))
    account_bonus = models.DecimalField("有效开户奖励（元/户）", **MONEY, default=Decimal("0"))
    valid_account_min_assets = models.DecimalField(
        "有效户月末资产门槛（元）", max_digits=16, decimal_places=2, default=Decimal("10000.00")
    )
    # [[upper bound or null, rate], ...]: progressive brackets on net revenue.
    commission_brackets = models.JSONField("净收入提成分档", default=list)
    assets_permille = models.DecimalField("资产奖励（‰/月）", **RATE, default=Decimal("0"))
    late_deduction = models.DecimalField("迟到扣款（元/次）", **MONEY, default=Decimal("0"))

    class Meta:
        verbose_name = "薪酬标准明细"
        verbose_name_plural = "薪酬标准明细"
        ordering = ["standard", "level__rank", "employment_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "level", "employment_type"], name="pay_standard_line_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} · {self.get_employment_type_display()}"


class DutyItem(models.Model):
    """岗位职责考核 checklist item (R-5.3), configurable."""

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("考核项目", max_length=60)
    max_points = models.DecimalField("满分", max_digits=5, decimal_places=1)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "岗位职责考核项目"
        verbose_name_plural = "岗位职责考核项目"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.max_points} 分）"


class ScoreBand(models.Model):
    """考核得分 → 佣金系数: a score of at least ``min_score`` gives ``coefficient``."""

    min_score = models.DecimalField("最低得分", max_digits=5, decimal_places=1, unique=True)
    coefficient = models.DecimalField("佣金系数", **RATE)

    class Meta:
        verbose_name = "考核系数档"
        verbose_name_plural = "考核系数档"
        ordering = ["-min_score"]

    def __str__(self) -> str:
        return f"≥{self.min_score} 分 → {self.coefficient}"


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        from staff.access import scope_for

        return self.filter(scope_for(user).stamped_q(person="person", outlet=None))


class DutyAssessment(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="duty_assessments",
        verbose_name="客户经理",
    )
    month = models.DateField("月份")
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    team = models.ForeignKey(
        "staff.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="团队",
    )
    group = models.ForeignKey(
        "staff.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="小组",
    )
    total = models.DecimalField("得分", max_digits=5, decimal_places=1)
    note = models.CharField("评语", max_length=200, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="考核人"
    )
    assessed_at = models.DateTimeField("考核时间", auto_now=True)
    history = HistoricalRecords(verbose_name="考核变更记录")

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "岗位职责考核"
        verbose_name_plural = "岗位职责考核"
        ordering = ["-month", "person__employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="duty_assessment_once")
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.month:%Y-%m} 考核 {self.total} 分"


class DutyScore(models.Model):
    assessment = models.ForeignKey(
        DutyAssessment, on_delete=models.CASCADE, related_name="scores", verbose_name="考核"
    )
    item = models.ForeignKey(
        DutyItem, on_delete=models.PROTECT, related_name="+", verbose_name="项目"
    )
    points = models.DecimalField("得分", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "考核得分"
        verbose_name_plural = "考核得分"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="duty_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.item.name} {self.points}"


class SpecialDeduction(models.Model):
    """专项附加扣除 declared by a person for a month, entered by finance."""

    class Kind(models.TextChoices):
        CHILDREN = "children", "子女教育"
        EDUCATION = "education", "继续教育"
        MEDICAL = "medical", "大病医疗"
        MORTGAGE = "mortgage", "住房贷款利息"
        RENT = "rent", "住房租金"
        ELDERLY = "elderly", "赡养老人"
        INFANT = "infant", "3岁以下婴幼儿照护"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="special_deductions",
        verbose_name="人员",
    )
    month = models.DateField("月份")
    kind = models.CharField("项目", max_length=10, choices=Kind.choices)
    amount = models.DecimalField("金额（元）", **MONEY)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    entered_at = models.DateTimeField("录入时间", auto_now=True)
    history = HistoricalRecords(verbose_name="专项附加扣除变更记录")

    class Meta:
        verbose_name = "专项附加扣除"
        verbose_name_plural = "专项附加扣除"
        ordering = ["-month", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "month", "kind"], name="special_deduction_once"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="special_deduction_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.month:%Y-%m} {self.get_kind_display()} {self.amount}"


class OtherPayment(models.Model):
    """A payment outside the monthly standard: a one-off labour remuneration
    (劳务报酬, taxed per payment) or the annual one-off bonus (全年一次性奖金)."""

    class Kind(models.TextChoices):
        LABOUR = "labour", "劳务报酬"
        ANNUAL_BONUS = "annual_bonus", "全年一次性奖金"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="other_payments",
        verbose_name="人员",
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    month = models.DateField("发放月份")
    kind = models.CharField("类型", max_length=15, choices=Kind.choices)
    amount = models.DecimalField("金额（元）", **MONEY)
    separate_tax = models.BooleanField(
        "单独计税",
        default=True,
        help_text="全年一次性奖金可选择单独计税（按月换算税率表），否则并入当月综合所得",
    )
    description = models.CharField("事由", max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="其他发放变更记录")

    class Meta:
        verbose_name = "其他发放"
        verbose_name_plural = "其他发放"
        ordering = ["-month", "person"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="other_payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.month:%Y-%m} {self.get_kind_display()} {self.amount}"


class RunQuerySet(models.QuerySet):
    def visible_to(self, user):
        from payroll.permissions import payroll_scope_q

        return self.filter(payroll_scope_q(user))


class PayrollRun(models.Model):
    """A branch's computed pay for a month. Recomputing makes a new version
    (the old one is kept, superseded) until the sheet's first signature."""

    class Status(models.TextChoices):
        CURRENT = "current", "当前版本"
        SUPERSEDED = "superseded", "已重新计算"

    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    month = models.DateField("月份")
    version = models.PositiveSmallIntegerField("计算版本")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.CURRENT)
    crm_import = models.ForeignKey(
        "clients.CrmImport",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="所用 CRM 数据",
    )
    problems = models.JSONField("未能计算的人员", default=list, blank=True)
    totals = models.JSONField("合计", default=dict, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="计算人"
    )
    computed_at = models.DateTimeField("计算时间", auto_now_add=True)
    # Set at the sheet's first signature: from then on the month cannot be
    # recomputed or re-imported.
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = "薪酬计算"
        verbose_name_plural = "薪酬计算"
        ordering = ["-month", "branch", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "month", "version"], name="payroll_run_version"
            ),
            models.UniqueConstraint(
                fields=["branch", "month"],
                condition=Q(status="current"),
                name="payroll_run_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.month:%Y-%m} 薪酬计算（第 {self.version} 版）"

    def get_absolute_url(self) -> str:
        return reverse("payroll:run_detail", args=[self.pk])


class PayslipQuerySet(models.QuerySet):
    def visible_to(self, user):
        from payroll.permissions import payslip_scope_q

        return self.filter(payslip_scope_q(user))


class Payslip(models.Model):
    run = models.ForeignKey(
        PayrollRun, on_delete=models.PROTECT, related_name="payslips", verbose_name="薪酬计算"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="payslips",
        verbose_name="人员",
    )
    month = models.DateField("月份")
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    team = models.ForeignKey(
        "staff.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="团队",
    )
    level = models.ForeignKey(
        "staff.Level",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="级别",
    )
    employment_type = models.CharField(
        "用工类型", max_length=10, choices=User.EmploymentType.choices
    )
    standard = models.ForeignKey(
        PayStandard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="薪酬标准",
    )
    gross = models.DecimalField("应发合计", **MONEY)
    deductions = models.DecimalField("扣款合计", **MONEY)
    contributions = models.DecimalField("个人社保公积金", **MONEY)
    tax = models.DecimalField("个人所得税", **MONEY)
    net = models.DecimalField("实发金额", **MONEY)
    # The figures the cumulative withholding of later months builds on.
    tax_income = models.DecimalField("本月计税收入", **MONEY, default=Decimal("0"))
    tax_special = models.DecimalField("本月专项扣除", **MONEY, default=Decimal("0"))
    tax_additional = models.DecimalField("本月专项附加扣除", **MONEY, default=Decimal("0"))
    tax_withheld = models.DecimalField("本月累计预扣税额", **MONEY, default=Decimal("0"))

    objects = PayslipQuerySet.as_manager()

    class Meta:
        verbose_name = "工资条"
        verbose_name_plural = "工资条"
        ordering = ["run", "person__employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["run", "person"], name="payslip_once_per_run")
        ]
        indexes = [models.Index(fields=["person", "month"], name="payslip_person_month")]

    def __str__(self) -> str:
        return f"{self.person.name} {self.month:%Y-%m} 工资条"

    def get_absolute_url(self) -> str:
        return reverse("payroll:payslip_detail", args=[self.pk])


class PayslipLine(models.Model):
    class Kind(models.TextChoices):
        EARNING = "earning", "应发"
        DEDUCTION = "deduction", "扣款"
        CONTRIBUTION = "contribution", "社保公积金"
        TAX = "tax", "个税"

    payslip = models.ForeignKey(
        Payslip, on_delete=models.CASCADE, related_name="lines", verbose_name="工资条"
    )
    order = models.PositiveSmallIntegerField("顺序")
    code = models.CharField("代码", max_length=30)
    label = models.CharField("项目", max_length=60)
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    amount = models.DecimalField("金额", **MONEY)
    formula = models.TextField("计算过程", blank=True)
    inputs = models.JSONField("依据", default=dict, blank=True)

    class Meta:
        verbose_name = "工资条明细"
        verbose_name_plural = "工资条明细"
        ordering = ["payslip", "order"]

    def __str__(self) -> str:
        return f"{self.label} {self.amount}"


class ChargeDeduction(models.Model):
    """How much of an asset-loss charge a payslip deducted (R-4.4): at most
    20 % of the month's wage and never below the minimum wage; the rest
    carries to later months."""

    payslip = models.ForeignKey(
        Payslip, on_delete=models.CASCADE, related_name="charges", verbose_name="工资条"
    )
    incident_id = models.PositiveBigIntegerField("事件编号")
    reference = models.CharField("事由", max_length=200)
    charged = models.DecimalField("应赔偿金额", **MONEY)
    deducted = models.DecimalField("本月扣回", **MONEY)

    class Meta:
        verbose_name = "赔偿扣款"
        verbose_name_plural = "赔偿扣款"

    def __str__(self) -> str:
        return f"{self.reference} 扣 {self.deducted}"
