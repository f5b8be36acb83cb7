"""Uploads: type checked by content (not by name), size capped, stored
outside the static root, downloaded only through ``portal.views.download``
after the owner's ``visible_to(user)`` admits the user, and logged."""

from __future__ import annotations

import hashlib
import zipfile

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from portal.models import Attachment

KIND_LABELS = {
    "pdf": "PDF",
    "png": "PNG 图片",
    "jpg": "JPEG 图片",
    "docx": "Word 文档",
    "xlsx": "Excel 表格",
}
DOCUMENTS = ("pdf", "png", "jpg", "docx", "xlsx")
IMAGES_AND_PDF = ("pdf", "png", "jpg")


def sniff(head: bytes, upload) -> str | None:
    """The file's real type from its first bytes (and, for Office files, its zip directory)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            upload.seek(0)
            names = set(zipfile.ZipFile(upload).namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


def check_upload(upload, *, kinds: tuple[str, ...] = DOCUMENTS) -> str:
    limit = settings.PORTAL_UPLOAD_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            f"文件“{upload.name}”超过 {settings.PORTAL_UPLOAD_MAX_MB} MB，请压缩后再上传。"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head, upload)
    if kind not in kinds:
        allowed = "、".join(KIND_LABELS[k] for k in kinds)
        raise ValidationError(f"文件“{upload.name}”的内容不是允许的类型（允许：{allowed}）。")
    return kind


def attach(
    *, actor, owner, upload, purpose: str = "", kinds: tuple[str, ...] = DOCUMENTS
) -> Attachment:
    """Checks and stores an upload for ``owner``. Call inside the owner's
    service transaction."""
    kind = check_upload(upload, kinds=kinds)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    item = Attachment(
        content_type=ContentType.objects.get_for_model(owner),
        object_id=owner.pk,
        purpose=purpose,
        original_name=upload.name[:200],
        size=upload.size,
        kind=kind,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    item.file.save(upload.name, upload, save=False)
    item.save()
    return item


def attachments_of(owner, purpose: str | None = None) -> QuerySet[Attachment]:
    queryset = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(owner), object_id=owner.pk
    ).select_related("uploaded_by")
    if purpose is not None:
        queryset = queryset.filter(purpose=purpose)
    return queryset
