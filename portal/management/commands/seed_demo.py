"""Fills a realistic demo organisation (DESIGN: demo data and measurement)."""

import importlib
import random
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from portal import demo_cache
from portal.demo import DEMO_PASSWORD, SCALES, DemoContext


class Command(BaseCommand):
    help = "生成演示数据：--scale small（make run 使用）或 large（基准测试使用）。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有人员时什么也不做")
        parser.add_argument("--seed", type=int, default=20261127, help="随机数种子")
        parser.add_argument(
            "--cache",
            metavar="DIR",
            help="缓存目录：迁移与演示代码未变时恢复已存副本，否则生成后存入（portal/demo_cache.py）",
        )

    def handle(self, *args, scale, if_empty, seed, cache=None, **options):
        User = get_user_model()
        migrated = User._meta.db_table in connection.introspection.table_names()
        if migrated and User.objects.exists():
            if if_empty:
                self.stdout.write("数据库已有数据，跳过演示数据生成。")
                self.print_logins()
                return
            raise CommandError("数据库中已有人员数据；演示数据只能写入空数据库。")
        started = time.monotonic()
        today = timezone.localdate()
        stored = None
        if cache:
            key = demo_cache.cache_key(scale=scale, seed=seed, today=today)
            stored = demo_cache.cache_path(Path(cache), scale=scale, key=key)
            if stored.exists():
                self.stdout.write(f"恢复已缓存的演示数据（{scale}）：{stored}")
                demo_cache.restore(stored)
                self.stdout.write(
                    self.style.SUCCESS(f"完成，用时 {time.monotonic() - started:.1f} 秒。")
                )
                self.print_logins()
                return
            if not demo_cache.tools_available():
                self.stdout.write("缺少 pg_dump/pg_restore，本次不缓存。")
                stored = None
        if not migrated:
            call_command("migrate", interactive=False, verbosity=0)
        ctx = DemoContext(
            scale=scale,
            today=today,
            rng=random.Random(seed),
            password_hash=make_password(DEMO_PASSWORD, salt="demo-salt-fixed"),
            stdout=self.stdout,
        )
        self.stdout.write(f"生成演示数据（{scale}）……")
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # One long transaction of a few million rows: a page cache large
            # enough for the indexes, and no fsync until the end. (Not when
            # called inside a transaction, as in tests: SQLite refuses it.)
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
                cursor.execute("PRAGMA synchronous = OFF")
        with transaction.atomic():
            for config in apps.get_app_configs():
                if config.name not in settings.INSTALLED_APPS:
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                if hasattr(module, "seed"):
                    app_started = time.monotonic()
                    module.seed(ctx)
                    self.stdout.write(
                        f"  {config.label}：{time.monotonic() - app_started:.1f} 秒", ending="\n"
                    )
                    self.stdout.flush()
        self.stdout.write(self.style.SUCCESS(f"完成，用时 {time.monotonic() - started:.1f} 秒。"))
        if stored is not None:
            demo_cache.store(stored)
            self.stdout.write(f"已缓存：{stored}")
        self.print_logins(ctx)

    def print_logins(self, ctx: DemoContext | None = None) -> None:
        User = get_user_model()
        logins = (
            ctx.logins
            if ctx
            else {
                u.employee_no: (u, u.title)
                for u in User.objects.filter(employee_no__startswith="demo_")
                | User.objects.filter(employee_no="admin")
            }
        )
        if not logins:
            return
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}，仅限演示数据）：")
        for login, (user, description) in sorted(logins.items()):
            self.stdout.write(f"  {login:<16} {user.name:<6} {description}")
        self.stdout.write("登录地址：http://127.0.0.1:8000/accounts/login/\n")
