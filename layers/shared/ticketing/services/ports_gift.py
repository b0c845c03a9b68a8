"""The ports of e-gift value vouchers (seed 004): campaigns, vouchers with their ledger, the
sharded counters, and the SMS sender.

As in ``services.ports``, writes that belong together are ``Part``s that ``Transactions.commit``
writes all or nothing; a part whose condition failed is named by its label in
``WriteRefused``. The labels these stores use:

- ``tier``: the tier is used up (its quantity reached); ``code``: the code exists (draw again);
  ``external_ref``: the programme's reference was issued before; ``token``: a page token
  collided (draw again); ``voucher``: the voucher changed state since it was read (read again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from ticketing.domain.gift_bulk import BulkIssue, BulkStatus, RowError
    from ticketing.domain.gift_vouchers import (
        Campaign,
        CounterChange,
        Counters,
        GiftVoucher,
        LedgerEntry,
    )
    from ticketing.services.ports import Part

# A change of the counters goes to one shard drawn at random: at 1,000 redemptions per
# second the hottest counter item takes 1,000 / 16 = 62.5 writes per second.
STATS_SHARDS = 16
TOTAL = "total"  # the ``by`` of a campaign's totals (its group key is "")


class CampaignStore(Protocol):
    def add_campaign(self, campaign: Campaign, also: Sequence[Part] = ()) -> None:
        """The campaign and one counter item per tier (issued 0), all new."""
        ...

    def get_campaign(self, campaign_id: str) -> Campaign | None:
        """The campaign with each tier's quantity and issued count (one query)."""
        ...

    def list_campaigns(self, organizer_id: str) -> list[Campaign]:
        """Every campaign of the tenant, newest first (without tier counts)."""
        ...

    def change_campaign(
        self,
        campaign_id: str,
        name: str | None,
        valid_from: datetime | None,
        valid_until: datetime | None,
    ) -> None: ...

    def set_quantity(self, campaign_id: str, tier_id: str, quantity: int | None) -> bool:
        """A tier's new quantity; False (and unchanged) when more were already issued."""
        ...

    def take_from_tier(self, campaign_id: str, tier_id: str) -> Part:
        """One more issued of the tier, on the condition that its quantity allows (``tier``)."""
        ...


class GiftVoucherStore(Protocol):
    def get_voucher(self, code: str) -> GiftVoucher | None:
        """The voucher with its whole ledger, in one strongly consistent query."""
        ...

    def code_of_token(self, token: str) -> str | None: ...
    def code_of_ref(self, campaign_id: str, external_ref: str) -> str | None: ...
    def by_phone(self, campaign_id: str, phone: str) -> list[GiftVoucher]:
        """The campaign's vouchers sent to ``phone`` (with their ledgers), for the hotline."""
        ...

    def issuing(self, voucher: GiftVoucher, entry: LedgerEntry) -> list[Part]:
        """The parts that issue a new voucher: the voucher (``code``), its ``issued`` entry,
        its programme reference (``external_ref``) and its page token (``token``)."""
        ...

    def entry(self, voucher: GiftVoucher, entry: LedgerEntry) -> Part:
        """Append an entry that records (sms_sent, validated, complaint, ...); no condition
        on the voucher's state."""
        ...

    def change(self, voucher: GiftVoucher, entry: LedgerEntry) -> list[Part]:
        """Append a state change (redeemed, reversed, expired): the entry and the voucher's
        version, on the condition that nothing changed its state since ``voucher`` was read
        (``voucher``)."""
        ...

    def append(self, voucher: GiftVoucher, entry: LedgerEntry) -> None:
        """Write one recording entry on its own."""
        ...

    def counted(self, change: CounterChange, shard: int | None = None) -> list[Part]:
        """Add ``change`` to the campaign's totals and to each of its groups, on one shard
        (drawn at random unless given)."""
        ...

    def pending_delivery(self, voucher: GiftVoucher) -> Part:
        """The voucher's delivery (SMS, mail) still to do: committed with the issue, removed
        once delivered, swept by a schedule when the delivery failed (the outbox pattern)."""
        ...

    def deliveries_due(self, older_than: datetime, limit: int = 100) -> list[str]:
        """Codes whose delivery is pending since before ``older_than``."""
        ...

    def delivered(self, voucher: GiftVoucher) -> None: ...

    def counters(self, campaign_id: str, by: str) -> dict[str, Counters]:
        """The campaign's counters by group (``by`` a dimension, or ``TOTAL`` for ``{"":
        totals}``), summed over every shard."""
        ...


class SmsSender(Protocol):
    def send_sms(self, phone: str, text: str) -> str:
        """Send ``text`` to ``phone`` (E.164); the provider's message id."""
        ...


class BulkStore(Protocol):
    """Bulk issues and their progress; every move is conditional, so that a redelivered
    message of the queue never counts a chunk twice."""

    def add_bulk(self, bulk: BulkIssue) -> None: ...
    def get_bulk(self, bulk_id: str) -> BulkIssue | None: ...
    def move_bulk(
        self, bulk_id: str, before: BulkStatus, after: BulkStatus, at: datetime, rows: int = 0
    ) -> bool:
        """``before`` -> ``after`` (with the number of rows once known); False if it was not
        ``before``."""
        ...

    def advance(
        self,
        bulk_id: str,
        start: int,
        end: int,
        counts: tuple[int, int, int],
        errors: Sequence[RowError],
        at: datetime,
        done: bool,
    ) -> bool:
        """Rows ``start`` to ``end`` done (issued, repeated, failed); False when another worker
        did them already (``next_row`` is no longer ``start``)."""
        ...


class BulkQueue(Protocol):
    def enqueue_bulk(self, bulk_id: str, start_row: int) -> None: ...


class GiftFiles(Protocol):
    """The uploaded lists of bulk issues (S3)."""

    def put(self, key: str, data: bytes, content_type: str) -> None: ...
    def get(self, key: str) -> bytes | None: ...
    def upload_url(self, key: str, content_type: str, seconds: int = 900) -> str: ...
