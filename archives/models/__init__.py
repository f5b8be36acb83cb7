"""Models of the archives chapter (SPEC §6, R-6.1 … R-6.5)."""

from archives.models.contracts import Contract
from archives.models.files import (
    CERTIFICATES,
    REQUIRED_DOCUMENTS,
    DocumentKind,
    FileDocument,
    PersonnelFile,
    RewardPenalty,
)
from archives.models.monthly import ArchiveBundle, ArchivedClient, ArchivedManager, MonthArchive
from archives.models.slips import ConfirmationSlip, SlipCounter

__all__ = [
    "CERTIFICATES",
    "REQUIRED_DOCUMENTS",
    "ArchiveBundle",
    "ArchivedClient",
    "ArchivedManager",
    "ConfirmationSlip",
    "Contract",
    "DocumentKind",
    "FileDocument",
    "MonthArchive",
    "PersonnelFile",
    "RewardPenalty",
    "SlipCounter",
]
