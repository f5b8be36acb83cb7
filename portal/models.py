from django.conf import settings
from django.db import models


class ExportLog(models.Model):
    """Every export is logged: who, what, with which filters, how many rows (R-8.6)."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel"
        PDF = "pdf", "PDF"
        CSV = "csv", "CSV"
        OTHER = "other", "其他"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="导出人"
    )
    what = models.CharField("导出内容", max_length=100)
    format = models.CharField("格式", max_length=10, choices=Format.choices)
    filters = models.JSONField("筛选条件", default=dict, blank=True)
    rows = models.PositiveIntegerField("行数", default=0)
    created_at = models.DateTimeField("导出时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "导出记录"
        verbose_name_plural = "导出记录"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} 导出 {self.what}（{self.rows} 行）"
