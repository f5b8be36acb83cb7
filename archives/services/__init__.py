"""Writes of the archives chapter; one module per part."""

from archives.services.contracts import (
    create_contract,
    renew_contract,
    terminate_contract,
    update_contract_keeping,
)
from archives.services.files import (
    activate_person,
    record_reward,
    revoke_reward,
    set_paper_location,
    update_reward,
    upload_document,
    verify_document,
)
from archives.services.monthly import close_month, request_bundle, update_paper_location
from archives.services.slips import issue_slip, void_slip

__all__ = [
    "activate_person",
    "close_month",
    "create_contract",
    "issue_slip",
    "record_reward",
    "renew_contract",
    "request_bundle",
    "revoke_reward",
    "set_paper_location",
    "terminate_contract",
    "update_contract_keeping",
    "update_paper_location",
    "update_reward",
    "upload_document",
    "verify_document",
    "void_slip",
]
