"""How an app plugs a document into the approval engine.

    class RulesFilingSubject(SubjectAdapter):
        model = TeamRulesFiling
        def title(self, filing): ...
    register_subject(RulesFilingSubject())

The engine calls ``on_submitted/on_approved/on_rejected/on_withdrawn`` inside
the same transaction as the action, so the subject's state always agrees
with its request.
"""

from __future__ import annotations

from typing import Any


class SubjectAdapter:
    model: type

    def title(self, subject) -> str:
        return str(subject)

    def summary(self, subject) -> list[tuple[str, str]]:
        """Label/value pairs snapshotted into the request at each submission."""
        return []

    def url(self, subject) -> str:
        return subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else ""

    def stamp(self, subject, submitter) -> dict[str, Any]:
        """The org stamp: branch, team, group (ids) of where it happened."""
        return {
            "branch_id": getattr(subject, "branch_id", None) or submitter.branch_id,
            "team_id": getattr(subject, "team_id", None) or submitter.team_id,
            "group_id": submitter.group_id,
        }

    def prepared_by(self, subject, submitter):
        """Who prepared the subject, for four-eyes steps."""
        return getattr(subject, "prepared_by", None) or submitter

    def on_submitted(self, subject, request, actor) -> None:
        """Called at each submission and resubmission."""

    def on_approved(self, subject, request, actor) -> None:
        """Called when the last step is completed."""

    def on_signed(self, subject, request, task, actor) -> None:
        """Called at every approval of a task (each signature), before the
        flow moves on; the payroll sheet locks its month at the first."""

    def on_rejected(self, subject, request, actor) -> None:
        """Called when an approver rejects; the submitter may amend and resubmit."""

    def on_withdrawn(self, subject, request, actor) -> None:
        """Called when the submitter withdraws."""

    def countersign_heading(self, subject, request) -> str:
        """The heading printed on the 会签单; by default the flow's name."""
        return f"{request.flow.name}会签单"

    def notify_on_approval(self, subject, request) -> list:
        """Who is told besides the submitter when the request is approved."""
        return []


_adapters: dict[type, SubjectAdapter] = {}


def register_subject(adapter: SubjectAdapter) -> None:
    _adapters[adapter.model] = adapter


def adapter_for(subject_or_model) -> SubjectAdapter:
    model = subject_or_model if isinstance(subject_or_model, type) else type(subject_or_model)
    try:
        return _adapters[model]
    except KeyError:
        raise LookupError(f"{model.__name__} is not registered with the approval engine") from None
