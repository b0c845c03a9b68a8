"""The hotline (seed 004): lookup by code or phone with the ledger, complaints recorded with a
ledger entry, answered once; an upheld one reverses the redemption (no 15-minute window)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from tests.fakes import (
    FakeComplaintStore,
)
from tests.unit import worlds
from ticketing.domain.errors import Conflict, InvalidRequest, NotAllowed, NotFound
from ticketing.domain.gift_complaints import ComplaintAnswer, ComplaintDraft
from ticketing.domain.gift_vouchers import (
    display,
    new_code,
)
from ticketing.domain.identity import Principal, Role
from ticketing.domain.parties import Organizer
from ticketing.services import gift_stats, gift_terminal, hotline, merchants

NOW = datetime(2026, 10, 10, 12, 0, tzinfo=UTC)
ORG = "org_music"
ORGANIZER = Principal(Role.ORGANIZER, ORG, ORG, "key_org")
STAFF = Principal(Role.ORGANIZER, ORG, ORG, "session:usr_li", user_id="usr_li")
REVIEWER = Principal(Role.REVIEWER, "rev_1", None, "key_rev")
OTHER = Principal(Role.ORGANIZER, "org_other", "org_other", "key_other")
ISSUER = Principal(Role.ISSUER, "iss_club", ORG, "key_iss")


@dataclass
class World(worlds.GiftWorld):
    """The music club's campaign (tests.unit.worlds), a second organizer, and the hotline."""

    complaints: FakeComplaintStore = field(init=False)
    desk: hotline.HotlineDesk = field(init=False)

    def __post_init__(self) -> None:
        self.complaints = FakeComplaintStore(self.db)
        self.desk = hotline.HotlineDesk(
            self.clock, self.campaigns, self.gifts, self.complaints, self.redemptions,
            self.transactions, self.idempotency, self.access,
        )  # fmt: skip

    def cinema_terminal(self) -> Principal:
        cinema = self.merchant("南京影院", "南京", "cinema", "0.45")
        return self.terminal(cinema, label="一号台")


@pytest.fixture
def world() -> World:
    made: World = World.build(NOW, worlds.music_campaign(NOW, ORG))
    for org in (ORG, "org_other"):
        made.db.parties[org] = Organizer(
            organizer_id=org, name=org, email=f"{org}@example.org", created_at=NOW
        )
    return made


def test_lookup_by_code_or_phone_shows_the_whole_ledger(world: World) -> None:
    voucher = world.voucher()
    till = world.cinema_terminal()
    gift_terminal.validate(world.terminal_desk, till, voucher.code)
    gift_terminal.redeem(world.terminal_desk, till, voucher.code, "k-1")

    by_code = hotline.lookup(world.desk, ORGANIZER, "cmp_music", code=display(voucher.code))
    kinds = [e.kind for e in by_code[0].ledger]
    assert kinds == ["issued", "validated", "redeemed"]
    assert by_code[0].ledger[-1].detail["merchant_name"] == "南京影院"
    # the agent types the number without the country code, with blanks
    by_phone = hotline.lookup(world.desk, REVIEWER, "cmp_music", phone="138 0013 8000")
    assert [v.code for v in by_phone] == [voucher.code]
    assert hotline.lookup(world.desk, ORGANIZER, "cmp_music", code=new_code()) == []
    with pytest.raises(InvalidRequest):
        hotline.lookup(world.desk, ORGANIZER, "cmp_music", code="not a code")
    with pytest.raises(InvalidRequest):
        hotline.lookup(world.desk, ORGANIZER, "cmp_music")
    with pytest.raises(NotFound):
        hotline.lookup(world.desk, OTHER, "cmp_music", code=voucher.code)
    with pytest.raises(NotAllowed):
        hotline.lookup(world.desk, ISSUER, "cmp_music", code=voucher.code)


def test_an_upheld_complaint_reverses_the_redemption_long_after_15_minutes(world: World) -> None:
    voucher = world.voucher()
    till = world.cinema_terminal()
    redeemed = gift_terminal.redeem(world.terminal_desk, till, voucher.code, "k-1").redemption
    world.clock.advance(timedelta(days=2))

    complaint, created = hotline.file_complaint(
        world.desk, STAFF, ComplaintDraft(code=voucher.code, text="会员说没有看电影"), "c-1"
    )
    again, twice = hotline.file_complaint(
        world.desk, STAFF, ComplaintDraft(code=voucher.code, text="会员说没有看电影"), "c-1"
    )
    assert (created, twice, again.complaint_id) == (True, False, complaint.complaint_id)
    assert complaint.redemption_id == redeemed.redemption_id
    assert [c.complaint_id for c in hotline.list_complaints(world.desk, ORGANIZER)] == [
        complaint.complaint_id
    ]
    assert len(hotline.list_complaints(world.desk, REVIEWER)) == 1
    assert hotline.list_complaints(world.desk, OTHER) == []
    with pytest.raises(NotFound):
        hotline.answer_complaint(
            world.desk,
            OTHER,
            complaint.complaint_id,
            ComplaintAnswer(text="x", outcome="rejected"),
        )

    answer = ComplaintAnswer(text="已退回", outcome="upheld", reverse=True)
    answered = hotline.answer_complaint(world.desk, STAFF, complaint.complaint_id, answer)
    assert (answered.status, answered.reversed) == ("answered", True)
    with pytest.raises(Conflict):
        hotline.answer_complaint(world.desk, STAFF, complaint.complaint_id, answer)
    assert hotline.list_complaints(world.desk, ORGANIZER) == []
    assert len(hotline.list_complaints(world.desk, ORGANIZER, "answered")) == 1

    now = world.gifts.get_voucher(voucher.code)
    assert now is not None
    assert now.state(world.clock.now()) == "issued"
    reversal = next(e for e in now.ledger if e.kind == "reversed")
    assert (reversal.by, reversal.detail["complaint_id"]) == (
        "session:usr_li",
        complaint.complaint_id,
    )
    assert [e.kind for e in now.ledger][-3:] == ["complaint", "reversed", "complaint"]
    stats = gift_stats.campaign_stats(world.campaigns, world.gifts, ORGANIZER, "cmp_music", "city")
    assert (stats.totals.redeemed, stats.totals.value_redeemed) == (0, Decimal("0"))
    settled = merchants.settlement(
        world.access,
        world.redemptions,
        ORGANIZER,
        redeemed.merchant_id,
        NOW - timedelta(days=1),
        NOW + timedelta(days=3),
    )
    assert settled.payable == Decimal("0.00")
    # redeemable again
    gift_terminal.redeem(world.terminal_desk, till, voucher.code, "k-2")


def test_a_rejected_complaint_changes_nothing_and_reverse_needs_upheld(world: World) -> None:
    voucher = world.voucher()
    complaint, _ = hotline.file_complaint(
        world.desk, ORGANIZER, ComplaintDraft(code=voucher.code, text="短信没收到")
    )
    assert complaint.redemption_id is None
    with pytest.raises(InvalidRequest):
        hotline.answer_complaint(
            world.desk,
            ORGANIZER,
            complaint.complaint_id,
            ComplaintAnswer(text="x", outcome="rejected", reverse=True),
        )
    with pytest.raises(Conflict):  # nothing redeemed: nothing to reverse
        hotline.answer_complaint(
            world.desk,
            ORGANIZER,
            complaint.complaint_id,
            ComplaintAnswer(text="x", outcome="upheld", reverse=True),
        )
    answered = hotline.answer_complaint(
        world.desk,
        ORGANIZER,
        complaint.complaint_id,
        ComplaintAnswer(text="短信已重发", outcome="rejected"),
    )
    assert (answered.outcome, answered.reversed) == ("rejected", False)
    with pytest.raises(NotFound):
        hotline.file_complaint(world.desk, OTHER, ComplaintDraft(code=voucher.code, text="x"))
    with pytest.raises(NotFound):
        hotline.file_complaint(world.desk, ORGANIZER, ComplaintDraft(code="nonsense", text="x"))


def test_the_reviewer_lists_every_tenants_campaigns(world: World) -> None:
    assert [c.campaign_id for c in hotline.readable_campaigns(world.desk, REVIEWER)] == [
        "cmp_music"
    ]
    assert hotline.readable_campaigns(world.desk, OTHER) == []
