"""Attendance (SPEC §2, R-2.1 … R-2.9, and the training records of R-7.7)."""

from attendance.models.events import EventAttendance, Patrol, PatrolEntry, TeamEvent
from attendance.models.leave import AnnualLeaveTier, Half, LeaveKind, LeavePolicy, LeaveRequest
from attendance.models.outing import CheckRound, OutingCheck, OutingSlip
from attendance.models.roll import AttendanceDay, AttendanceDispute, AttendanceRecord

__all__ = [
    "AnnualLeaveTier",
    "AttendanceDay",
    "AttendanceDispute",
    "AttendanceRecord",
    "CheckRound",
    "EventAttendance",
    "Half",
    "LeaveKind",
    "LeavePolicy",
    "LeaveRequest",
    "OutingCheck",
    "OutingSlip",
    "Patrol",
    "PatrolEntry",
    "TeamEvent",
]
