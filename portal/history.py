"""变更记录: who changed what and when, read from django-simple-history (R-8.2)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import models
from django.utils import timezone

SKIP_FIELDS = {"password", "last_login"}


def _display(field: models.Field, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        obj = related.get((field.related_model, value))
        return str(obj) if obj is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def change_log(obj, limit: int = 50) -> list[dict]:
    """The object's history, newest first, each entry with its field changes.

    Two queries for the history plus one per related model that changed,
    whatever the number of entries."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    model = type(obj)
    entries = []
    pending_related: dict = defaultdict(set)
    raw = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(raw) == limit:
            break
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            for change in delta.changes:
                if change.field in SKIP_FIELDS:
                    continue
                field = model._meta.get_field(change.field)
                if field.is_relation:
                    for v in (change.old, change.new):
                        if v is not None:
                            pending_related[field.related_model].add(v)
                changes.append((field, change.old, change.new))
        raw.append((newer, changes))
    related = {}
    for rel_model, ids in pending_related.items():
        for item in rel_model._default_manager.filter(pk__in=ids):
            related[(rel_model, item.pk)] = item
    for record, changes in raw:
        if record.history_type == "~" and not changes and not record.history_change_reason:
            continue  # a save that changed nothing shown (e.g. the last-login stamp)
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "kind": {"+": "创建", "~": "修改", "-": "删除"}[record.history_type],
                "reason": record.history_change_reason or "",
                "changes": [
                    (
                        str(field.verbose_name),
                        _display(field, old, related),
                        _display(field, new, related),
                    )
                    for field, old, new in changes
                ],
            }
        )
    return entries
