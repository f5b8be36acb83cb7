"""``manage.py send_reminders``: tells each person what is due (R-8.4).

Run daily by cron in the afternoon (see README). Each chapter registers its
sources with ``portal.registry.register_reminder``; every reminder carries a
key, and a person already told with that key is not told again, so running
the command twice (or on two app servers at once) sends nothing twice."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from approvals.notify import notify
from portal.registry import reminder_sources

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "发送到期提醒（每日由 cron 运行；重复运行不会重复发送）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算到期事项（YYYY-MM-DD），默认今天")
        parser.add_argument(
            "--only", action="append", default=[], metavar="CODE", help="只运行这些提醒来源"
        )
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的提醒")

    def handle(self, *args, date=None, only=(), dry_run=False, **options):
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"日期格式不正确：{date}（应为 YYYY-MM-DD）") from exc
        sources = reminder_sources()
        unknown = set(only) - set(sources)
        if unknown:
            raise CommandError(f"没有这些提醒来源：{'、'.join(sorted(unknown))}")
        failed = []
        total = 0
        for code, source in sources.items():
            if only and code not in only:
                continue
            try:
                sent = self._run(source, today, dry_run)
            except Exception:  # one broken source must not stop the others
                logger.exception("reminder source %s failed", code)
                failed.append(code)
                self.stderr.write(f"{code}：出错，详见日志")
                continue
            total += sent
            self.stdout.write(f"{code}：{'将发送' if dry_run else '已发送'} {sent} 条")
        self.stdout.write(f"合计 {total} 条（{today:%Y-%m-%d}）")
        if failed:
            raise CommandError(f"以下提醒来源出错：{'、'.join(failed)}")

    @staticmethod
    def _run(source, today: dt.date, dry_run: bool) -> int:
        sent = 0
        with transaction.atomic():
            for reminder in source(today):
                if dry_run:
                    sent += len(reminder.users)
                    continue
                sent += len(
                    notify(
                        reminder.users,
                        title=reminder.title,
                        body=reminder.body,
                        url=reminder.url,
                        dedup_key=reminder.key,
                    )
                )
        return sent
