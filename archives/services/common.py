"""What every archives service shares: the closed-month guard, safe file
names and attaching an upload to a record."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError

from archives.models import MonthArchive
from portal.uploads import IMAGES_AND_PDF, attach

SUFFIX = {"pdf": "pdf", "png": "png", "jpg": "jpg"}


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def is_month_closed(branch_id: int | None, day: dt.date) -> bool:
    if branch_id is None:
        return False
    return MonthArchive.objects.filter(branch_id=branch_id, month=month_of(day)).exists()


def ensure_month_open(branch_id: int | None, day: dt.date, what: str) -> None:
    """A closed month is read-only (R-6.4): nothing dated in it changes."""
    if is_month_closed(branch_id, day):
        raise ValidationError(f"{day:%Y年%m月}已月度归档，{what}不能再登记或更改。")


def ensure_not_future(day: dt.date, field: str, label: str, today: dt.date) -> None:
    if day > today:
        raise ValidationError({field: f"{label}不能晚于今天。"})


def safe_name(name: str, kind: str) -> str:
    """The name a file is listed and downloaded under: no folders, no
    control characters, no leading dots, and the suffix of what it really is."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name).strip().lstrip(".").strip()
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[:80] or "文件"
    return f"{stem}.{SUFFIX.get(kind, kind)}"


def attach_checked(*, actor, owner, upload, purpose: str):
    """Images and PDF only, checked by content and size (portal.uploads),
    stored under a generated name; the listed name is made safe."""
    from portal.uploads import check_upload

    kind = check_upload(upload, kinds=IMAGES_AND_PDF)
    upload.name = safe_name(upload.name, kind)
    attachment = attach(
        actor=actor, owner=owner, upload=upload, purpose=purpose, kinds=IMAGES_AND_PDF
    )
    # The creation record of the owner's history names the file too.
    type(owner).objects.filter(pk=owner.pk).update(attachment=attachment)
    owner.history.filter(id=owner.pk).update(attachment=attachment)
    owner.attachment = attachment
    return attachment
