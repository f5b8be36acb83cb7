"""Reads of personnel files: the checklist, completeness, what is missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from archives.models import (
    CERTIFICATES,
    REQUIRED_DOCUMENTS,
    Contract,
    DocumentKind,
    FileDocument,
    RewardPenalty,
)
from archives.permissions import files_q
from staff.models import User

CONTRACT_ITEM = "contract"


def contract_kind_for(person) -> str:
    """劳动合同 for hires, 营销合作协议 for part-time brokers (R-6.2)."""
    if person.employment_type == User.EmploymentType.PART_TIME:
        return Contract.Kind.AGENCY
    return Contract.Kind.LABOUR


def contract_label_for(person) -> str:
    return Contract.Kind(contract_kind_for(person)).label


@dataclass
class CheckItem:
    code: str
    label: str
    state: str  # ok | missing | unverified | failed
    needs_check: bool = False
    document: FileDocument | None = None
    contract: Contract | None = None

    @property
    def state_label(self) -> str:
        return {
            "ok": "已核验" if self.needs_check else "已归档",
            "missing": "缺",
            "unverified": "待核验",
            "failed": "核验不符",
        }[self.state]


@dataclass
class FileStatus:
    items: list[CheckItem] = field(default_factory=list)

    def _labels(self, state: str) -> list[str]:
        return [i.label for i in self.items if i.state == state]

    @property
    def missing(self) -> list[str]:
        return self._labels("missing")

    @property
    def unverified(self) -> list[str]:
        return self._labels("unverified")

    @property
    def failed(self) -> list[str]:
        return self._labels("failed")

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def ready(self) -> bool:
        """Complete and every certificate checked as genuine: may become active."""
        return not (self.missing or self.unverified or self.failed)

    @property
    def present(self) -> int:
        return sum(1 for i in self.items if i.state != "missing")

    @property
    def total(self) -> int:
        return len(self.items)

    def problems(self) -> list[str]:
        out = []
        if self.missing:
            out.append(f"人员档案缺少：{'、'.join(self.missing)}。")
        if self.unverified:
            out.append(f"以下证件尚未核验真伪：{'、'.join(self.unverified)}。")
        if self.failed:
            out.append(f"以下证件核验不符：{'、'.join(self.failed)}。")
        return out


def _doc_state(doc: FileDocument | None) -> str:
    if doc is None:
        return "missing"
    if doc.kind not in CERTIFICATES:
        return "ok"
    if doc.verify_result == FileDocument.Result.GENUINE:
        return "ok"
    if doc.verify_result == FileDocument.Result.FAILED:
        return "failed"
    return "unverified"


def contract_counts(contract: Contract, kind: str, today: dt.date) -> bool:
    """A contract satisfies the file when it is of the person's kind, has its
    signed copy, and has not ended or been terminated."""
    return (
        contract.kind == kind
        and contract.attachment_id is not None
        and contract.ends_on >= today
        and (contract.terminated_on is None or contract.terminated_on > today)
    )


def file_status(
    person,
    *,
    documents: list[FileDocument] | None = None,
    contracts: list[Contract] | None = None,
    today: dt.date | None = None,
) -> FileStatus:
    """The checklist of a person's file (R-6.3). Pass ``documents`` (current
    ones) and ``contracts`` to avoid the two queries."""
    today = today or timezone.localdate()
    if documents is None:
        documents = list(current_documents(person))
    if contracts is None:
        contracts = list(Contract.objects.filter(person=person))
    by_kind = {d.kind: d for d in documents if d.replaced_at is None}
    status = FileStatus()
    for kind in REQUIRED_DOCUMENTS:
        doc = by_kind.get(kind)
        status.items.append(
            CheckItem(
                code=kind,
                label=DocumentKind(kind).label,
                state=_doc_state(doc),
                needs_check=kind in CERTIFICATES,
                document=doc,
            )
        )
    kind = contract_kind_for(person)
    valid = [c for c in contracts if contract_counts(c, kind, today)]
    valid.sort(key=lambda c: c.starts_on)
    status.items.append(
        CheckItem(
            code=CONTRACT_ITEM,
            label=Contract.Kind(kind).label,
            state="ok" if valid else "missing",
            contract=valid[0] if valid else None,
        )
    )
    return status


def activation_problems(person) -> list[str]:
    return file_status(person).problems()


# -- querysets --------------------------------------------------------------------------


def people_for(user) -> QuerySet[User]:
    """People whose file the user may read."""
    return User.objects.filter(files_q(user)).shaped()


def file_person(user, pk: int) -> User:
    return get_object_or_404(people_for(user), pk=pk)


def current_documents(person) -> QuerySet[FileDocument]:
    return (
        FileDocument.objects.filter(person=person, replaced_at__isnull=True)
        .select_related("attachment", "uploaded_by", "verified_by")
        .order_by("kind", "-uploaded_at")
    )


def replaced_documents(person) -> QuerySet[FileDocument]:
    return (
        FileDocument.objects.filter(person=person, replaced_at__isnull=False)
        .select_related("attachment", "uploaded_by", "replaced_by", "verified_by")
        .order_by("-replaced_at")
    )


def documents_for(user) -> QuerySet[FileDocument]:
    return FileDocument.objects.visible_to(user)


def rewards_of(person) -> QuerySet[RewardPenalty]:
    return (
        RewardPenalty.objects.filter(person=person)
        .select_related("recorded_by", "revoked_by", "attachment", "team")
        .order_by("-date", "-id")
    )


def rewards_for(user) -> QuerySet[RewardPenalty]:
    return RewardPenalty.objects.visible_to(user).select_related("person")


def _current_doc(kind: str) -> QuerySet[FileDocument]:
    return FileDocument.objects.filter(person=OuterRef("pk"), kind=kind, replaced_at__isnull=True)


def with_file_flags(queryset: QuerySet[User], today: dt.date | None = None) -> QuerySet[User]:
    """Annotates each person with ``has_<kind>`` for every required document,
    ``has_contract``, ``unchecked`` (a certificate waiting for its check),
    ``check_failed`` and ``contract_ends`` (the latest contract's last day),
    all as subqueries: one query for any number of people."""
    today = today or timezone.localdate()
    valid_contract = Contract.objects.filter(
        person=OuterRef("pk"), attachment__isnull=False, ends_on__gte=today
    ).filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=today))
    annotations = {f"has_{kind}": Exists(_current_doc(kind)) for kind in REQUIRED_DOCUMENTS}
    annotations["has_labour"] = Exists(valid_contract.filter(kind=Contract.Kind.LABOUR))
    annotations["has_agency"] = Exists(valid_contract.filter(kind=Contract.Kind.AGENCY))
    certificates = FileDocument.objects.filter(
        person=OuterRef("pk"), kind__in=CERTIFICATES, replaced_at__isnull=True
    )
    annotations["unchecked"] = Exists(certificates.filter(verify_result=""))
    annotations["check_failed"] = Exists(
        certificates.filter(verify_result=FileDocument.Result.FAILED)
    )
    annotations["contract_ends"] = Subquery(
        Contract.objects.filter(person=OuterRef("pk"), terminated_on__isnull=True)
        .order_by("-ends_on")
        .values("ends_on")[:1]
    )
    return queryset.annotate(**annotations)


def has_contract_q(value: bool = True) -> Q:
    q = (Q(employment_type=User.EmploymentType.PART_TIME) & Q(has_agency=True)) | (
        ~Q(employment_type=User.EmploymentType.PART_TIME) & Q(has_labour=True)
    )
    return q if value else ~q


def incomplete_q() -> Q:
    q = has_contract_q(False)
    for kind in REQUIRED_DOCUMENTS:
        q |= Q(**{f"has_{kind}": False})
    return q


def flags_missing(person) -> list[str]:
    """Missing items of an annotated person (``with_file_flags``)."""
    out = [DocumentKind(k).label for k in REQUIRED_DOCUMENTS if not getattr(person, f"has_{k}")]
    part_time = person.employment_type == User.EmploymentType.PART_TIME
    has = person.has_agency if part_time else person.has_labour
    if not has:
        out.append(contract_label_for(person))
    return out


def team_gaps(people: QuerySet[User]) -> list[dict]:
    """The completeness view: per team, its people and what each lacks.
    ``people`` is already scoped and filtered; one query."""
    rows = list(
        with_file_flags(people.exclude(status=User.Status.LEFT))
        .select_related("team", "branch")
        .order_by("branch__code", "team__code", "employee_no")
    )
    teams: dict = {}
    for person in rows:
        key = (person.branch_id, person.team_id)
        entry = teams.setdefault(
            key,
            {"branch": person.branch, "team": person.team, "people": 0, "complete": 0, "gaps": []},
        )
        entry["people"] += 1
        missing = flags_missing(person)
        pending = person.unchecked or person.check_failed
        if not missing and not pending:
            entry["complete"] += 1
            continue
        entry["gaps"].append(
            {
                "person": person,
                "missing": missing,
                "unchecked": person.unchecked,
                "failed": person.check_failed,
            }
        )
    return list(teams.values())


def incomplete_counts(user, today: dt.date | None = None) -> dict[str, int]:
    """People in the user's file scope (not left) whose file lacks something
    or waits for a check, and how many of them are still onboarding. One query."""
    pending = incomplete_q() | Q(unchecked=True) | Q(check_failed=True)
    return with_file_flags(
        User.objects.filter(files_q(user)).exclude(status=User.Status.LEFT), today
    ).aggregate(
        incomplete=Count("pk", filter=pending),
        onboarding=Count("pk", filter=pending & Q(status=User.Status.ONBOARDING)),
    )
