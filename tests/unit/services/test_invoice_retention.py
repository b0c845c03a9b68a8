"""An issued invoice is stored locked until 10 years after the end of its year (issue 18);
the fake records the lock as S3 Object Lock would hold it."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.test_invoices import ADDRESS, a_transfer_order, issue, organizer, placed
from ticketing.domain.invoices import retained_until


def test_retention_ends_ten_years_after_the_end_of_the_issue_year() -> None:
    end = datetime(2037, 1, 1, tzinfo=UTC)
    assert retained_until(datetime(2026, 1, 1, 0, 0, tzinfo=UTC)) == end
    assert retained_until(datetime(2026, 12, 31, 23, 59, tzinfo=UTC)) == end


def test_the_invoice_is_stored_locked_until_then(platform: FakePlatform) -> None:
    who = organizer(platform, **ADDRESS)
    event = samples.a_fair()
    platform.events.add(event)
    order = placed(platform, a_transfer_order(event), event)

    number, _ = issue(platform, order, event, who)

    (key,) = [k for k in platform.documents.files if k.startswith("invoices/")]
    assert number in key
    issued = platform.clock.now()
    assert platform.documents.locked_until == {key: datetime(issued.year + 11, 1, 1, tzinfo=UTC)}
