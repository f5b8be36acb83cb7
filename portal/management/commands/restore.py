"""manage.py restore ARCHIVE: verifies the archive, then brings it back into
an EMPTY installation (database and uploaded files) and compares the row
counts with the manifest (portal.backup)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = "从备份归档恢复到一个空的安装（空数据库、空上传目录）。"

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="backup 生成的 .tar.gz 文件")
        parser.add_argument("--force", action="store_true", help="不再询问确认（用于脚本和演练）")

    def handle(self, *args, archive, force, **options):
        try:
            self.stdout.write(f"校验备份文件 {archive} ……")
            with backup.staged(archive) as stage:
                self.stdout.write("校验通过：\n" + backup.describe(stage.manifest))
                problems = backup.blockers(stage)
                if problems:
                    raise CommandError("不能恢复：\n- " + "\n- ".join(problems))
                if not force:
                    self.confirm()
                report = backup.restore(stage, log=self.stdout.write)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if report.mismatches:
            raise CommandError(
                f"恢复完成，但有 {len(report.mismatches)} 张表的行数与备份清单不一致：\n- "
                + "\n- ".join(report.mismatches)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复完成：{report.tables} 张表共 {report.rows} 行，与备份清单逐表一致；"
                f"上传文件 {report.files} 个。"
            )
        )
        if report.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"备份早于当前程序版本，还有 {len(report.pending_migrations)} 个数据库迁移未执行；"
                    "请运行 manage.py migrate。"
                )
            )

    def confirm(self) -> None:
        if not sys.stdin.isatty():
            raise CommandError("非交互运行时请加 --force 确认恢复。")
        answer = input("将把以上备份写入当前配置的数据库和上传目录。输入 yes 继续：")
        if answer.strip().lower() != "yes":
            raise CommandError("已取消，未做任何改动。")
