"""月度归档 (R-6.1, R-6.4, R-6.5): the archive clerk closes a branch's month;
what was gathered is kept as it was, and the month becomes read-only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class ArchiveQuerySet(models.QuerySet):
    def visible_to(self, user):
        from archives.permissions import archives_q

        return self.filter(archives_q(user))


class MonthArchive(models.Model):
    branch = models.ForeignKey(
        "staff.Branch", on_delete=models.PROTECT, related_name="+", verbose_name="营业部"
    )
    month = models.DateField("月份", help_text="该月第一天")
    paper_location = models.CharField(
        "纸质原件存放位置", max_length=200, help_text="如：营业部档案室 3 号柜 2026 年第 9 盒"
    )
    note = models.TextField("归档说明", blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="归档人"
    )
    closed_at = models.DateTimeField("归档时间", auto_now_add=True)
    # What was gathered, as it was at closing.
    slip_count = models.PositiveIntegerField("确认单张数", default=0)
    void_count = models.PositiveIntegerField("其中作废", default=0)
    first_number = models.CharField("起始流水号", max_length=30, blank=True)
    last_number = models.CharField("截止流水号", max_length=30, blank=True)
    manager_count = models.PositiveIntegerField("客户经理人数", default=0)
    client_count = models.PositiveIntegerField("客户数", default=0)
    payroll_sheet_id = models.PositiveIntegerField("薪酬月报表", null=True, blank=True)
    payroll_title = models.CharField("薪酬月报表标题", max_length=200, blank=True)
    crm_import_id = models.PositiveIntegerField("CRM 数据版本", null=True, blank=True)
    team_reports = models.JSONField(
        "团队月度业务分析报告", default=list, blank=True, help_text="[{id, team, title}]"
    )
    missing_reports = models.JSONField("未交报告的团队", default=list, blank=True)
    history = HistoricalRecords(verbose_name="归档变更记录")

    objects = ArchiveQuerySet.as_manager()

    class Meta:
        verbose_name = "月度归档"
        verbose_name_plural = "月度归档"
        ordering = ["-month", "branch__code"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "month"], name="month_archive_once"),
        ]

    def __str__(self) -> str:
        return f"{self.branch.name} {self.month:%Y年%m月}归档"

    def get_absolute_url(self) -> str:
        return reverse("archives:archive_detail", args=[self.pk])


class ArchivedManager(models.Model):
    """Each client manager's month as archived: his clients and results (R-6.4)."""

    archive = models.ForeignKey(
        MonthArchive, on_delete=models.PROTECT, related_name="managers", verbose_name="归档"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="客户经理",
    )
    team = models.ForeignKey(
        "staff.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="团队",
    )
    client_count = models.PositiveIntegerField("客户数", default=0)
    new_accounts = models.PositiveIntegerField("当月新开户", default=0)
    net_revenue = models.DecimalField("净收入（元）", max_digits=14, decimal_places=2, default=0)
    month_end_assets = models.DecimalField(
        "月末客户资产（元）", max_digits=16, decimal_places=2, default=0
    )
    slips = models.PositiveIntegerField("确认单（有效）", default=0)
    gross_pay = models.DecimalField(
        "应发合计（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    net_pay = models.DecimalField(
        "实发金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "归档客户经理业绩"
        verbose_name_plural = "归档客户经理业绩"
        ordering = ["archive", "team", "manager__employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["archive", "manager"], name="archived_manager_once"),
        ]

    def __str__(self) -> str:
        return f"{self.archive} · {self.manager.name}"


class ArchivedClient(models.Model):
    """A client owned by a manager at the month's end, with the month's CRM figures."""

    archive = models.ForeignKey(
        MonthArchive, on_delete=models.PROTECT, related_name="clients", verbose_name="归档"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="客户经理",
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="+", verbose_name="客户"
    )
    crm_code = models.CharField("客户号", max_length=30)
    name = models.CharField("客户名称", max_length=100)
    new_account = models.BooleanField("当月新开户", default=False)
    net_revenue = models.DecimalField("净收入（元）", max_digits=14, decimal_places=2, default=0)
    month_end_assets = models.DecimalField(
        "月末资产（元）", max_digits=16, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = "归档客户"
        verbose_name_plural = "归档客户"
        ordering = ["archive", "manager", "crm_code"]
        indexes = [
            models.Index(fields=["archive", "manager"], name="archived_client_mgr"),
            models.Index(fields=["crm_code"], name="archived_client_code"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.crm_code}）"


class BundleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A bundle carries its requester's watermark: only he downloads it."""
        if user.is_superuser:
            return self
        return self.filter(requested_by_id=user.pk)


class ArchiveBundle(models.Model):
    """A closed month as one download (zip of PDFs + Excel index), built in a
    background task for the person who asked (his name is on every page)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "生成中"
        READY = "ready", "可下载"
        FAILED = "failed", "生成失败"

    archive = models.ForeignKey(
        MonthArchive, on_delete=models.PROTECT, related_name="bundles", verbose_name="归档"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    files = models.PositiveIntegerField("文件数", default=0)
    attachment = models.OneToOneField(
        "portal.Attachment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="下载包",
    )

    objects = BundleQuerySet.as_manager()

    class Meta:
        verbose_name = "归档下载包"
        verbose_name_plural = "归档下载包"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.archive} 下载包（{self.requested_by.name}）"
