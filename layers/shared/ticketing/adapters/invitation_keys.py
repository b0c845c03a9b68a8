"""The key functions of exhibitors' invitations (issue 16); their items are in the table of
``adapters/keys.py``."""

from __future__ import annotations

from ticketing.adapters.keys import Key, batch_partition

INVITE_PREFIX = "INVITE#"
JOB_PREFIX = "INVJOB#"


def sample_letter(event_id: str, language: str) -> Key:
    return {"PK": f"EVENT#{event_id}", "SK": f"LETTER#{language}"}


def own_letter(exhibitor_id: str, language: str) -> Key:
    return {"PK": f"EXHIBITOR#{exhibitor_id}", "SK": f"LETTER#{language}"}


def job(batch_id: str, job_id: str) -> Key:
    return {"PK": batch_partition(batch_id), "SK": f"{JOB_PREFIX}{job_id}"}


def job_rows(batch_id: str, job_id: str, chunk: int) -> Key:
    return {"PK": batch_partition(batch_id), "SK": f"INVROWS#{job_id}#{chunk:05d}"}


def invitation(batch_id: str, code: str) -> Key:
    """The batch's listing of one assigned code (the tracking list reads the partition)."""
    return {"PK": batch_partition(batch_id), "SK": f"{INVITE_PREFIX}{code}"}


def invitee(exhibitor_id: str, address: str) -> Key:
    """One address invited by an exhibitor (any batch): put once, so never invited twice."""
    return {"PK": f"INVITEE#{exhibitor_id}#{address}", "SK": "INVITEE"}


def counts(batch_id: str) -> Key:
    return {"PK": batch_partition(batch_id), "SK": "INVCOUNTS"}
