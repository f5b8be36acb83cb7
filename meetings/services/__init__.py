"""Writes of the meetings chapter: recording a meeting with its roll call,
problems, competitor information and action items; correcting it within
seven days; moving an action item's status at any time (R-3.1–R-3.3)."""

from meetings.services.actions import ACTION_TRANSITIONS, transition_action
from meetings.services.entries import (
    CONTENT_FIELDS,
    MORNING_FIELDS,
    ActionEntry,
    CompetitorEntry,
    Mark,
    ProblemEntry,
    ReviewEntry,
)
from meetings.services.recording import record_meeting, update_meeting

__all__ = [
    "ACTION_TRANSITIONS",
    "CONTENT_FIELDS",
    "MORNING_FIELDS",
    "ActionEntry",
    "CompetitorEntry",
    "Mark",
    "ProblemEntry",
    "ReviewEntry",
    "record_meeting",
    "transition_action",
    "update_meeting",
]
