"""manage.py backup: one archive with the database, the uploaded files and a
manifest (portal.backup); ``--keep N`` keeps only the N newest archives."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个归档文件（默认目录 var/backups）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="备份目录（默认 PORTAL_BACKUP_DIR 或 var/backups）"
        )
        parser.add_argument("--keep", type=int, help="只保留该目录中最新的 N 个备份，删除更早的")

    def handle(self, *args, output, keep, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep 至少为 1。")
        try:
            result = backup.create_backup(output_dir=output, log=self.stdout.write)
            removed = backup.prune(result.path.parent, keep) if keep else []
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        for path in removed:
            self.stdout.write(f"按保留策略删除旧备份：{path.name}")
        self.stdout.write(self.style.SUCCESS(str(result.path)))
