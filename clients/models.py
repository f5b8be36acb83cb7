"""The shared client registry (R-7.5, R-7.6): clients, tiers and ownership."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class ClientTier(models.Model):
    """分级管理: each tier carries the visit frequency it requires (R-7.5)."""

    code = models.CharField("级别代码", max_length=20, unique=True)
    name = models.CharField("客户级别", max_length=20, unique=True)
    rank = models.PositiveSmallIntegerField("排序", default=0, help_text="数字越小越重要")
    visit_interval_days = models.PositiveSmallIntegerField(
        "走访周期（天）", help_text="至少每隔多少天走访一次"
    )
    min_assets = models.DecimalField(
        "资产门槛（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "客户级别"
        verbose_name_plural = "客户级别"
        ordering = ["rank", "code"]

    def __str__(self) -> str:
        return self.name


class ClientQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Clients by their current owner's org stamp (DESIGN: who sees what)."""
        from staff.access import scope_for

        return self.filter(scope_for(user).clients_q())

    def shaped(self):
        return self.select_related("tier", "branch", "team", "group", "outlet", "manager")


class Client(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "个人"
        INSTITUTION = "institution", "机构"

    class Status(models.TextChoices):
        ACTIVE = "active", "正常"
        DORMANT = "dormant", "休眠"
        CLOSED = "closed", "已销户"

    crm_code = models.CharField(
        "客户号", max_length=30, unique=True, error_messages={"unique": "该客户号已存在。"}
    )
    name = models.CharField("客户名称", max_length=100, db_index=True)
    kind = models.CharField("客户类型", max_length=12, choices=Kind.choices, default=Kind.PERSON)
    tier = models.ForeignKey(
        ClientTier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name="客户级别",
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    opened_on = models.DateField("开户日期", null=True, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("联系地址", max_length=200, blank=True)
    profile = models.TextField("客户概况", blank=True)

    # The current owner and his org stamp, kept by clients.services together
    # with ClientAssignment so lists filter and scope without a join on the
    # ownership history (150,000 clients).
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name="客户经理",
    )
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="clients", verbose_name="营业部"
    )
    team = models.ForeignKey(
        "staff.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name="团队",
    )
    group = models.ForeignKey(
        "staff.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name="小组",
    )
    outlet = models.ForeignKey(
        "staff.Outlet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name="网点",
    )
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="客户变更记录")

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = "客户"
        verbose_name_plural = "客户"
        ordering = ["crm_code"]
        indexes = [
            models.Index(fields=["branch", "team"], name="client_branch_team"),
            models.Index(fields=["manager", "status"], name="client_manager_status"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.crm_code}）"

    def get_absolute_url(self) -> str:
        return reverse("clients:client_detail", args=[self.pk])


class ClientAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The ownership history of the clients the user may see: a client's
        page shows who owned it when, including owners outside the scope."""
        return self.filter(client__in=Client.objects.visible_to(user).values("pk"))


class ClientAssignment(models.Model):
    """Who owns a client over time; the owner in any month is the assignment
    in force then (DESIGN). Half-open: ``valid_from <= d < valid_to``."""

    class Source(models.TextChoices):
        IMPORT = "import", "CRM 导入"
        SLIP = "slip", "客户确认单"
        REASSIGNMENT = "reassignment", "调整分配"
        INITIAL = "initial", "建档"

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="assignments", verbose_name="客户"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="client_assignments",
        verbose_name="客户经理",
    )
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
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期（不含）", null=True, blank=True)
    source = models.CharField("来源", max_length=15, choices=Source.choices)
    reason = models.CharField("原因", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="归属变更记录")

    objects = ClientAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "客户归属"
        verbose_name_plural = "客户归属"
        ordering = ["client", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(valid_to__isnull=True),
                name="client_assignment_one_open",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="client_assignment_dates_order",
            ),
        ]
        indexes = [models.Index(fields=["manager", "valid_from"], name="assignment_mgr_from")]

    def __str__(self) -> str:
        return f"{self.client.name} → {self.manager.name}（{self.valid_from} 起）"


class CrmImport(models.Model):
    """One imported version of a month's CRM export (R-5.1). Re-importing a
    month makes a new version; the older one is kept, marked superseded."""

    class Status(models.TextChoices):
        CURRENT = "current", "当前版本"
        SUPERSEDED = "superseded", "已被新版本替代"

    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="crm_imports", verbose_name="营业部"
    )
    month = models.DateField("月份", help_text="该月第一天")
    version = models.PositiveSmallIntegerField("版本")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.CURRENT)
    batch = models.ForeignKey(
        "portal.ImportBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="原始文件",
    )
    flagged_count = models.PositiveIntegerField("归属不符行数", default=0)
    row_count = models.PositiveIntegerField("行数", default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="导入人"
    )
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="复核人",
    )
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "CRM 数据导入"
        verbose_name_plural = "CRM 数据导入"
        ordering = ["-month", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "month", "version"], name="crm_import_branch_month_version"
            ),
            models.UniqueConstraint(
                fields=["branch", "month"],
                condition=Q(status="current"),
                name="crm_import_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.month:%Y-%m} CRM 数据第 {self.version} 版"

    @property
    def reviewed(self) -> bool:
        return self.reviewed_at is not None


class CrmFigure(models.Model):
    """A client's figures for a month, as imported (never edited by hand)."""

    crm_import = models.ForeignKey(
        CrmImport, on_delete=models.PROTECT, related_name="figures", verbose_name="导入批次"
    )
    month = models.DateField("月份")
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="figures", verbose_name="客户"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="crm_figures",
        verbose_name="客户经理",
    )
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
    net_revenue = models.DecimalField("净收入（元）", max_digits=14, decimal_places=2)
    month_end_assets = models.DecimalField("月末资产（元）", max_digits=16, decimal_places=2)
    new_account = models.BooleanField("当月新开户", default=False)
    opened_on = models.DateField("开户日期", null=True, blank=True)
    source_row = models.PositiveIntegerField("文件行号", default=0)
    # The registry said someone else owned the client that month: the row is
    # kept as the CRM says and flagged for finance to look at.
    flagged = models.BooleanField("归属不符", default=False)
    registry_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="系统登记的客户经理",
    )

    class Meta:
        verbose_name = "客户月度业绩"
        verbose_name_plural = "客户月度业绩"
        constraints = [
            models.UniqueConstraint(
                fields=["crm_import", "client"], name="crm_figure_once_per_import"
            )
        ]
        indexes = [
            models.Index(fields=["crm_import", "manager"], name="crm_figure_import_manager"),
            models.Index(fields=["month", "manager"], name="crm_figure_month_manager"),
            # Year-to-date figures of a branch's teams (home page, reports).
            models.Index(fields=["team", "month"], name="crm_figure_team_month"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.month:%Y-%m}"
