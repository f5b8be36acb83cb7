"""人员档案 (R-6.3): the documents of a person's file, the recruitment check
of his certificates, and his rewards and penalties."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from archives.models.scoped import PersonRecordQuerySet


class DocumentKind(models.TextChoices):
    PHOTO = "photo", "一寸免冠照片"
    RESUME = "resume", "个人简历"
    ID_COPY = "id_copy", "身份证复印件"
    DIPLOMA = "diploma", "学历证书复印件"
    GUARANTEE = "guarantee", "担保书"
    GUARANTOR_ID = "guarantor_id", "担保人身份证复印件"
    OTHER = "other", "其他材料"


# What every file must hold; the contract or agreement, chosen by
# the employment type, is a Contract with its signed copy.
REQUIRED_DOCUMENTS: tuple[str, ...] = (
    DocumentKind.PHOTO,
    DocumentKind.RESUME,
    DocumentKind.ID_COPY,
    DocumentKind.DIPLOMA,
    DocumentKind.GUARANTEE,
    DocumentKind.GUARANTOR_ID,
)
# Certificates whose genuineness the designated person checks at recruitment.
CERTIFICATES: tuple[str, ...] = (
    DocumentKind.ID_COPY,
    DocumentKind.DIPLOMA,
    DocumentKind.GUARANTOR_ID,
)


class PersonnelFile(models.Model):
    """The paper side of a person's file: where it is kept. Created when
    first needed; the file's contents are the rows that point at the person."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="personnel_file",
        verbose_name="人员",
    )
    paper_location = models.CharField(
        "纸质档案存放位置", max_length=200, blank=True, help_text="如：营业部档案室 2 号柜 3 层"
    )
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="档案变更记录")

    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "人员档案"
        verbose_name_plural = "人员档案"

    def __str__(self) -> str:
        return f"{self.person.name}的人员档案"

    def get_absolute_url(self) -> str:
        return reverse("archives:file_detail", args=[self.person_id])


class FileDocument(models.Model):
    """One document of a file. Replacing a document keeps the old one
    (``replaced_at`` set); the certificate check records who, when, how."""

    class Method(models.TextChoices):
        ORIGINAL = "original", "与原件核对"
        POLICE = "police", "公安身份信息核查"
        CHSI = "chsi", "学信网学历查询"
        PHONE = "phone", "电话/上门核实"
        OTHER = "other", "其他方式"

    class Result(models.TextChoices):
        GENUINE = "genuine", "核验属实"
        FAILED = "failed", "核验不符"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="file_documents",
        verbose_name="人员",
    )
    kind = models.CharField("材料", max_length=20, choices=DocumentKind.choices)
    attachment = models.OneToOneField(
        "portal.Attachment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="文件",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    replaced_at = models.DateTimeField("被替换时间", null=True, blank=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="替换人",
    )
    # The recruitment check: who checked, on which day, how, result.
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核验人",
    )
    verified_on = models.DateField("核验日期", null=True, blank=True)
    verify_method = models.CharField("核验方式", max_length=10, choices=Method.choices, blank=True)
    verify_result = models.CharField("核验结果", max_length=10, choices=Result.choices, blank=True)
    verify_note = models.CharField("核验说明", max_length=200, blank=True)
    history = HistoricalRecords(verbose_name="档案材料变更记录")

    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "档案材料"
        verbose_name_plural = "档案材料"
        ordering = ["person", "kind", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(replaced_at__isnull=True) & ~Q(kind="other"),
                name="file_document_one_current",
            ),
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True)
                | (Q(verified_on__isnull=False) & ~Q(verify_method="") & ~Q(verify_result="")),
                name="file_document_check_complete",
            ),
        ]
        indexes = [models.Index(fields=["person", "kind"], name="file_document_person_kind")]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("archives:file_detail", args=[self.person_id])

    @property
    def needs_check(self) -> bool:
        return self.kind in CERTIFICATES

    @property
    def is_current(self) -> bool:
        return self.replaced_at is None


class RewardPenalty(models.Model):
    """奖惩 (R-6.3), entered by the team leader or the archive clerk. Never
    deleted: a mistaken entry is revoked with a reason."""

    class Kind(models.TextChoices):
        REWARD = "reward", "奖励"
        PENALTY = "penalty", "处罚"

    class Category(models.TextChoices):
        PRAISE = "praise", "通报表扬"
        COMMEND = "commend", "嘉奖"
        MERIT = "merit", "记功"
        BONUS = "bonus", "奖金"
        WARNING = "warning", "警告"
        CRITICISM = "criticism", "通报批评"
        DEMERIT = "demerit", "记过"
        FINE = "fine", "经济处罚"
        OTHER = "other", "其他"

    REWARDS = ("praise", "commend", "merit", "bonus", "other")
    PENALTIES = ("warning", "criticism", "demerit", "fine", "other")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="rewards_penalties",
        verbose_name="人员",
    )
    date = models.DateField("日期")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    category = models.CharField("形式", max_length=12, choices=Category.choices)
    reason = models.TextField("事由")
    decided_by = models.CharField(
        "决定人/决定机构", max_length=100, help_text="如：营业部经理办公会、团队负责人张三"
    )
    amount = models.DecimalField(
        "金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    attachment = models.OneToOneField(
        "portal.Attachment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="附件",
    )
    # Where it happened (the stamp at recording).
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
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="撤销人",
    )
    revoke_reason = models.CharField("撤销原因", max_length=200, blank=True)
    history = HistoricalRecords(verbose_name="奖惩变更记录")

    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "奖惩记录"
        verbose_name_plural = "奖惩记录"
        ordering = ["person", "-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="reward_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.date} {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("archives:file_detail", args=[self.person_id]) + "#rewards"
