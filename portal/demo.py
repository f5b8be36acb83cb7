"""Shared pieces of the demo-data builder (``manage.py seed_demo``).

Each app that has demo records provides ``<app>/demo.py`` with a
``seed(ctx: DemoContext)`` function; the command calls them in the order of
INSTALLED_APPS, so later chapters find the organisation and clients built
before them in ``ctx``. Everything is drawn from one seeded random generator:
the same scale on the same day gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from portal.identity import id_check_digit

DEMO_PASSWORD = "demo12345"  # noqa: S105 -- documented demo-only password

SCALES = {
    # branches, teams per branch, client managers per team, clients per manager
    "small": {"branches": 2, "teams": 2, "cms": 9, "clients": 12},
    "large": {"branches": 10, "teams": 10, "cms": 15, "clients": 100},
}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "志强",
    "晓东",
    "海燕",
    "雪梅",
    "子涵",
    "浩然",
    "梓轩",
    "宇航",
    "欣怡",
    "思远",
    "佳琪",
    "俊杰",
    "文博",
    "雨桐",
    "嘉怡",
    "晨曦",
    "一鸣",
    "婉婷",
    "振华",
    "立新",
    "光辉",
    "德明",
    "永强",
    "丽华",
    "云飞",
    "卫东",
    "晓燕",
    "慧敏",
    "晓峰",
    "国强",
    "红梅",
    "建国",
    "丹",
    "鹏",
    "辉",
    "婷",
    "玲",
    "斌",
    "波",
    "宁",
    "琳",
    "晶",
    "颖",
    "凯",
    "浩",
    "宇",
    "博",
    "欣",
    "倩",
    "瑞",
    "亮",
    "健",
    "飞",
    "鑫",
    "莉",
    "萍",
    "雷",
    "帆",
    "佳怡",
    "子豪",
    "诗涵",
    "梦琪",
    "家豪",
    "志明",
    "海涛",
    "春燕",
    "文静",
    "思雨",
    "建军",
    "晓丽",
    "明轩",
    "雅琴",
    "国华",
    "秋云",
)
CITIES = (
    ("深圳", "福田", "440304"),
    ("广州", "天河", "440106"),
    ("上海", "浦东", "310115"),
    ("北京", "朝阳", "110105"),
    ("杭州", "西湖", "330106"),
    ("南京", "鼓楼", "320106"),
    ("成都", "锦江", "510104"),
    ("武汉", "江汉", "420103"),
    ("厦门", "思明", "350203"),
    ("长沙", "岳麓", "430104"),
    ("西安", "雁塔", "610113"),
    ("重庆", "渝中", "500103"),
)
COMPANY_WORDS = (
    "华信",
    "新锐",
    "恒通",
    "德昌",
    "金桥",
    "远航",
    "宏达",
    "瑞丰",
    "嘉禾",
    "东方",
    "盛世",
    "安泰",
)
COMPANY_KINDS = ("科技有限公司", "贸易有限公司", "投资管理有限公司", "实业有限公司", "电子有限公司")


@dataclass
class DemoContext:
    scale: str
    today: dt.date
    rng: random.Random
    password_hash: str
    stdout: Any = None
    # What earlier apps built, for later ones: lists and dicts of model objects.
    data: dict[str, Any] = field(default_factory=dict)
    # The documented demo logins: login -> (user, who).
    logins: dict[str, tuple[Any, str]] = field(default_factory=dict)

    @property
    def sizes(self) -> dict[str, int]:
        return SCALES[self.scale]

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    # -- realistic values -------------------------------------------------
    def person_name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def company_name(self, city: str) -> str:
        return f"{city}{self.rng.choice(COMPANY_WORDS)}{self.rng.choice(COMPANY_WORDS)}{self.rng.choice(COMPANY_KINDS)}"

    def id_number(self, region: str, birth: dt.date) -> str:
        body = f"{region}{birth:%Y%m%d}{self.rng.randint(0, 999):03d}"
        return body + id_check_digit(body)

    def bank_account(self) -> str:
        return "6222" + "".join(str(self.rng.randint(0, 9)) for _ in range(15))

    def phone(self) -> str:
        return f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}"

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))


# -- plain-row inserts for the large scale ------------------------------------------------
#
# The large demo writes millions of rows (CRM figures, attendance records,
# clients). Building a model instance per row and letting bulk_create prepare
# every value costs minutes; these helpers take rows as plain tuples already
# in database form, and write them with ``executemany`` (SQLite) or ``COPY``
# (PostgreSQL). Use them only for seeding: no save(), no signals, no
# full_clean() -- the values must be what the services would have written.


def next_pk(model) -> int:
    """The first free primary key, for rows inserted with explicit ids."""
    from django.db.models import Max

    return (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1


def db_datetime(value: dt.datetime) -> Any:
    """A datetime as the backend stores it (naive UTC text on SQLite)."""
    from django.db import connection

    return connection.ops.adapt_datetimefield_value(value)


def insert_rows(
    model,
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    history: tuple[Any, str | None, Any] | None = None,
    chunk: int = 20_000,
) -> int:
    """Inserts ``rows`` (tuples in ``fields`` order: ints, str, bool or None;
    dates as ``isoformat()``, decimals as ``str``, datetimes through
    :func:`db_datetime`) into ``model``'s table and returns how many.

    Every NOT NULL column without a default in the database must be among
    ``fields``. With ``history=(when, reason, user_id)`` each row also gets
    its "created" row in the model's simple-history table (``fields`` must
    then include ``id``; fields the history excludes are left out of it). When ``id`` is given, PostgreSQL's sequence is moved
    past the inserted ids afterwards."""
    from django.core.management.color import no_style
    from django.db import connection

    meta = model._meta
    targets = [(meta.db_table, [meta.get_field(name).column for name in fields])]
    suffix: tuple = ()
    kept: list[int] = []  # positions of the fields the history tracks
    if history is not None:
        hmeta = model.history.model._meta
        tracked = {f.name for f in hmeta.concrete_fields} | {
            f.attname for f in hmeta.concrete_fields
        }
        kept = [i for i, name in enumerate(fields) if name in tracked]
        columns = [hmeta.get_field(fields[i]).column for i in kept]
        columns += [
            hmeta.get_field(name).column
            for name in ("history_date", "history_change_reason", "history_type", "history_user")
        ]
        targets.append((hmeta.db_table, columns))
        when, reason, user_id = history
        suffix = (db_datetime(when), reason, "+", user_id)
    count = 0
    iterator = iter(rows)
    while batch := list(islice(iterator, chunk)):
        count += len(batch)
        for index, (table, columns) in enumerate(targets):
            data = batch if index == 0 else [(*[row[i] for i in kept], *suffix) for row in batch]
            _write(connection, table, columns, data)
    if "id" in fields and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(sql)
    return count


def insert_instances(model, objs: Sequence[Any], *, history: bool = False) -> int:
    """Writes unsaved ``model`` instances through :func:`insert_rows`: the
    instances are built as usual (defaults, ``stamp_from``), then given ids
    from :func:`next_pk` and written as plain rows -- several times faster
    than ``bulk_create`` for a few hundred thousand rows. ``auto_now`` and
    ``auto_now_add`` fields left empty get the current time; with
    ``history`` each row gets its "created" history row, as
    ``bulk_create_with_history`` would write. Many-to-many links are not
    written. Returns how many rows."""
    import json

    from django.db import models as m
    from django.utils import timezone

    if not objs:
        return 0
    now = timezone.now()
    fields = list(model._meta.concrete_fields)

    def converter(f):
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return lambda v: db_datetime(v or now)
        if isinstance(f, m.DateTimeField):
            return lambda v: None if v is None else db_datetime(v)
        if isinstance(f, m.DateField):
            return lambda v: None if v is None else v.isoformat()
        if isinstance(f, m.DecimalField):
            return lambda v: None if v is None else str(v)
        if isinstance(f, m.JSONField):
            return lambda v: None if v is None else json.dumps(v, cls=f.encoder)
        # Text choices are ``str`` subclasses; the drivers want plain values.
        return lambda v: v if v is None or type(v) in (str, int, bool) else str(v)

    convert = [(f.attname, converter(f)) for f in fields]
    start = next_pk(model)
    for offset, obj in enumerate(objs):
        obj.pk = start + offset
    rows = ([c(obj.__dict__[name]) for name, c in convert] for obj in objs)
    count = insert_rows(
        model,
        [f.name if not f.is_relation else f.attname for f in fields],
        rows,
        history=(now, None, None) if history else None,
    )
    for obj in objs:
        obj._state.adding = False
    return count


def _write(connection, table: str, columns: list[str], rows: list[Sequence[Any]]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Only quoted model table and column names: no user input.
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608
