"""Writes of the teams chapter (SPEC §1), one module per part."""

from teams.services.filings import (
    TeamFilingSubject,
    attach_to_filing,
    create_filing,
    create_rules_filing,
    submit_filing,
    submit_rules_filing,
    update_filing,
    update_rules_filing,
)
from teams.services.organisation import (
    add_person,
    appoint_group_leader,
    create_group,
    end_pairing,
    mark_leaving,
    move_member,
    pair_members,
    set_duty,
    temporary_password,
    write_note,
)
from teams.services.reports import draft_report, submit_report, update_report
from teams.services.roster import commit_roster, upload_roster
from teams.services.targets import save_target_split
from teams.services.worklogs import draw_spot_check, file_work_log, record_verdict

__all__ = [
    "TeamFilingSubject",
    "add_person",
    "appoint_group_leader",
    "attach_to_filing",
    "commit_roster",
    "create_filing",
    "create_group",
    "create_rules_filing",
    "draft_report",
    "draw_spot_check",
    "end_pairing",
    "file_work_log",
    "mark_leaving",
    "move_member",
    "pair_members",
    "record_verdict",
    "save_target_split",
    "set_duty",
    "submit_filing",
    "submit_report",
    "submit_rules_filing",
    "temporary_password",
    "update_filing",
    "update_report",
    "update_rules_filing",
    "upload_roster",
    "write_note",
]
