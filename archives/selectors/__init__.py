"""Reads of the archives chapter. Other apps use only what is re-exported
here (import-linter: archives.models/services/views/forms are private)."""

from archives.selectors.contracts import (
    chain_of,
    contract_detail,
    contracts_for,
    contracts_of,
    ended_contracts,
    expiring_contracts,
    expiry_counts,
    sac_expired,
    sac_expiring,
)
from archives.selectors.files import (
    activation_problems,
    current_documents,
    file_person,
    file_status,
    incomplete_counts,
    people_for,
    replaced_documents,
    rewards_of,
    team_gaps,
    with_file_flags,
)
from archives.selectors.monthly import archive_detail, archive_search, archives_for, gather
from archives.selectors.slips import (
    gap_report,
    month_slips,
    slip_detail,
    slips_for,
    slips_of_client,
)

__all__ = [
    "activation_problems",
    "archive_detail",
    "archive_search",
    "archives_for",
    "chain_of",
    "contract_detail",
    "contracts_for",
    "contracts_of",
    "current_documents",
    "ended_contracts",
    "expiring_contracts",
    "expiry_counts",
    "file_person",
    "file_status",
    "gap_report",
    "gather",
    "incomplete_counts",
    "month_slips",
    "people_for",
    "replaced_documents",
    "rewards_of",
    "sac_expired",
    "sac_expiring",
    "slip_detail",
    "slips_for",
    "slips_of_client",
    "team_gaps",
    "with_file_flags",
]
