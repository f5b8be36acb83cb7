"""Fills a realistic demo organisation (DESIGN: demo data and measurement)."""

import importlib
import random
import time

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from portal.demo import DEMO_PASSWORD, SCALES, DemoContext


class Command(BaseCommand):
    help = "生成演示数据：--scale small（make run 使用）或 large（基准测试使用）。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有人员时什么也不做")
        parser.add_argument("--seed", type=int, default=20261127, help="随机数种子")

    def handle(self, *args, scale, if_empty, seed, **options):
        User = get_user_model()
        if User.objects.exists():
            if if_empty:
                self.stdout.write("数据库已有数据，跳过演示数据生成。")
                self.print_logins()
                return
            raise CommandError("数据库中已有人员数据；演示数据只能写入空数据库。")
        started = time.monotonic()
        ctx = DemoContext(
            scale=scale,
            today=timezone.localdate(),
            rng=random.Random(seed),
            password_hash=make_password(DEMO_PASSWORD, salt="demo-salt-fixed"),
            stdout=self.stdout,
        )
        self.stdout.write(f"生成演示数据（{scale}）……")
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
                    module.seed(ctx)
        self.stdout.write(self.style.SUCCESS(f"完成，用时 {time.monotonic() - started:.1f} 秒。"))
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
