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
from dataclasses import dataclass, field
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
        return (
            "1" + self.rng.choice("3589") + "".join(str(self.rng.randint(0, 9)) for _ in range(9))
        )

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))
