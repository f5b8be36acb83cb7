"""Demo personnel files, contracts and rewards, written in bulk."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from simple_history.utils import bulk_create_with_history

from archives.demo.assets import PDF, demo_files
from archives.models import (
    CERTIFICATES,
    REQUIRED_DOCUMENTS,
    Contract,
    DocumentKind,
    FileDocument,
    PersonnelFile,
    RewardPenalty,
)
from archives.models.contracts import default_end
from portal.demo import DemoContext
from portal.models import Attachment
from staff.models import Role, RoleAssignment, User

BATCH = 2000
METHODS = {
    DocumentKind.ID_COPY: (FileDocument.Method.POLICE, FileDocument.Method.ORIGINAL),
    DocumentKind.DIPLOMA: (FileDocument.Method.CHSI, FileDocument.Method.ORIGINAL),
    DocumentKind.GUARANTOR_ID: (FileDocument.Method.ORIGINAL, FileDocument.Method.PHONE),
}
REWARDS = (
    ("reward", "praise", "季度新开户数位列营业部第一，予以通报表扬。", None),
    ("reward", "bonus", "协助营业部完成重点客户资产引入，发放专项奖金。", Decimal("2000")),
    ("reward", "commend", "客户服务获客户书面表扬。", None),
    ("penalty", "warning", "工作日志连续多日未填写，经提醒仍未改正。", None),
    ("penalty", "criticism", "未按规定填写客户走访日志，客户投诉后核实属实。", None),
    ("penalty", "fine", "违反营销宣传材料使用规定，经济处罚。", Decimal("500")),
)


def _holders(role: str) -> dict[int, User]:
    out: dict[int, User] = {}
    for ra in (
        RoleAssignment.objects.filter(role=role, valid_to__isnull=True)
        .select_related("user")
        .order_by("user__employee_no")
    ):
        out.setdefault(ra.branch_id, ra.user)
    return out


class _Attachments:
    """Attachment rows pointing at the two shared demo files; their owner
    ids are filled in once the owners exist."""

    def __init__(self, model):
        self.files = demo_files()
        self.digest = {
            key: hashlib.sha256(PDF).hexdigest() if key == "pdf" else "0" * 64 for key in self.files
        }
        self.content_type = ContentType.objects.get_for_model(model)
        self.rows: list[Attachment] = []

    def new(self, *, key: str, title: str, by: User, purpose: str) -> Attachment:
        name, size, kind = self.files[key]
        row = Attachment(
            content_type=self.content_type,
            object_id=0,
            purpose=purpose,
            file=name,
            original_name=f"{title}.{kind}",
            size=size,
            kind=kind,
            sha256=self.digest[key],
            uploaded_by=by,
        )
        self.rows.append(row)
        return row

    def save(self) -> None:
        Attachment.objects.bulk_create(self.rows, batch_size=BATCH)

    @staticmethod
    def link(owners) -> None:
        rows = []
        for owner in owners:
            owner.attachment.object_id = owner.pk
            rows.append(owner.attachment)
        Attachment.objects.bulk_update(rows, ["object_id"], batch_size=BATCH)


def _contract_chain(hired: dt.date, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    chain, start = [], hired
    while True:
        end = default_end(start)
        chain.append((start, end))
        if end >= today:
            return chain
        start = end + dt.timedelta(days=1)


def seed_files(ctx: DemoContext) -> dict:
    rng, today = ctx.rng, ctx.today
    logins = {user.pk: login for login, (user, _d) in ctx.logins.items()}
    people = list(
        User.objects.filter(branch__isnull=False)
        .exclude(status=User.Status.LEFT)
        .select_related("branch", "team")
        .order_by("employee_no")
    )
    clerks = _holders(Role.ARCHIVE_CLERK)
    managers = _holders(Role.BRANCH_MANAGER)
    leaders = ctx.data.get("leaders", {})
    team_a = ctx.logins["demo_tl"][0].team_id if "demo_tl" in ctx.logins else None

    # -- documents ------------------------------------------------------------------
    doc_files = _Attachments(FileDocument)
    documents: list[FileDocument] = []
    gaps = 0
    ended_people: set[int] = set()
    for person in people:
        clerk = clerks.get(person.branch_id) or managers[person.branch_id]
        checker = managers[person.branch_id] if clerk.pk == person.pk else clerk
        kinds = list(REQUIRED_DOCUMENTS)
        unchecked: set[str] = set()
        if person.status == User.Status.ONBOARDING:
            for kind in rng.sample(kinds, rng.randint(1, 3)):
                kinds.remove(kind)
            unchecked = set(CERTIFICATES)
        elif person.pk not in logins and rng.random() < 0.12:
            if rng.random() < 0.6:
                kinds.remove(rng.choice(kinds))
            else:
                unchecked.add(rng.choice(CERTIFICATES))
        gaps += len(kinds) < len(REQUIRED_DOCUMENTS) or bool(unchecked & set(kinds))
        leader = leaders.get(person.team_id)
        uploader = leader if leader and leader.pk != person.pk and rng.random() < 0.3 else clerk
        hired = person.hired_on or today
        for kind in kinds:
            label = DocumentKind(kind).label
            verified = kind in CERTIFICATES and kind not in unchecked
            documents.append(
                FileDocument(
                    person=person,
                    kind=kind,
                    uploaded_by=uploader,
                    attachment=doc_files.new(
                        key="png" if kind == DocumentKind.PHOTO else "pdf",
                        title=f"{person.name}-{label}",
                        by=uploader,
                        purpose=f"file:{kind}",
                    ),
                    verified_by=checker if verified else None,
                    verified_on=min(hired, today) - dt.timedelta(days=rng.randint(1, 6))
                    if verified
                    else None,
                    verify_method=rng.choice(METHODS[kind]) if verified else "",
                    verify_result=FileDocument.Result.GENUINE if verified else "",
                )
            )
        if kinds and rng.random() < 0.05:  # an earlier version, replaced
            documents.append(
                FileDocument(
                    person=person,
                    kind=DocumentKind.RESUME,
                    uploaded_by=uploader,
                    note="初版简历",
                    attachment=doc_files.new(
                        key="pdf",
                        title=f"{person.name}-个人简历（初版）",
                        by=uploader,
                        purpose="file:resume",
                    ),
                    replaced_at=ctx.data.get("now"),
                    replaced_by=clerk,
                )
            )
    doc_files.save()
    for document in documents:
        document.attachment_id = document.attachment.pk
    bulk_create_with_history(documents, FileDocument, batch_size=BATCH)
    _Attachments.link(documents)

    # -- contracts: yearly chains from the hire date -----------------------------------------
    contract_files = _Attachments(Contract)
    chains: list[list[Contract]] = []
    seq = 0
    for person in people:
        clerk = clerks.get(person.branch_id) or managers[person.branch_id]
        hired = person.hired_on or today
        if person.status == User.Status.ONBOARDING and rng.random() < 0.5:
            continue  # his contract is still to be signed: part of the gaps
        spans = _contract_chain(hired, today)
        login = logins.get(person.pk)
        if login == "demo_cm":
            start, _end = spans[-1]
            spans[-1] = (start, max(start, today + dt.timedelta(days=20)))
        elif (
            login is None
            and person.status == User.Status.ACTIVE
            and (rng.random() < 0.04 or (person.team_id == team_a and not ended_people))
            and len(spans) >= 2
        ):
            spans.pop()  # the last one ended and was not renewed
            ended_people.add(person.pk)
        kind = (
            Contract.Kind.AGENCY
            if person.employment_type == User.EmploymentType.PART_TIME
            else Contract.Kind.LABOUR
        )
        chain = []
        cabinet = rng.randint(1, 6)
        for start, end in spans:
            seq += 1
            chain.append(
                Contract(
                    person=person,
                    kind=kind,
                    number=f"{'LD' if kind == Contract.Kind.LABOUR else 'HZ'}"
                    f"{person.branch.code}{start.year}{seq:05d}",
                    starts_on=start,
                    ends_on=end,
                    signed_on=start - dt.timedelta(days=rng.randint(0, 6)),
                    original_location=f"{person.branch.name}档案室 {cabinet} 号柜",
                    branch_id=person.branch_id,
                    team_id=person.team_id,
                    created_by=clerk,
                    attachment=contract_files.new(
                        key="pdf",
                        title=f"{person.name}-{Contract.Kind(kind).label}{start:%Y%m%d}",
                        by=clerk,
                        purpose="contract",
                    ),
                )
            )
        chains.append(chain)
    contract_files.save()
    contracts = []
    depth = max((len(c) for c in chains), default=0)
    for generation in range(depth):
        batch = []
        for chain in chains:
            if generation < len(chain):
                contract = chain[generation]
                contract.attachment_id = contract.attachment.pk
                if generation:
                    contract.previous_id = chain[generation - 1].pk
                batch.append(contract)
        bulk_create_with_history(batch, Contract, batch_size=BATCH)
        contracts.extend(batch)
    _Attachments.link(contracts)

    # -- where each paper file is kept ---------------------------------------------------
    PersonnelFile.objects.bulk_create(
        [
            PersonnelFile(
                person=person,
                paper_location=f"{person.branch.name}档案室 {rng.randint(1, 6)} 号柜 "
                f"第 {rng.randint(1, 5)} 层",
            )
            for person in people
            if person.status != User.Status.ONBOARDING
        ],
        batch_size=BATCH,
    )

    # -- rewards and penalties -------------------------------------------------------------
    share = 0.2 if ctx.scale == "small" else 0.08
    rewards = []
    for person in people:
        if person.team_id is None or rng.random() >= share:
            continue
        kind, category, reason, amount = rng.choice(REWARDS)
        leader = leaders.get(person.team_id)
        recorder = leader if leader and leader.pk != person.pk else clerks[person.branch_id]
        rewards.append(
            RewardPenalty(
                person=person,
                date=today - dt.timedelta(days=rng.randint(15, 330)),
                kind=kind,
                category=category,
                reason=reason,
                decided_by=rng.choice(("营业部经理办公会", "营业部经理", "团队负责人")),
                amount=amount,
                branch_id=person.branch_id,
                team_id=person.team_id,
                recorded_by=recorder,
            )
        )
    bulk_create_with_history(rewards, RewardPenalty, batch_size=BATCH)
    return {
        "people": len(people),
        "gaps": gaps,
        "documents": len(documents),
        "contracts": len(contracts),
        "rewards": len(rewards),
    }
