"""What the meeting form hands to the services: the roll call's marks and
the rows of problems, competitor information and action items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetings.models import MINUTES_FIELDS, MORNING_ITEMS
from staff.models import User

MORNING_FIELDS = tuple(name for name, _label in MORNING_ITEMS)
CONTENT_FIELDS = MORNING_FIELDS + MINUTES_FIELDS


@dataclass(frozen=True)
class Mark:
    """One line of the roll call: present, or absent with a reason."""

    present: bool = True
    reason: str = ""
    note: str = ""


@dataclass(frozen=True)
class ProblemEntry:
    description: str
    solution: str = ""
    solved: bool = False
    pk: int | None = None


@dataclass(frozen=True)
class CompetitorEntry:
    competitor: str
    action: str
    source: str = ""
    pk: int | None = None


@dataclass(frozen=True)
class ActionEntry:
    description: str
    owner: User
    due_date: dt.date
    pk: int | None = None


@dataclass(frozen=True)
class ReviewEntry:
    """What the meeting says about a carried-over action item."""

    status: str
    note: str = ""
