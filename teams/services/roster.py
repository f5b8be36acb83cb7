"""Roster import: a team's people from Excel, previewed with each row's
problems, created all-or-nothing with temporary passwords (R-1.7)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.identity import validate_bank_account, validate_id_number
from portal.imports import Field, Problem, UnreadableFile, parse_table, read_rows
from portal.models import ImportBatch
from staff.models import Group, Level, Outlet, Team, User
from teams.permissions import manages
from teams.services.organisation import temporary_password

KIND = "roster"
EMPLOYMENT = {
    "全职": User.EmploymentType.FULL_TIME,
    "证券经纪人": User.EmploymentType.PART_TIME,
    "兼职": User.EmploymentType.PART_TIME,
}
ROSTER_FIELDS = [
    Field("employee_no", "工号", example="0100088", width=12),
    Field("name", "姓名", example="张晓明", width=10),
    Field("phone", "手机号", required=False, example="13812345678", width=14),
    Field("id_number", "身份证号", required=False, example="440304199001011234", width=22),
    Field("group", "小组", required=False, example="第一小组", width=10),
    Field("outlet", "网点代码", required=False, example="BR01-01", width=12),
    Field("level", "级别", required=False, example="初级客户经理", width=14),
    Field(
        "employment_type", "用工类型", kind="choice", choices=EMPLOYMENT, example="全职", width=12
    ),
    Field("hired_on", "入职日期", kind="date", example="2026-12-01", width=12),
    Field("bank_account", "工资卡号", required=False, example="6222020200112233445", width=22),
    Field("bank_name", "工资卡开户行", required=False, example="中国工商银行", width=16),
    Field("sac_no", "执业登记编号", required=False, width=16),
    Field("sac_expires_on", "执业登记有效期至", required=False, kind="date", width=14),
]


def _validate(team: Team, records: list[dict]) -> list[Problem]:
    problems: list[Problem] = []
    groups = {g.name: g for g in Group.objects.filter(team=team)}
    outlets = {o.code: o for o in Outlet.objects.filter(branch_id=team.branch_id)}
    levels = {lv.name: lv for lv in Level.objects.all()} | {
        lv.code: lv for lv in Level.objects.all()
    }
    numbers = [r["employee_no"] for r in records if r.get("employee_no")]
    taken = set(User.objects.filter(employee_no__in=numbers).values_list("employee_no", flat=True))
    seen: dict[str, int] = {}
    for r in records:
        row = r["_row"]
        number = r.get("employee_no")
        if number:
            if not number.replace("_", "").isalnum():
                problems.append(Problem(row, "工号", f"“{number}”只能包含字母、数字和下划线"))
            elif number in taken:
                problems.append(Problem(row, "工号", f"“{number}”已被使用"))
            elif number in seen:
                problems.append(Problem(row, "工号", f"“{number}”与第 {seen[number]} 行重复"))
            seen.setdefault(number, row)
        for key, header, check in (
            ("id_number", "身份证号", validate_id_number),
            ("bank_account", "工资卡号", validate_bank_account),
        ):
            if r.get(key):
                try:
                    check(r[key])
                except ValidationError as exc:
                    problems.append(Problem(row, header, exc.messages[0]))
        if r.get("group") and r["group"] not in groups:
            problems.append(Problem(row, "小组", f"本团队没有“{r['group']}”"))
        if r.get("outlet") and r["outlet"] not in outlets:
            problems.append(Problem(row, "网点代码", f"本营业部没有网点“{r['outlet']}”"))
        if r.get("level") and r["level"] not in levels:
            problems.append(Problem(row, "级别", f"没有级别“{r['level']}”"))
        r["_group"] = groups.get(r.get("group") or "")
        r["_outlet"] = outlets.get(r.get("outlet") or "")
        r["_level"] = levels.get(r.get("level") or "")
    return problems


def read_roster(team: Team, content: bytes) -> tuple[list[dict], list[Problem]]:
    try:
        rows = read_rows(content)
    except UnreadableFile as exc:
        return [], [Problem(1, "", str(exc))]
    records, problems = parse_table(rows, ROSTER_FIELDS)
    if problems and not records:
        return records, problems
    return records, sorted(problems + _validate(team, records), key=lambda p: (p.row, p.column))


@transaction.atomic
def upload_roster(*, actor: User, team: Team, upload) -> ImportBatch:
    """Keeps the file and records its problems for the preview page."""
    if not manages(actor, team):
        raise ValidationError("只有团队负责人或营业部经理可以导入花名册。")
    content = upload.read()
    upload.seek(0)
    records, problems = read_roster(team, content)
    batch = ImportBatch(
        kind=KIND,
        context={"team": team.pk},
        original_name=upload.name[:200],
        uploaded_by=actor,
        row_count=len(records),
        problems=[p.__dict__ for p in problems],
    )
    batch.file.save(upload.name, upload, save=False)
    batch.save()
    return batch


@transaction.atomic
def commit_roster(*, actor: User, batch: ImportBatch) -> list[tuple[User, str]]:
    """Creates every person of the file, or none. Returns each new person
    with his temporary password, to be handed over once."""
    from staff import services as staff_services

    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.kind != KIND or batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError("该导入批次已处理。")
    if batch.uploaded_by_id != actor.pk:
        raise ValidationError("只能确认自己上传的批次。")
    team = Team.objects.get(pk=batch.context["team"])
    if not manages(actor, team):
        raise ValidationError("只有团队负责人或营业部经理可以导入花名册。")
    with batch.file.open("rb") as handle:
        records, problems = read_roster(team, handle.read())
    if problems:
        raise ValidationError(f"文件有 {len(problems)} 处问题，请修改后重新上传。")
    created = []
    for r in records:
        password = temporary_password()
        person = staff_services.create_person(
            actor=actor,
            employee_no=r["employee_no"],
            name=r["name"],
            branch=team.branch,
            team=team,
            group=r["_group"],
            outlet=r["_outlet"],
            level=r["_level"],
            employment_type=r["employment_type"],
            hired_on=r["hired_on"],
            temporary_password=password,
            phone=r.get("phone") or "",
            id_number=r.get("id_number") or "",
            bank_account=r.get("bank_account") or "",
            bank_name=r.get("bank_name") or "",
            sac_no=r.get("sac_no") or "",
            sac_expires_on=r.get("sac_expires_on"),
        )
        created.append((person, password))
    batch.status = ImportBatch.Status.COMMITTED
    batch.committed_at = timezone.now()
    batch.result = {"created": [p.employee_no for p, _ in created]}
    batch.save(update_fields=["status", "committed_at", "result"])
    return created
