"""Backup and restore (issue 13): one archive holds a consistent dump of the
database, the uploaded files and a manifest; a restore brings it back into an
empty installation, all or nothing where the database allows it.

Archive ``portal-YYYYmmdd-HHMMSS.tar.gz``::

    database.sqlite3 | database.pgdump   the database (SQLite online backup / pg_dump -Fc)
    media/...                           every file under MEDIA_ROOT
    manifest.json                       written last: created at, versions,
                                        migrations, row counts, sha256 of
                                        every other member

The database is dumped before the files are read: a file uploaded in
between is an unreferenced extra, never a row pointing at a missing file.
The management commands ``backup`` and ``restore`` are thin wrappers.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
ARCHIVE_RE = re.compile(r"^portal-(\d{8}-\d{6})(?:-(\d+))?\.tar\.gz$")

# Tables a fresh ``migrate`` fills (reference data from data migrations and
# Django's own bookkeeping). Rows there do not make an installation "in use";
# tests/portal/test_backup.py fails if a new data migration seeds a table
# that is missing here.
SEEDED_TABLES = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "staff_calendarday",
        "staff_calendaryear",
        "staff_department",
        "staff_level",
        "approvals_flow",
        "approvals_flowstep",
        "approvals_flowstep_departments",
        "assets_category",
        "attendance_annualleavetier",
        "attendance_leavepolicy",
        "clients_clienttier",
        "payroll_dutyitem",
        "payroll_scoreband",
        "payroll_evaluationband",
        "payroll_levelrule",
        "visits_visitsettings",
    }
)

Log = Callable[[str], None]


class BackupError(Exception):
    """A refusal or failure with a message for the operator (Chinese)."""


def _quiet(_message: str) -> None:
    pass


def default_dir() -> Path:
    return Path(
        getattr(settings, "PORTAL_BACKUP_DIR", None)
        or os.environ.get("PORTAL_BACKUP_DIR")
        or Path(settings.BASE_DIR) / "var" / "backups"
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"  # pragma: no cover


# --------------------------------------------------------------------------
# PostgreSQL tools


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: from PORTAL_PG_BIN, else PATH, else the newest
    Debian cluster binaries."""
    configured = os.environ.get("PORTAL_PG_BIN")
    if configured:
        return str(Path(configured) / name)
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if candidates:
        return str(candidates[-1])
    raise BackupError(f"找不到 {name}，请安装 PostgreSQL 客户端（postgresql-client）。")


def pg_env(settings_dict: dict) -> dict[str, str]:
    """Connection parameters as libpq environment variables: the password
    never appears on a command line (visible to every user in ``ps``)."""
    _args, extra = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(extra or {})}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise BackupError(f"{what}失败（退出码 {result.returncode}）：\n{detail}")


# --------------------------------------------------------------------------
# Reading a database


def _count_rows(cursor, tables: list[str], quote: Callable[[str], str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - introspected names
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied(cursor, tables: list[str]) -> list[str]:
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _sqlite_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [row[0] for row in cursor.fetchall()]


def _quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --------------------------------------------------------------------------
# Backup


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def _dump_sqlite(connection, target: Path) -> tuple[dict[str, int], list[str], str]:
    """Online backup API: a consistent copy even while others write."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        tables = _sqlite_tables(cursor)
        counts = _count_rows(cursor, tables, _quote_sqlite)
        applied = _applied(cursor, tables)
    finally:
        copy.close()
    return counts, applied, sqlite3.sqlite_version


def _dump_postgresql(connection, target: Path) -> tuple[dict[str, int], list[str], str]:
    """pg_dump -Fc inside an exported snapshot; the row counts and the
    migration state are read in the very same snapshot."""
    if connection.in_atomic_block:
        raise BackupError("备份不能在事务中运行。")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(
                [
                    pg_tool("pg_dump"),
                    "--format=custom",
                    "--compress=0",  # the archive is gzipped once, as a whole
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                pg_env(connection.settings_dict),
                "pg_dump 导出数据库",
            )
            tables = connection.introspection.table_names(cursor)
            counts = _count_rows(cursor, tables, connection.ops.quote_name)
            applied = _applied(cursor, tables)
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        finally:
            cursor.execute("COMMIT")
    return counts, applied, version


def _media_files(media_root: Path, skip: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    skip = skip.resolve()
    files = []
    for path in sorted(media_root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        if path.resolve().is_relative_to(skip):
            continue  # never archive the archives (backup dir inside MEDIA_ROOT)
        files.append(path)
    return files


class _Hashing(io.RawIOBase):
    """Reads a file for tarfile while hashing it: one pass per file."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.handle.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def _archive_name(output_dir: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = output_dir / f"portal-{stamp}.tar.gz"
    n = 2
    while path.exists():
        path = output_dir / f"portal-{stamp}-{n}.tar.gz"
        n += 1
    return path


def create_backup(
    *, output_dir: Path | None = None, using: str = "default", log: Log = _quiet
) -> BackupResult:
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DB_MEMBER:
        raise BackupError(f"不支持的数据库类型：{vendor}（仅支持 SQLite 和 PostgreSQL）。")
    output_dir = Path(output_dir or default_dir())
    output_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    media_root = Path(settings.MEDIA_ROOT)
    created_at = timezone.now()
    with tempfile.TemporaryDirectory(prefix=".portal-backup-", dir=output_dir) as tmp:
        work = Path(tmp)
        db_file = work / DB_MEMBER[vendor]
        log(f"导出数据库（{VENDOR_LABEL[vendor]}）……")
        dump = _dump_sqlite if vendor == "sqlite" else _dump_postgresql
        counts, applied, server_version = dump(connection, db_file)
        members = {DB_MEMBER[vendor]: {"size": db_file.stat().st_size, "sha256": _sha256(db_file)}}

        files = _media_files(media_root, skip=output_dir)
        log(f"打包上传文件 {len(files)} 个……")
        partial = work / "archive.tar.gz"
        media_bytes = 0
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            tar.add(db_file, arcname=DB_MEMBER[vendor])
            for path in files:
                name = f"{MEDIA}/{path.relative_to(media_root).as_posix()}"
                info = tar.gettarinfo(path, arcname=name)
                with path.open("rb") as handle:
                    reader = _Hashing(handle)
                    tar.addfile(info, io.BufferedReader(reader))
                members[name] = {"size": info.size, "sha256": reader.digest.hexdigest()}
                media_bytes += info.size
            latest: dict[str, str] = {}
            for entry in applied:
                app, name = entry.split(".", 1)
                latest[app] = max(latest.get(app, ""), name)
            manifest = {
                "format": FORMAT,
                "application": "客户经理工作平台",
                "created_at": created_at.isoformat(),
                "created_at_local": timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M:%S"),
                "host": platform.node(),
                "django": django.get_version(),
                "python": platform.python_version(),
                "database": {
                    "vendor": vendor,
                    "server_version": server_version,
                    "member": DB_MEMBER[vendor],
                },
                "migrations": {"applied": applied, "latest": dict(sorted(latest.items()))},
                "tables": counts,
                "media": {"files": len(files), "bytes": media_bytes},
                "members": members,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(created_at.timestamp())
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(data))
        os.chmod(partial, 0o600)  # personal data: ID and bank card numbers
        final = _archive_name(output_dir)
        os.replace(partial, final)  # atomic: no half-written archive is ever listed
    log(
        f"备份完成：{final}（{_size(final.stat().st_size)}；{len(counts)} 张表，"
        f"{sum(counts.values())} 行；上传文件 {len(files)} 个，{_size(media_bytes)}）"
    )
    return BackupResult(path=final, manifest=manifest)


def archives_in(directory: Path) -> list[Path]:
    """The portal archives in ``directory``, oldest first (by the name's stamp)."""
    found = []
    for path in Path(directory).iterdir():
        match = ARCHIVE_RE.match(path.name)
        if match and path.is_file():
            found.append(((match.group(1), int(match.group(2) or 1)), path))
    return [path for _key, path in sorted(found)]


def prune(directory: Path, keep: int) -> list[Path]:
    """Deletes all but the ``keep`` newest archives; other files are left alone."""
    if keep < 1:
        raise BackupError("--keep 至少为 1。")
    doomed = archives_in(directory)[:-keep]
    for path in doomed:
        path.unlink()
    return doomed


# --------------------------------------------------------------------------
# Restore


@dataclass
class Staged:
    """An archive extracted to a temporary directory and verified."""

    archive: Path
    root: Path
    manifest: dict

    @property
    def vendor(self) -> str:
        return self.manifest["database"]["vendor"]

    @property
    def database_file(self) -> Path:
        return self.root / self.manifest["database"]["member"]

    @property
    def media_dir(self) -> Path:
        return self.root / MEDIA


def _extract(archive: Path, root: Path) -> None:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                if not (member.isfile() or member.isdir()):
                    raise BackupError(f"备份文件中有不应出现的条目：{member.name}")
            # "data" refuses absolute paths, "..", links outside and devices.
            tar.extractall(root, filter="data")
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, BackupError):
            raise
        raise BackupError(f"备份文件无法解包（已损坏或不是本系统的备份）：{exc}") from exc


def _verify(root: Path) -> dict:
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError("备份文件中缺少清单 manifest.json 或清单无法读取。") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("不认识的备份格式（manifest.json 的 format 不是 1）。")
    try:
        vendor = manifest["database"]["vendor"]
        complete = manifest["database"]["member"] == DB_MEMBER.get(vendor) and all(
            isinstance(manifest[key], dict) for key in ("members", "tables", "media")
        )
        expected = {name: (m["size"], m["sha256"]) for name, m in manifest["members"].items()}
        complete = complete and isinstance(manifest["migrations"]["applied"], list)
    except (KeyError, TypeError, AttributeError):
        complete = False
    if not complete:
        raise BackupError("备份清单 manifest.json 不完整，无法确认备份内容。")
    present = {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}
    present.discard(MANIFEST)
    problems = []
    for name in sorted(set(expected) - present):
        problems.append(f"缺少：{name}")
    for name in sorted(present - set(expected)):
        problems.append(f"清单外的文件：{name}")
    for name in sorted(set(expected) & present):
        path = root / name
        size, digest = expected[name]
        if path.stat().st_size != size or _sha256(path) != digest:
            problems.append(f"校验和不符：{name}")
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ……共 {len(problems)} 处" if len(problems) > 20 else ""
        raise BackupError(f"备份文件校验失败，已停止，未做任何改动：\n  {shown}{more}")
    return manifest


@contextlib.contextmanager
def staged(archive: Path, *, work_parent: Path | None = None) -> Iterator[Staged]:
    """Extracts ``archive`` beside MEDIA_ROOT (the same file system, so the
    files move into place by a rename) and verifies every checksum."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"找不到备份文件：{archive}")
    parent = Path(work_parent or Path(settings.MEDIA_ROOT).parent)
    parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".portal-restore-", dir=parent) as tmp:
        root = Path(tmp)
        _extract(archive, root)
        yield Staged(archive=archive, root=root, manifest=_verify(root))


def _model_tables() -> set[str]:
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    return tables


def in_use(using: str = "default") -> list[str]:
    """Why the database is not empty: users, or rows in any model table that
    a fresh ``migrate`` leaves empty. A migrated or completely empty database
    gives []."""
    connection = connections[using]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        user_table = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
        reasons = []
        if user_table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(user_table)}")  # noqa: S608
            users = cursor.fetchone()[0]
            if users:
                reasons.append(f"已有 {users} 个用户")
        busy = []
        for table in sorted((_model_tables() & existing) - SEEDED_TABLES - {user_table}):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                busy.append(table)
        if busy:
            shown = "、".join(busy[:8]) + ("等" if len(busy) > 8 else "")
            reasons.append(f"{len(busy)} 张业务表中有数据（{shown}）")
    return reasons


def _media_in_use(media_root: Path) -> bool:
    return media_root.exists() and (not media_root.is_dir() or any(media_root.iterdir()))


def _known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    for migration in loader.disk_migrations.values():
        known.update(f"{app}.{name}" for app, name in migration.replaces)
    return known


def blockers(stage: Staged, *, using: str = "default") -> list[str]:
    """Every reason not to restore ``stage`` here; [] means go."""
    connection = connections[using]
    reasons = []
    if stage.vendor != connection.vendor:
        reasons.append(
            f"这是 {VENDOR_LABEL.get(stage.vendor, stage.vendor)} 数据库的备份，而本机配置的是 "
            f"{VENDOR_LABEL.get(connection.vendor, connection.vendor)}（DATABASE_URL）；"
            "两种数据库之间不能直接恢复。"
        )
        return reasons
    unknown = sorted(set(stage.manifest["migrations"]["applied"]) - _known_migrations())
    if unknown:
        reasons.append(
            "备份来自更新版本的程序（本程序不认识这些数据库迁移："
            + "、".join(unknown[:5])
            + ("等" if len(unknown) > 5 else "")
            + "）；请先部署与备份相同或更新的版本。"
        )
    data = in_use(using)
    if data:
        reasons.append(
            "目标数据库不是空的（" + "；".join(data) + "）。恢复只写入空的安装，"
            "不会覆盖现有数据；请换一个新建的空数据库。"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            existing = set(connection.introspection.table_names(cursor))
        extra = sorted(existing - set(stage.manifest["tables"]))
        if extra:
            reasons.append(
                "目标数据库中有备份里没有的表（"
                + "、".join(extra[:5])
                + ("等" if len(extra) > 5 else "")
                + "），可能已迁移到更新的版本；请使用新建的空数据库。"
            )
    media_root = Path(settings.MEDIA_ROOT)
    if _media_in_use(media_root):
        reasons.append(f"上传文件目录不是空的：{media_root}；请换一个空目录（PORTAL_MEDIA_ROOT）。")
    return reasons


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    mismatches: list[str] = field(default_factory=list)
    pending_migrations: list[str] = field(default_factory=list)


def _restore_sqlite(stage: Staged, connection) -> None:
    """Copies the dump into the configured database with the backup API: the
    destination is replaced in one write transaction (a failure leaves it
    as it was), and WAL/locking are handled by SQLite itself."""
    source = sqlite3.connect(stage.database_file)
    try:
        check = source.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"备份中的 SQLite 数据库损坏：{check}")
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgresql(stage: Staged, connection) -> None:
    settings_dict = dict(connection.settings_dict)
    connections.close_all()
    _run(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",  # all or nothing
            "--exit-on-error",
            f"--dbname={settings_dict['NAME']}",
            str(stage.database_file),
        ],
        pg_env(settings_dict),
        "pg_restore 恢复数据库",
    )


def restore(stage: Staged, *, using: str = "default", log: Log = _quiet) -> RestoreReport:
    """Restores a verified stage; call :func:`blockers` first."""
    connection = connections[using]
    log(f"恢复数据库（{VENDOR_LABEL[stage.vendor]}）……")
    if stage.vendor == "sqlite":
        _restore_sqlite(stage, connection)
    else:
        _restore_postgresql(stage, connection)

    media_root = Path(settings.MEDIA_ROOT)
    files = stage.manifest["media"]["files"]
    log(f"恢复上传文件 {files} 个……")
    if media_root.is_dir():
        media_root.rmdir()  # empty, checked by blockers()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    if stage.media_dir.is_dir():
        os.replace(stage.media_dir, media_root)
    else:
        media_root.mkdir()

    log("核对各表行数……")
    report = RestoreReport(files=files)
    connection = connections[using]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        expected = stage.manifest["tables"]
        counts = _count_rows(cursor, sorted(existing & set(expected)), connection.ops.quote_name)
    for table, rows in sorted(expected.items()):
        if table not in counts:
            report.mismatches.append(f"{table}：恢复后不存在（备份中 {rows} 行）")
        elif counts[table] != rows:
            report.mismatches.append(f"{table}：备份 {rows} 行，恢复后 {counts[table]} 行")
    report.tables = len(counts)
    report.rows = sum(counts.values())
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    report.pending_migrations = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
    return report


def describe(manifest: dict) -> str:
    """A few lines about an archive, for the operator before restoring."""
    tables = manifest["tables"]
    return (
        f"  备份时间：{manifest['created_at_local']}（{manifest['host']}）\n"
        f"  数据库：{VENDOR_LABEL[manifest['database']['vendor']]} "
        f"{manifest['database']['server_version']}，{len(tables)} 张表，"
        f"{sum(tables.values())} 行\n"
        f"  上传文件：{manifest['media']['files']} 个，{_size(manifest['media']['bytes'])}\n"
        f"  程序：Django {manifest['django']}，迁移 {len(manifest['migrations']['applied'])} 个"
    )
