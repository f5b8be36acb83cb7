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


class SheetQuerySet(models.QuerySet):
    def visible_to(self, user):
        from payroll.permissions import sheet_scope_q

        return self.filter(sheet_scope_q(user))


class PayrollSheet(models.Model):
    """营业部客户经理薪酬月报表 (R-5.2): a computed run taken through its
    signatures — 复核 (four eyes) → 主办会计 → 副经理/经理助理 → 经理.
    From the first signature the month is locked; signed, it is the basis
    for payment and is filed with 经纪业务综合室."""

    class Status(models.TextChoices):
        PENDING = "pending", "签批中"
        SIGNED = "signed", "已签批（已报综合室备案）"
        REJECTED = "rejected", "被退回"
        WITHDRAWN = "withdrawn", "已撤回"

    run = models.OneToOneField(
        PayrollRun, on_delete=models.PROTECT, related_name="sheet", verbose_name="薪酬计算"
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    month = models.DateField("月份")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="编制人"
    )
    created_at = models.DateTimeField("编制时间", auto_now_add=True)
    signed_at = models.DateTimeField("签批完成时间", null=True, blank=True)
    history = HistoricalRecords(verbose_name="月报表状态记录")

    objects = SheetQuerySet.as_manager()

    class Meta:
        verbose_name = "薪酬月报表"
        verbose_name_plural = "薪酬月报表"
        ordering = ["-month", "branch"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "month"],
                condition=Q(status="signed"),
                name="payroll_sheet_one_signed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch.name}{self.month:%Y年%m月}客户经理薪酬月报表"

    def get_absolute_url(self) -> str:
        return reverse("payroll:sheet_detail", args=[self.pk])


class Adjustment(models.Model):
    """补发 / 扣回: a correction of a signed month, paid in a later month —
    a signed sheet is never edited (R-5.2)."""

    class Kind(models.TextChoices):
        SUPPLEMENT = "supplement", "补发"
        CLAWBACK = "clawback", "扣回"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="pay_adjustments",
        verbose_name="人员",
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    month = models.DateField("发放月份")
    corrects = models.DateField("更正月份")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    amount = models.DecimalField("金额（元）", **MONEY)
    reason = models.CharField("原因", max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="补发扣回变更记录")

    class Meta:
        verbose_name = "补发扣回"
        verbose_name_plural = "补发扣回"
        ordering = ["-month", "person"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="adjustment_positive"),
            models.CheckConstraint(
                condition=Q(month__gt=models.F("corrects")), name="adjustment_later_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.month:%Y-%m} {self.get_kind_display()} {self.amount}"


class LevelRule(models.Model):
    """Quarterly level review thresholds of a level (R-5.4): up when every
    "up" figure is met, down when any "down" figure is missed."""

    level = models.OneToOneField(
        "staff.Level", on_delete=models.PROTECT, related_name="rule", verbose_name="级别"
    )
    up_net_revenue = models.DecimalField("晋级：季度净收入不低于（元）", **MONEY)
    up_new_accounts = models.PositiveIntegerField("晋级：季度新开户不少于（户）")
    up_duty_average = models.DecimalField(
        "晋级：职责考核均分不低于", max_digits=5, decimal_places=1
    )
    down_net_revenue = models.DecimalField("降级：季度净收入低于（元）", **MONEY)
    down_duty_average = models.DecimalField(
        "降级：职责考核均分低于", max_digits=5, decimal_places=1
    )
    history = HistoricalRecords(verbose_name="级别考核标准变更记录")

    class Meta:
        verbose_name = "季度级别考核标准"
        verbose_name_plural = "季度级别考核标准"
        ordering = ["level__rank"]

    def __str__(self) -> str:
        return f"{self.level} 季度考核标准"


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        from payroll.permissions import payroll_scope_q

        return self.filter(payroll_scope_q(user))


class LevelReview(models.Model):
    """A branch's quarterly level review or annual evaluation (R-5.4)."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", "季度级别考核"
        YEAR = "year", "年度综合考评"

    class Status(models.TextChoices):
        OPEN = "open", "待确认"
        CONFIRMED = "confirmed", "已确认生效"

    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", default=0, help_text="年度考评为 0")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    effective_on = models.DateField("级别调整生效日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发起人"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确认人",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "级别考核"
        verbose_name_plural = "级别考核"
        ordering = ["-year", "-quarter", "branch"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "kind", "year", "quarter"], name="level_review_once"
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.year} 年第 {self.quarter} 季度" if self.quarter else f"{self.year} 年度"
        return f"{self.branch.name}{period}{self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("payroll:review_detail", args=[self.pk])


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class EvaluationBand(models.Model):
    """Annual evaluation rule: the first band (from 优秀 down) whose duty
    average and target completion are both met gives the grade."""

    grade = models.CharField("评定结果", max_length=12, choices=Grade.choices, unique=True)
    order = models.PositiveSmallIntegerField("顺序")
    min_duty_average = models.DecimalField("职责考核均分不低于", max_digits=5, decimal_places=1)
    min_completion = models.DecimalField("净收入目标完成率不低于", **RATE, help_text="1.0 即 100%")
    level_change = models.SmallIntegerField(
        "级别调整", default=0, help_text="+1 升一级，-1 降一级，0 不变"
    )

    class Meta:
        verbose_name = "年度考评档次"
        verbose_name_plural = "年度考评档次"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.get_grade_display()


class ReviewItem(models.Model):
    class Proposal(models.TextChoices):
        UP = "up", "晋级"
        SAME = "same", "维持"
        DOWN = "down", "降级"

    review = models.ForeignKey(
        LevelReview, on_delete=models.CASCADE, related_name="items", verbose_name="考核"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="level_reviews",
        verbose_name="客户经理",
    )
    level = models.ForeignKey(
        "staff.Level", on_delete=models.PROTECT, related_name="+", verbose_name="现级别"
    )
    net_revenue = models.DecimalField("净收入", **MONEY)
    new_accounts = models.PositiveIntegerField("新开户")
    duty_average = models.DecimalField(
        "职责考核均分", max_digits=5, decimal_places=1, null=True, blank=True
    )
    target = models.DecimalField("净收入目标", **MONEY, null=True, blank=True)
    grade = models.CharField("年度评定", max_length=12, choices=Grade.choices, blank=True)
    proposal = models.CharField("系统建议", max_length=5, choices=Proposal.choices)
    proposed_level = models.ForeignKey(
        "staff.Level", on_delete=models.PROTECT, related_name="+", verbose_name="建议级别"
    )
    decided_level = models.ForeignKey(
        "staff.Level",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确定级别",
    )
    override_reason = models.CharField("调整理由", max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确定人",
    )
    decided_at = models.DateTimeField("确定时间", null=True, blank=True)
    history = HistoricalRecords(verbose_name="考核结果变更记录")

    class Meta:
        verbose_name = "级别考核明细"
        verbose_name_plural = "级别考核明细"
        ordering = ["review", "person__employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="review_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.get_proposal_display()}"

    @property
    def year(self) -> int:
        return self.review.year
