"""Demo archives: every branch person's file (most complete, some with
gaps, new hires still onboarding), yearly contract chains with some near
or past their end, rewards and penalties, three months of numbered slips
and the current month's (one voided each month), and one closed month
(DESIGN: demo data). Written in bulk, so ``--scale large`` stays fast."""

from __future__ import annotations

import time

from archives.demo.files import seed_files
from archives.demo.slips import seed_slips
from portal.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    started = time.monotonic()
    files = seed_files(ctx)
    slips = seed_slips(ctx)
    ctx.say(
        f"  档案：{files['people']} 份人员档案（{files['gaps']} 份有缺漏），"
        f"{files['documents']} 份材料，{files['contracts']} 份合同，{files['rewards']} 条奖惩；"
        f"确认单 {slips['slips']} 张（作废 {slips['void']} 张），已归档 {slips['closed']} 个月"
        f"（{time.monotonic() - started:.1f} 秒）"
    )
