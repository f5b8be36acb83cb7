"""`seed_demo --cache DIR`: the key, the SQLite copy and the command's use of it."""

import datetime as dt
import io
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from portal import demo_cache
from staff.models import User

TODAY = dt.date(2026, 11, 27)


def test_the_key_covers_every_project_migration_and_demo_module():
    files = {str(p.relative_to(settings.BASE_DIR)) for p in demo_cache._source_files()}
    assert "staff/migrations/0001_initial.py" in files
    assert "clients/demo.py" in files
    assert "attendance/demo/bulk.py" in files  # a demo package counts file by file
    assert "portal/management/commands/seed_demo.py" in files
    assert not any("site-packages" in f for f in files)  # third-party apps do not


def test_the_key_changes_with_scale_seed_month_and_any_source(tmp_path, settings, monkeypatch):
    migration = tmp_path / "app" / "migrations" / "0001_initial.py"
    migration.parent.mkdir(parents=True)
    migration.write_text("operations = []\n")
    settings.BASE_DIR = tmp_path
    monkeypatch.setattr(demo_cache, "_source_files", lambda: [migration])

    key = demo_cache.cache_key(scale="large", seed=1, today=TODAY)
    assert key == demo_cache.cache_key(scale="large", seed=1, today=TODAY + dt.timedelta(days=2))
    assert key != demo_cache.cache_key(scale="small", seed=1, today=TODAY)
    assert key != demo_cache.cache_key(scale="large", seed=2, today=TODAY)
    assert key != demo_cache.cache_key(scale="large", seed=1, today=dt.date(2026, 12, 1))
    migration.write_text("operations = ['AddIndex']\n")
    assert key != demo_cache.cache_key(scale="large", seed=1, today=TODAY)


class _FakeConnection:
    """Just what demo_cache needs from django.db.connection, on a file."""

    vendor = "sqlite"

    def __init__(self, path: Path):
        self.settings_dict = {"NAME": str(path)}

    def close(self):
        pass


def test_a_sqlite_copy_is_stored_and_restored_whole(tmp_path, monkeypatch):
    db = tmp_path / "bench.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
        conn.executemany("INSERT INTO t (name) VALUES (?)", [(f"行{i}",) for i in range(1000)])
    conn.close()
    monkeypatch.setattr(demo_cache, "connection", _FakeConnection(db))
    cache = tmp_path / "cache"
    stale = cache / "demo-large-0000000000000000.sqlite3"
    cache.mkdir()
    stale.write_bytes(b"old")
    stored = demo_cache.cache_path(cache, scale="large", key="abcdef0123456789")

    demo_cache.store(stored)
    assert stored.exists()
    assert not stale.exists()  # older copies of the scale go
    assert not list(cache.glob("*.partial"))

    db.unlink()
    demo_cache.restore(stored)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT count(*), max(name) FROM t").fetchone()
    conn.close()
    assert rows == (1000, "行999")


@pytest.mark.django_db
def test_the_command_restores_a_cached_copy_instead_of_seeding(tmp_path, monkeypatch):
    restored = []
    monkeypatch.setattr(demo_cache, "restore", restored.append)
    monkeypatch.setattr(demo_cache, "store", lambda path: pytest.fail("nothing to store"))
    from django.utils import timezone

    key = demo_cache.cache_key(scale="small", seed=7, today=timezone.localdate())
    copy = demo_cache.cache_path(tmp_path, scale="small", key=key)
    copy.write_bytes(b"copy")
    out = io.StringIO()
    call_command(
        "seed_demo", "--scale", "small", "--seed", "7", "--cache", str(tmp_path), stdout=out
    )
    assert restored == [copy]
    assert "恢复已缓存" in out.getvalue()
    assert not User.objects.exists()  # restore (stubbed here) replaces the seeding


# Storing what the command seeded is checked in test_seed_demo.py, on its
# one seeding of the small demo.
