"""Issue 13: ``manage.py backup`` writes one archive (database, uploaded
files, manifest); ``manage.py restore`` brings it back into an empty
installation and refuses anything else.

The restore runs as a separate process pointed at a second, empty
installation (its own DATABASE_URL and PORTAL_MEDIA_ROOT), exactly as an
operator runs it. In the SQLite pass the second database is a new file; in
the PostgreSQL pass (this folder runs there too) a new database on the same
server. tests/pg/test_backup_roundtrip.py adds the full PostgreSQL drill."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from portal import backup
from portal.uploads import attach
from staff.models import Branch, User

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PDF = b"%PDF-1.4\n% minimal test file\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + "身份证正面".encode()


# --------------------------------------------------------------------------
# Helpers shared with tests/pg/test_backup_roundtrip.py


def _pg_url(name: str) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"], safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_url("postgres"), autocommit=True) as admin:
        admin.execute(sql)


@dataclass
class Installation:
    """A second installation: its database URL and media directory."""

    url: str
    media: Path
    sqlite_path: Path | None = None

    def env(self) -> dict[str, str]:
        return {**os.environ, "DATABASE_URL": self.url, "PORTAL_MEDIA_ROOT": str(self.media)}


@pytest.fixture
def target(tmp_path):
    """An empty second installation on the same database vendor."""
    media = tmp_path / "media2"
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield Installation(url=f"sqlite:///{path}", media=media, sqlite_path=path)
        return
    name = f"restore_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield Installation(url=_pg_url(name), media=media)
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_restore(archive: Path, where: Installation) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive), "--force"],
        cwd=settings.BASE_DIR,
        env=where.env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def make_backup(directory: Path, *args: str) -> Path:
    out = io.StringIO()
    call_command("backup", "--output", str(directory), *args, stdout=out)
    return Path(out.getvalue().strip().splitlines()[-1])


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile(backup.MANIFEST))


def sqlite_fingerprint(db: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """Row count and a digest of the sorted rows of every table."""
    tables = backup._sqlite_tables(db.cursor())
    result = {}
    for table in tables:
        rows = db.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608
        digest = hashlib.sha256("\n".join(sorted(map(repr, rows))).encode()).hexdigest()
        result[table] = (len(rows), digest)
    return result


def pg_fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Row count and md5 of the rows as text, table by table."""
    import psycopg

    with psycopg.connect(url) as db:
        db.execute("SET TimeZone = 'UTC'")
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        result = {}
        for table in tables:
            count, digest = db.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) "  # noqa: S608
                f'FROM "{table}" t'
            ).fetchone()
            result[table] = (count, digest)
        return result


def source_fingerprint() -> dict[str, tuple[int, str]]:
    """The fingerprint of the database the tests write to."""
    if connection.vendor == "sqlite":
        db = sqlite3.connect(connection.settings_dict["NAME"], uri=True)
        try:
            return sqlite_fingerprint(db)
        finally:
            db.close()
    return pg_fingerprint(_pg_url(connection.settings_dict["NAME"]))


def target_fingerprint(where: Installation) -> dict[str, tuple[int, str]]:
    if where.sqlite_path:
        db = sqlite3.connect(where.sqlite_path)
        try:
            return sqlite_fingerprint(db)
        finally:
            db.close()
    return pg_fingerprint(where.url)


def files_under(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def rewrite(archive: Path, change) -> None:
    """Rewrites ``archive`` member by member; ``change(name, data)`` returns
    the new (name, data) or None to drop the member."""
    members = []
    with tarfile.open(archive) as tar:
        for info in tar.getmembers():
            changed = change(info.name, tar.extractfile(info).read())
            if changed:
                members.append(changed)
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.fixture
def uploaded(org):
    """Two real attachments on two people, through portal.uploads."""
    return [
        attach(
            actor=org.a_tl,
            owner=org.a_cm1,
            upload=SimpleUploadedFile("劳动合同.pdf", PDF),
        ),
        attach(actor=org.hr1, owner=org.b_cm1, upload=SimpleUploadedFile("id.png", PNG)),
    ]


# --------------------------------------------------------------------------
# Tests


def test_backup_then_restore_gives_the_same_rows_and_files(org, uploaded, target, tmp_path):
    archive = make_backup(tmp_path / "backups")

    assert backup.ARCHIVE_RE.match(archive.name)
    assert archive.stat().st_mode & 0o777 == 0o600
    manifest = read_manifest(archive)
    assert manifest["database"]["vendor"] == connection.vendor
    user_table = User._meta.db_table
    assert manifest["tables"][user_table] == User.objects.count() > 10
    assert "staff.0001_initial" in manifest["migrations"]["applied"]
    assert manifest["media"] == {"files": 2, "bytes": len(PDF) + len(PNG)}
    for item in uploaded:
        member = manifest["members"][f"media/{item.file.name}"]
        assert member == {"size": item.size, "sha256": item.sha256}

    result = run_restore(archive, target)

    assert result.returncode == 0, result.stderr
    assert "与备份清单逐表一致" in result.stdout
    restored = target_fingerprint(target)
    original = source_fingerprint()
    assert set(restored) == set(original)
    assert [t for t in original if restored[t] != original[t]] == []
    assert restored[user_table][0] == User.objects.count()
    assert files_under(target.media) == files_under(Path(settings.MEDIA_ROOT))
    assert files_under(target.media)[uploaded[0].file.name] == PDF


def test_a_freshly_migrated_database_counts_as_empty():
    """Guards SEEDED_TABLES: a new data migration seeding another table must
    be listed there, or an empty installation would refuse every restore."""
    assert backup.in_use() == []

    Branch.objects.create(code="BR99", name="新营业部")

    assert backup.in_use() == ["1 张业务表中有数据（staff_branch）"]


def test_restore_refuses_an_installation_that_has_data(org, uploaded, tmp_path):
    archive = make_backup(tmp_path / "backups")
    before = source_fingerprint()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), "--force", stdout=io.StringIO())

    message = str(refused.value)
    assert "目标数据库不是空的" in message
    assert f"已有 {User.objects.count()} 个用户" in message
    assert "上传文件目录不是空的" in message
    assert source_fingerprint() == before


def test_a_tampered_archive_is_refused_before_anything_is_touched(org, uploaded, tmp_path):
    archive = make_backup(tmp_path / "backups")
    name = f"media/{uploaded[0].file.name}"
    rewrite(archive, lambda n, data: (n, data.replace(b"EOF", b"EOG") if n == name else data))
    before = source_fingerprint(), files_under(Path(settings.MEDIA_ROOT))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), "--force", stdout=io.StringIO())

    assert "备份文件校验失败，已停止，未做任何改动" in str(refused.value)
    assert f"校验和不符：{name}" in str(refused.value)
    assert (source_fingerprint(), files_under(Path(settings.MEDIA_ROOT))) == before
    leftovers = [p.name for p in Path(settings.MEDIA_ROOT).parent.iterdir()]
    assert not [n for n in leftovers if n.startswith(".portal-restore-")]


def test_a_dropped_or_smuggled_member_is_refused(org, uploaded, tmp_path):
    archive = make_backup(tmp_path / "backups")
    dropped = f"media/{uploaded[1].file.name}"
    rewrite(archive, lambda n, data: None if n == dropped else (n, data))

    with pytest.raises(CommandError, match=f"缺少：{dropped}"):
        call_command("restore", str(archive), "--force", stdout=io.StringIO())

    archive = make_backup(tmp_path / "backups")
    raw = archive.read_bytes()
    evil = io.BytesIO()
    with (
        tarfile.open(fileobj=evil, mode="w:gz") as tar,
        tarfile.open(fileobj=io.BytesIO(raw)) as old,
    ):
        for info in old.getmembers():
            tar.addfile(info, old.extractfile(info))
        info = tarfile.TarInfo("../outside.txt")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    archive.write_bytes(evil.getvalue())

    with pytest.raises(CommandError, match="无法解包"):
        call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert not (archive.parent.parent / "outside.txt").exists()

    archive = make_backup(tmp_path / "backups")

    def no_members(name, data):
        if name != backup.MANIFEST:
            return name, data
        manifest = json.loads(data)
        del manifest["members"]
        return name, json.dumps(manifest).encode()

    rewrite(archive, no_members)
    with pytest.raises(CommandError, match="无法确认备份内容"):
        call_command("restore", str(archive), "--force", stdout=io.StringIO())


def test_a_backup_of_the_other_database_vendor_is_refused(org, tmp_path):
    archive = make_backup(tmp_path / "backups")
    mine = backup.DB_MEMBER[connection.vendor]
    other_vendor = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    other = backup.DB_MEMBER[other_vendor]

    def swap(name, data):
        if name == mine:
            return other, data
        if name == backup.MANIFEST:
            manifest = json.loads(data)
            manifest["database"].update(vendor=other_vendor, member=other)
            manifest["members"][other] = manifest["members"].pop(mine)
            return name, json.dumps(manifest).encode()
        return name, data

    rewrite(archive, swap)

    with pytest.raises(CommandError, match="两种数据库之间不能直接恢复"):
        call_command("restore", str(archive), "--force", stdout=io.StringIO())


def test_keep_removes_the_oldest_archives_and_nothing_else(org, tmp_path):
    directory = tmp_path / "backups"
    directory.mkdir()
    old = [
        "portal-20250101-020000.tar.gz",
        "portal-20250102-020000.tar.gz",
        "portal-20250102-020000-2.tar.gz",  # a second backup in the same second
    ]
    for name in old:
        (directory / name).write_bytes(b"old")
    (directory / "README.txt").write_text("不是备份")
    (directory / "portal-copy.tar.gz").write_bytes(b"not ours")

    out = io.StringIO()
    call_command("backup", "--output", str(directory), "--keep", "2", stdout=out)

    newest = Path(out.getvalue().strip().splitlines()[-1])
    assert sorted(p.name for p in directory.iterdir()) == sorted(
        ["portal-20250102-020000-2.tar.gz", newest.name, "README.txt", "portal-copy.tar.gz"]
    )
    assert "按保留策略删除旧备份：portal-20250101-020000.tar.gz" in out.getvalue()
    assert [p.name for p in backup.archives_in(directory)] == [
        "portal-20250102-020000-2.tar.gz",
        newest.name,
    ]

    with pytest.raises(CommandError, match="--keep 至少为 1"):
        call_command("backup", "--output", str(directory), "--keep", "0")
