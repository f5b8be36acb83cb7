from django.conf import settings
from django.db import models


class ExportLog(models.Model):
    """Every export is logged: who, what, with which filters, how many rows (R-8.6)."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel"
        PDF = "pdf", "PDF"
        CSV = "csv", "CSV"
        FILE = "file", "附件下载"
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


def _attachment_path(instance, filename: str) -> str:
    import uuid

    from django.utils import timezone

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{instance.content_type.app_label}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class Attachment(models.Model):
    """An uploaded file belonging to any record. Stored outside the static
    root; downloaded only through a view that checks the owner is visible."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, verbose_name="所属类型"
    )
    object_id = models.PositiveBigIntegerField("所属记录")
    purpose = models.CharField("用途", max_length=40, blank=True)
    file = models.FileField("文件", upload_to=_attachment_path, max_length=300)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    kind = models.CharField("类型", max_length=10)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_owner")]

    def __str__(self) -> str:
        return self.original_name


def _import_path(instance, filename: str) -> str:
    import uuid

    from django.utils import timezone

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"imports/{instance.kind}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class ImportBatch(models.Model):
    """An uploaded import file: previewed, then committed all-or-nothing.
    The original file is kept."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "待确认"
        COMMITTED = "committed", "已导入"
        CANCELLED = "cancelled", "已放弃"

    kind = models.CharField("导入类型", max_length=30)
    context = models.JSONField("参数", default=dict, blank=True)
    file = models.FileField("原始文件", upload_to=_import_path, max_length=300)
    original_name = models.CharField("原文件名", max_length=200)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    row_count = models.PositiveIntegerField("数据行数", default=0)
    problems = models.JSONField("问题", default=list, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    committed_at = models.DateTimeField("导入时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name}"


def _job_path(instance, filename: str) -> str:
    from django.utils import timezone

    return f"jobs/{timezone.localdate():%Y/%m}/{instance.pk}-{filename}"


class BackgroundJob(models.Model):
    """Work too long for a request — a large export, a large import — run by
    ``manage.py db_worker``; the user follows its progress and is told when
    it is done (issue 13)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=30)
    title = models.CharField("名称", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发起人"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    result_url = models.CharField("结果链接", max_length=300, blank=True)
    file = models.FileField("结果文件", upload_to=_job_path, max_length=300, blank=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_created")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("job_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        return int(self.done * 100 / self.total) if self.total else None
