"""The ports of a person's data (issue 17) the console's privacy pages need: the same desks
``functions/privacy`` builds, as ``stores.privacy``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing the console loads no use case it does not run
    from ticketing.services.erasure import ErasureDesk
    from ticketing.services.person_export import ExportDesk
    from ticketing.services.retention import RetentionDesk


@dataclass
class PrivacyPorts:
    erasure: ErasureDesk
    export: ExportDesk
    retention: RetentionDesk


def dynamo_privacy_ports() -> PrivacyPorts:
    from ticketing.adapters.privacy_desks import erasure_desk, export_desk, retention_desk

    return PrivacyPorts(erasure_desk(), export_desk(), retention_desk())
