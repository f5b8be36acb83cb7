"""A cache of seeded demo databases (``seed_demo --cache DIR``).

Seeding the large demo takes minutes; benchmarks and manual checks need it
again and again. After a seed, the database is stored in DIR under a key
made of everything that decides its content: the migrations and demo
modules of every project app, the scale, the random seed and the month (the
demo is dated relative to today; within a month the data stays usable).
When the key is unchanged, the next run restores the copy instead of
seeding: SQLite through its online backup API (``VACUUM INTO`` to store),
PostgreSQL with ``pg_dump -Fc`` / ``pg_restore --clean``.

Any change to a migration or to a ``demo.py`` changes the key, so a stale
copy is never restored; old copies are removed when a new one is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

from portal.backup import BackupError, pg_env, pg_tool

FORMAT = 1  # bump when the cache layout changes


def _source_files() -> list[Path]:
    """Migrations and demo modules of every project app, plus the command."""
    base = Path(settings.BASE_DIR)
    files: list[Path] = [
        base / "portal" / "demo.py",
        base / "portal" / "demo_cache.py",
        base / "portal" / "management" / "commands" / "seed_demo.py",
    ]
    for config in apps.get_app_configs():
        root = Path(config.path)
        if base not in root.parents or "site-packages" in root.parts:
            continue  # Django's and third-party apps (even in .venv) change with requirements.txt
        files += sorted((root / "migrations").glob("*.py"))
        if (root / "demo.py").exists():
            files.append(root / "demo.py")
        files += sorted((root / "demo").glob("*.py"))
    files.append(base / "requirements.txt")
    return sorted(set(files))


def cache_key(*, scale: str, seed: int, today: dt.date) -> str:
    digest = hashlib.sha256(f"{FORMAT}|{scale}|{seed}|{today:%Y-%m}".encode())
    base = Path(settings.BASE_DIR)
    for path in _source_files():
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _vendor() -> str:
    return connection.vendor


def cache_path(directory: Path, *, scale: str, key: str) -> Path:
    suffix = "sqlite3" if _vendor() == "sqlite" else "pgdump"
    return Path(directory) / f"demo-{scale}-{key}.{suffix}"


def store(path: Path) -> None:
    """Writes the current database to ``path`` (through a temporary name,
    so an interrupted store leaves no half copy) and removes older copies
    of the same scale."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    if _vendor() == "sqlite":
        connection.close()
        source = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            source.execute("VACUUM INTO ?", (str(partial),))
        finally:
            source.close()
    elif _vendor() == "postgresql":
        env = pg_env(connection.settings_dict)
        subprocess.run(  # noqa: S603 -- fixed program, arguments from settings
            [
                pg_tool("pg_dump"),
                "-Fc",
                "--no-owner",
                "-f",
                str(partial),
                connection.settings_dict["NAME"],
            ],
            check=True,
            env=env,
        )
    else:
        raise ValueError(f"演示数据缓存只支持 SQLite 和 PostgreSQL，当前为 {connection.vendor}。")
    os.replace(partial, path)
    prefix = path.name.split("-")[:2]
    for old in path.parent.glob(f"{'-'.join(prefix)}-*"):
        if old != path and old.suffix == path.suffix:
            old.unlink(missing_ok=True)


def restore(path: Path) -> None:
    """Replaces the (empty) database's content with the stored copy."""
    connection.close()
    if _vendor() == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    elif _vendor() == "postgresql":
        env = pg_env(connection.settings_dict)
        jobs = str(max(1, min(4, os.cpu_count() or 1)))
        subprocess.run(  # noqa: S603 -- fixed program, arguments from settings
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "-j",
                jobs,
                "-d",
                connection.settings_dict["NAME"],
                str(path),
            ],
            check=True,
            env=env,
        )
    else:
        raise ValueError(f"演示数据缓存只支持 SQLite 和 PostgreSQL，当前为 {connection.vendor}。")


def tools_available() -> bool:
    """Whether this database can be cached: SQLite always, PostgreSQL when
    its client tools are installed, anything else never (seeded uncached)."""
    if _vendor() == "sqlite":
        return True
    if _vendor() != "postgresql":
        return False
    try:
        pg_tool("pg_dump")
        pg_tool("pg_restore")
    except BackupError:
        return False
    return True
