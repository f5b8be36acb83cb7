"""Data: the official calendar from chinese-calendar, HQ departments, levels."""

from django.db import migrations

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

DEPARTMENTS = [
    ("office", "经纪业务综合室", False),
    ("channel", "渠道管理部", False),
    ("compliance", "合规部", True),
    ("hr", "人力资源部", True),
    ("finance", "财务部", True),
    ("risk", "风险管理部", True),
    ("it", "信息技术部", True),
]

LEVELS = [
    ("L1", "见习客户经理", 1),
    ("L2", "初级客户经理", 2),
    ("L3", "中级客户经理", 3),
    ("L4", "高级客户经理", 4),
    ("L5", "资深客户经理", 5),
]


def seed(apps, schema_editor):
    from chinese_calendar import constants

    CalendarDay = apps.get_model("staff", "CalendarDay")
    CalendarYear = apps.get_model("staff", "CalendarYear")
    Department = apps.get_model("staff", "Department")
    Level = apps.get_model("staff", "Level")

    days = [
        CalendarDay(date=d, kind="holiday", name=HOLIDAY_NAMES_ZH.get(n, n))
        for d, n in constants.holidays.items()
    ] + [
        CalendarDay(date=d, kind="workday", name=f"{HOLIDAY_NAMES_ZH.get(n, n)}调休")
        for d, n in constants.workdays.items()
    ]
    CalendarDay.objects.bulk_create(days, ignore_conflicts=True)
    years = sorted({d.year for d in constants.holidays})
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, source="package", note="chinese-calendar 1.11.0") for y in years],
        ignore_conflicts=True,
    )
    for code, name, countersigns in DEPARTMENTS:
        Department.objects.get_or_create(
            code=code, defaults={"name": name, "countersigns": countersigns}
        )
    for code, name, rank in LEVELS:
        Level.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
