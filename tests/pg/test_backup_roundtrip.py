"""Issue 13, the restore drill on PostgreSQL: data built through the real
services is backed up with ``manage.py backup`` (pg_dump -Fc in one
snapshot), restored by a separate ``manage.py restore`` process into a
fresh database on the same server, and compared table by table — every
table's row count and md5 of its rows as text, the sequences, and the bytes
of every uploaded file. The fresh database is first filled with the backup
of a just-migrated installation, so the restore over "migrated but empty"
(pg_restore --clean) is exercised as well as the one into nothing."""

import datetime as dt
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from attendance.models import LeaveKind
from clients import services as client_services
from portal import backup
from portal.uploads import attach, attachments_of
from staff.models import Role
from tests.attendance.helpers import approved_leave
from tests.portal.test_backup import (
    PDF,
    _pg_url,
    files_under,
    pg_fingerprint,
    read_manifest,
    run_restore,
    target,  # noqa: F401 - the fixture
)
from tests.staff.factories import person, role

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sequences(url: str) -> dict[str, int | None]:
    with psycopg.connect(url) as db:
        return dict(db.execute("SELECT sequencename, last_value FROM pg_sequences").fetchall())


def build_data(org):
    """People, clients, an approved leave and an uploaded attachment."""
    recorder = person(name="甲考勤员", group=org.a2, outlet=org.o1, employee_no="a_rec")
    role(recorder, Role.ATTENDANCE_RECORDER, team=org.team_a)
    client = client_services.create_client(
        actor=org.a_tl,
        name="备份测试客户",
        crm_code="00990001",
        manager=org.a_cm2,
        since=dt.date(2026, 11, 2),
    )
    leave = approved_leave(
        org.a_cm1, LeaveKind.PERSONAL, dt.date(2026, 11, 9), dt.date(2026, 11, 9)
    )
    attach(actor=org.a_cm1, owner=leave, upload=SimpleUploadedFile("病假条.pdf", PDF))
    return client, leave


@pytest.fixture
def migrated_only(tmp_path):
    """A backup of the database as a fresh ``migrate`` leaves it (requested
    before ``org``, so nothing else is in it yet)."""
    return backup.create_backup(output_dir=tmp_path / "empty").path


def test_backup_restores_table_by_table_into_a_fresh_postgresql_database(
    migrated_only,
    org,
    target,  # noqa: F811
    tmp_path,
):
    assert connection.vendor == "postgresql", "run this folder against PostgreSQL"
    assert read_manifest(migrated_only)["tables"]["staff_user"] == 0
    _client, leave = build_data(org)
    archive = backup.create_backup(output_dir=tmp_path / "backups").path
    manifest = read_manifest(archive)
    assert manifest["tables"]["attendance_leaverequest"] == 1
    assert manifest["media"]["files"] == 1

    # Into a database with no tables at all, then over that migrated but
    # empty state (pg_restore --clean replaces it).
    into_nothing = run_restore(migrated_only, target)
    assert into_nothing.returncode == 0, into_nothing.stderr
    over_empty = run_restore(archive, target)
    assert over_empty.returncode == 0, over_empty.stderr
    assert "与备份清单逐表一致" in over_empty.stdout

    source = _pg_url(connection.settings_dict["NAME"])
    original, restored = pg_fingerprint(source), pg_fingerprint(target.url)
    assert len(original) > 100
    assert set(restored) == set(original)
    assert {t: restored[t] for t in original if restored[t] != original[t]} == {}
    assert sequences(target.url) == sequences(source)
    files = files_under(target.media)
    assert files == files_under(Path(settings.MEDIA_ROOT))
    assert files[attachments_of(leave).get().file.name] == PDF

    # Now it holds data: a second restore is refused and changes nothing.
    again = run_restore(archive, target)
    assert again.returncode != 0
    assert "目标数据库不是空的" in again.stderr
    assert pg_fingerprint(target.url) == restored
