"""Recomputes every holding from the ledger and reports any difference
(operations: run after a restore or a manual database repair)."""

from django.core.management.base import BaseCommand, CommandError

from assets.selectors import ledger_discrepancies


class Command(BaseCommand):
    help = "核对实物持有与出入库流水是否一致；不一致时列出差异并以非零状态退出。"

    def handle(self, *args, **options):
        problems = ledger_discrepancies()
        if problems:
            for line in problems[:200]:
                self.stdout.write(line)
            raise CommandError(f"发现 {len(problems)} 处不一致。")
        self.stdout.write(self.style.SUCCESS("实物持有与出入库流水一致。"))
