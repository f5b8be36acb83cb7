"""Team plans and goals (SPEC §1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from staff.models import Stamped


class FilingQuerySet(models.QuerySet):
    def visible_to(self, user):
        from teams.selectors import filing_visibility_q

        return self.filter(filing_visibility_q(user, self.model))


class FilingStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "报批中"
    APPROVED = "approved", "已批准（执行中）"
    REJECTED = "rejected", "被退回"
    WITHDRAWN = "withdrawn", "已撤回"
    SUPERSEDED = "superseded", "已被新版本替代"


class FilingKind(models.TextChoices):
    RULES = "rules", "管理及薪酬标准实施细则"
    ANNUAL_PLAN = "annual_plan", "年度工作计划"
    MARKETING = "marketing", "营销方案"
    COOPERATION = "cooperation", "合作银行营销合作方案"
    RECRUITMENT = "recruitment", "人员招聘计划"
    ASSESSMENT = "assessment", "考核办法"


# Which flow each kind of filing goes through: the rules go to 渠道管理部
# (第二条, R-1.1); plans, recruitment and assessment methods through the
# HQ countersign flow (第四条, R-1.3).
FLOW_OF_KIND = {FilingKind.RULES: "team_rules"}
DEFAULT_FLOW = "team_plan"
YEARLY_KINDS = (
    FilingKind.ANNUAL_PLAN,
    FilingKind.MARKETING,
    FilingKind.COOPERATION,
    FilingKind.RECRUITMENT,
    FilingKind.ASSESSMENT,
)


class TeamFiling(models.Model):
    """A team document filed with HQ: its management and pay rules (R-1.1),
    the year's work plan, marketing plan, cooperation agreement with each
    partner bank, recruitment plan and assessment method (R-1.2, R-1.3).

    Nothing counts until approved; an approved version is never edited and
    is superseded only by a newly approved version of the same series
    (same team, kind, year and bank)."""

    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="filings", verbose_name="团队"
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    kind = models.CharField(
        "文件类型", max_length=15, choices=FilingKind.choices, default=FilingKind.RULES
    )
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    series = models.CharField("版本序列", max_length=60, editable=False)
    version = models.PositiveSmallIntegerField("版本号")
    title = models.CharField("标题", max_length=120)
    content = models.TextField("正文")
    effective_from = models.DateField("拟执行日期", null=True, blank=True)
    # 年度工作计划: the targets that are split down.
    target_new_accounts = models.PositiveIntegerField("目标开户数（户）", null=True, blank=True)
    target_net_revenue = models.DecimalField(
        "目标净收入（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_client_assets = models.DecimalField(
        "目标客户资产（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    # 合作银行营销合作方案
    partner_bank = models.ForeignKey(
        "staff.PartnerBank",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="合作银行",
    )
    term_start = models.DateField("合作期起", null=True, blank=True)
    term_end = models.DateField("合作期止", null=True, blank=True)
    # 人员招聘计划
    headcount = models.PositiveSmallIntegerField("计划招聘人数", null=True, blank=True)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=FilingStatus.choices,
        default=FilingStatus.DRAFT,
        db_index=True,
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="编制人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="被替代为",
    )
    history = HistoricalRecords(verbose_name="报备文件变更记录")

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = "团队报备文件"
        verbose_name_plural = "团队报备文件"
        ordering = ["team", "kind", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "series", "version"], name="filing_series_version"
            )
        ]
        indexes = [
            models.Index(fields=["team", "kind", "year", "status"], name="filing_team_kind_year")
        ]

    def __str__(self) -> str:
        year = f"{self.year} 年" if self.year else ""
        return f"{self.team.name} {year}{self.get_kind_display()}（第 {self.version} 版）"

    def get_absolute_url(self) -> str:
        return reverse("teams:filing_detail", args=[self.pk])

    @property
    def flow_code(self) -> str:
        return FLOW_OF_KIND.get(self.kind, DEFAULT_FLOW)


class Metric(models.TextChoices):
    NEW_ACCOUNTS = "new_accounts", "新开户数（户）"
    NET_REVENUE = "net_revenue", "净收入（元）"
    CLIENT_ASSETS = "client_assets", "客户资产（元）"
    SALES = "sales", "个人月度销售目标（元）"


# Metrics split from the annual plan, and the plan field each must add up to.
# New accounts and net revenue accumulate month by month; client assets is
# a year-end stock, split by person only (month 12 holds it).
SPLIT_METRICS = {
    Metric.NEW_ACCOUNTS: "target_new_accounts",
    Metric.NET_REVENUE: "target_net_revenue",
    Metric.CLIENT_ASSETS: "target_client_assets",
}


class TargetSplit(models.Model):
    """The leader's split of an approved annual plan to people by month
    (R-1.4, R-1.10). Saving again supersedes the previous split."""

    plan = models.ForeignKey(
        TeamFiling, on_delete=models.PROTECT, related_name="splits", verbose_name="年度工作计划"
    )
    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="target_splits", verbose_name="团队"
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    year = models.PositiveSmallIntegerField("年度")
    is_current = models.BooleanField("当前有效", default=True)
    note = models.CharField("调整说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="分解人"
    )
    created_at = models.DateTimeField("分解时间", auto_now_add=True)

    class Meta:
        verbose_name = "目标分解"
        verbose_name_plural = "目标分解"
        ordering = ["team", "-year", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year"],
                condition=models.Q(is_current=True),
                name="split_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team.name} {self.year} 年目标分解"


class TargetCell(models.Model):
    split = models.ForeignKey(
        TargetSplit, on_delete=models.CASCADE, related_name="cells", verbose_name="目标分解"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="target_cells",
        verbose_name="人员",
    )
    month = models.PositiveSmallIntegerField("月份")
    metric = models.CharField("指标", max_length=15, choices=Metric.choices)
    value = models.DecimalField("目标值", max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = "目标明细"
        verbose_name_plural = "目标明细"
        constraints = [
            models.UniqueConstraint(
                fields=["split", "person", "month", "metric"], name="target_cell_once"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="target_cell_month"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="target_cell_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.month} 月 {self.get_metric_display()} {self.value}"


class WorkLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        from staff.access import scope_for

        return self.filter(scope_for(user).stamped_q(person="person"))


class WorkLog(Stamped):
    """工作日志: one per person per working day, editable that day only (R-1.5)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="work_logs",
        verbose_name="客户经理",
    )
    date = models.DateField("日期")
    done = models.TextField("今日工作")
    contacts = models.TextField("联系客户情况", blank=True)
    clients = models.ManyToManyField(
        "clients.Client", blank=True, related_name="+", verbose_name="联系的客户"
    )
    plan_tomorrow = models.TextField("明日计划", blank=True)
    created_at = models.DateTimeField("填写时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    history = HistoricalRecords(verbose_name="日志变更记录", m2m_fields=[clients])

    objects = WorkLogQuerySet.as_manager()

    class Meta:
        verbose_name = "工作日志"
        verbose_name_plural = "工作日志"
        ordering = ["-date", "person__employee_no"]
        constraints = [models.UniqueConstraint(fields=["person", "date"], name="worklog_one_a_day")]
        indexes = [models.Index(fields=["team", "date"], name="worklog_team_date")]

    def __str__(self) -> str:
        return f"{self.person.name} {self.date} 工作日志"

    def get_absolute_url(self) -> str:
        return reverse("teams:worklog_detail", args=[self.pk])


class SpotCheckQuerySet(models.QuerySet):
    def visible_to(self, user):
        from staff.access import scope_for
        from staff.models import Role

        return self.filter(
            scope_for(user).stamped_q(group=None, outlet=None, team_roles=(Role.TEAM_LEADER,))
        )


class Verdict(models.TextChoices):
    GOOD = "good", "合格"
    IMPROVE = "improve", "需改进"
    POOR = "poor", "不合格"


class SpotCheck(models.Model):
    """抽查: a sample of a period's work logs drawn with a stored seed, so
    the same seed and period always give the same sample (R-1.5)."""

    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="spot_checks", verbose_name="团队"
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    period_start = models.DateField("抽查期间起")
    period_end = models.DateField("抽查期间止")
    sample_size = models.PositiveIntegerField("抽查份数", null=True, blank=True)
    sample_percent = models.PositiveSmallIntegerField("抽查比例（%）", null=True, blank=True)
    seed = models.BigIntegerField("随机种子")
    population = models.PositiveIntegerField("日志总数")
    note = models.CharField("说明", max_length=200, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="抽查人"
    )
    drawn_at = models.DateTimeField("抽取时间", auto_now_add=True)

    objects = SpotCheckQuerySet.as_manager()

    class Meta:
        verbose_name = "日志抽查"
        verbose_name_plural = "日志抽查"
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return f"{self.team.name} {self.period_start}～{self.period_end} 日志抽查"

    def get_absolute_url(self) -> str:
        return reverse("teams:spotcheck_detail", args=[self.pk])


class SpotCheckItem(models.Model):
    spot_check = models.ForeignKey(
        SpotCheck, on_delete=models.CASCADE, related_name="items", verbose_name="抽查"
    )
    work_log = models.ForeignKey(
        WorkLog, on_delete=models.PROTECT, related_name="checks", verbose_name="工作日志"
    )
    verdict = models.CharField("结论", max_length=10, choices=Verdict.choices, blank=True)
    comment = models.CharField("点评", max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="检查人",
    )
    checked_at = models.DateTimeField("检查时间", null=True, blank=True)
    history = HistoricalRecords(verbose_name="抽查结论变更记录")

    class Meta:
        verbose_name = "抽查明细"
        verbose_name_plural = "抽查明细"
        ordering = ["spot_check", "work_log__date", "work_log__person__employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["spot_check", "work_log"], name="spotcheck_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.work_log} · {self.get_verdict_display() or '未检查'}"


class Duty(models.TextChoices):
    DEVELOP = "develop", "开发客户"
    SERVE = "serve", "服务客户"
    OUTLET = "outlet", "网点驻点"
    PROMOTION = "promotion", "营销活动组织"
    OTHER = "other", "其他"


class MemberDuty(models.Model):
    """分工: a member's duty in the team, dated (R-1.6)."""

    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="duties", verbose_name="团队"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="team_duties",
        verbose_name="成员",
    )
    duty = models.CharField("分工", max_length=10, choices=Duty.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期（不含）", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="安排人"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "成员分工"
        verbose_name_plural = "成员分工"
        ordering = ["team", "person", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.person.name}：{self.get_duty_display()}"


class Pairing(models.Model):
    """开发与服务结对: a developer paired with a servicer (R-1.6)."""

    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="pairings", verbose_name="团队"
    )
    developer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="开发人员",
    )
    servicer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="服务人员",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期（不含）", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="安排人"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="解除人",
    )
    ended_at = models.DateTimeField("解除时间", null=True, blank=True)

    class Meta:
        verbose_name = "开发服务结对"
        verbose_name_plural = "开发服务结对"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(developer=models.F("servicer")), name="pairing_two_people"
            )
        ]

    def __str__(self) -> str:
        return f"{self.developer.name} ↔ {self.servicer.name}"


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        from teams.selectors import report_visibility_q

        return self.filter(report_visibility_q(user, self.model))


class AnalysisReport(models.Model):
    """业务分析报告: monthly, semi-annual or annual (R-1.8), drafted by the
    portal with the period's figures, completed with the leader's analysis,
    reviewed by the branch manager and then archived (R-6.5)."""

    class Period(models.TextChoices):
        MONTH = "month", "月度"
        HALF = "half", "半年度"
        YEAR = "year", "年度"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已报营业部经理"
        REJECTED = "rejected", "被退回"
        WITHDRAWN = "withdrawn", "已撤回"
        ARCHIVED = "archived", "已归档"

    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="reports", verbose_name="团队"
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    period = models.CharField("报告类型", max_length=6, choices=Period.choices)
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveSmallIntegerField(
        "期次", help_text="月份或半年（1 上半年，2 下半年）；年度报告为 1"
    )
    start = models.DateField("期间起")
    end = models.DateField("期间止")
    figures = models.JSONField("数据快照", default=dict)
    analysis = models.TextField("业务分析", blank=True)
    measures = models.TextField("下一步工作思路", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="撰写人"
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    history = HistoricalRecords(verbose_name="报告变更记录")

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "业务分析报告"
        verbose_name_plural = "业务分析报告"
        ordering = ["-year", "-start", "team"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "period", "year", "number"], name="report_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team.name} {self.period_label}业务分析报告"

    def get_absolute_url(self) -> str:
        return reverse("teams:report_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        if self.period == self.Period.MONTH:
            return f"{self.year} 年 {self.number} 月"
        if self.period == self.Period.HALF:
            return f"{self.year} 年{'上' if self.number == 1 else '下'}半年"
        return f"{self.year} 年度"


class NoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        from staff.access import BRANCH_MANAGEMENT, scope_for
        from staff.models import Role

        scope = scope_for(user)
        if scope.superuser:
            return self
        return self.filter(
            models.Q(author=user)
            | models.Q(member=user)
            | models.Q(team_id__in=scope.ids(Role.TEAM_LEADER))
            | models.Q(branch_id__in=scope.ids(*BRANCH_MANAGEMENT))
        )


class OneToOneNote(models.Model):
    """A leader's one-to-one talk with a member (R-1.9, 篇6)."""

    team = models.ForeignKey(
        "staff.Team", on_delete=models.PROTECT, related_name="+", verbose_name="团队"
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="谈话人"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="one_to_ones",
        verbose_name="谈话对象",
    )
    date = models.DateField("谈话日期")
    topic = models.CharField("主题", max_length=100)
    content = models.TextField("谈话内容")
    follow_up = models.TextField("跟进事项", blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="谈话记录变更")

    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = "一对一谈话"
        verbose_name_plural = "一对一谈话"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.author.name} 与 {self.member.name} {self.date}"
