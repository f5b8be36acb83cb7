"""Querysets whose ``visible_to(user)`` follows the archives' scope rules."""

from __future__ import annotations

from django.db import models


class PersonRecordQuerySet(models.QuerySet):
    """Records of a person's file: scoped by the person's current posting,
    because the file follows the person (see docs/decisions-archives.md)."""

    person_field = "person"

    def visible_to(self, user):
        from archives.permissions import files_q

        return self.filter(files_q(user, prefix=f"{self.person_field}__"))
