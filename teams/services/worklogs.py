"""Work logs and the leader's random spot-checks (R-1.5)."""

from __future__ import annotations

import datetime as dt
import math
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clients.models import Client
from staff.models import Team, User
from teams.models import SpotCheck, SpotCheckItem, Verdict, WorkLog
from teams.permissions import leads
from teams.selectors import sample_logs


@transaction.atomic
def file_work_log(
    *,
    actor: User,
    done: str,
    contacts: str = "",
    plan_tomorrow: str = "",
    clients: list[Client] | None = None,
    on: dt.date | None = None,
) -> WorkLog:
    """Files or amends today's 工作日志. A day's log can be changed only on
    that day; one log per person per day."""
    today = timezone.localdate()
    on = on or today
    if on != today:
        raise ValidationError({"date": "只能填写或修改当天的工作日志。"})
    if actor.team_id is None:
        raise ValidationError("您不属于任何营销团队，无需填写工作日志。")
    if not done.strip():
        raise ValidationError({"done": "请填写今日工作内容。"})
    clients = list(clients or [])
    foreign = [c for c in clients if c.manager_id != actor.pk]
    if foreign:
        raise ValidationError({"clients": "只能选择由您负责的客户。"})
    # Two submissions of the day's first log at once (a double tap): the
    # person's row is locked first, so the second waits and amends the log
    # the first created instead of failing on the one-a-day constraint.
    list(User.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))
    log = WorkLog.objects.select_for_update().filter(person=actor, date=on).first()
    if log is None:
        log = WorkLog(person=actor, date=on)
        log.stamp_from(actor)
    log.done, log.contacts, log.plan_tomorrow = done, contacts, plan_tomorrow
    log.full_clean()
    log._history_user = actor
    log.save()
    if {c.pk for c in clients} != set(log.clients.values_list("pk", flat=True)):
        log.clients.set(clients)
    return log


@transaction.atomic
def draw_spot_check(
    *,
    actor: User,
    team: Team,
    period_start: dt.date,
    period_end: dt.date,
    sample_size: int | None = None,
    sample_percent: int | None = None,
    seed: int | None = None,
    note: str = "",
) -> SpotCheck:
    """抽查: draws a random sample of the period's logs with a stored seed."""
    if not leads(actor, team):
        raise ValidationError("只有团队负责人可以抽查本团队的工作日志。")
    if period_end < period_start:
        raise ValidationError({"period_end": "结束日期不能早于开始日期。"})
    if bool(sample_size) == bool(sample_percent):
        raise ValidationError("请在“抽查份数”和“抽查比例”中填写其一。")
    if sample_percent is not None and not 1 <= sample_percent <= 100:
        raise ValidationError({"sample_percent": "抽查比例应在 1%–100% 之间。"})
    population = WorkLog.objects.filter(
        team=team, date__gte=period_start, date__lte=period_end
    ).count()
    if population == 0:
        raise ValidationError("该期间没有工作日志可供抽查。")
    size = sample_size or math.ceil(population * sample_percent / 100)
    size = min(size, population)
    seed = seed if seed is not None else secrets.randbits(48)
    check = SpotCheck.objects.create(
        team=team,
        branch_id=team.branch_id,
        period_start=period_start,
        period_end=period_end,
        sample_size=sample_size,
        sample_percent=sample_percent,
        seed=seed,
        population=population,
        note=note,
        drawn_by=actor,
    )
    SpotCheckItem.objects.bulk_create(
        [
            SpotCheckItem(spot_check=check, work_log_id=pk)
            for pk in sample_logs(team, period_start, period_end, size, seed)
        ]
    )
    return check


@transaction.atomic
def record_verdict(
    *, actor: User, item: SpotCheckItem, verdict: str, comment: str = ""
) -> SpotCheckItem:
    item = (
        SpotCheckItem.objects.select_for_update().select_related("spot_check__team").get(pk=item.pk)
    )
    if not leads(actor, item.spot_check.team):
        raise ValidationError("只有团队负责人可以记录抽查结论。")
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": "请选择抽查结论。"})
    if verdict != Verdict.GOOD and not comment.strip():
        raise ValidationError({"comment": "结论为“需改进”或“不合格”时请写明点评。"})
    item.verdict, item.comment = verdict, comment
    item.checked_by, item.checked_at = actor, timezone.now()
    item._history_user = actor
    item.save()
    return item
