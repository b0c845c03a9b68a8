"""Commits that a concurrent transaction on one of their items cancelled, tried again.

DynamoDB cancels a transaction that touches an item another transaction is writing at that
moment (``TransactionConflict``), whether or not its conditions held. Two tills redeeming one
code at once meet exactly this: tried again, the loser's condition on the voucher fails and
it learns where the code was used, instead of an error. Conditions that failed are refusals,
never tried again.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from ticketing.adapters.transactions import DynamoTransactions

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ticketing.services.ports import Part

ATTEMPTS = 3


class RetriedTransactions(DynamoTransactions):
    def commit(self, parts: Sequence[Part]) -> None:
        for attempt in range(ATTEMPTS):
            try:
                super().commit(parts)
                return
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code")
                if code != "TransactionCanceledException" or attempt == ATTEMPTS - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
