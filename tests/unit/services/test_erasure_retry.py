"""``POST /customers/erasure`` retried (issue 17): the same Idempotency-Key answers the same
erasure, queued once more only while it may not have reached the queue; the same key for
another address is refused."""

from __future__ import annotations

import pytest

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from ticketing.domain.errors import InvalidRequest
from ticketing.services.erasure import request_erasure, run_erasure

ORGANIZER = samples.organizer_of(samples.a_fair())


def test_a_retry_answers_the_same_erasure(platform: FakePlatform) -> None:
    first = request_erasure(platform.erasure_desk(), ORGANIZER, "erika@example.org", "k-1")
    again = request_erasure(platform.erasure_desk(), ORGANIZER, "Erika@Example.org", "k-1")
    assert again.erasure_id == first.erasure_id
    assert len(platform.erasures.erasures) == 1
    assert platform.erasure_queue.sent == [first.erasure_id, first.erasure_id]  # still queued

    run_erasure(platform.erasure_desk(), first.erasure_id)
    done = request_erasure(platform.erasure_desk(), ORGANIZER, "erika@example.org", "k-1")
    assert (done.erasure_id, done.state) == (first.erasure_id, "done")
    assert len(platform.erasure_queue.sent) == 2  # a done erasure is not queued again


def test_the_same_key_for_another_address_is_refused(platform: FakePlatform) -> None:
    request_erasure(platform.erasure_desk(), ORGANIZER, "erika@example.org", "k-2")
    with pytest.raises(InvalidRequest):
        request_erasure(platform.erasure_desk(), ORGANIZER, "max@example.org", "k-2")
    other = request_erasure(platform.erasure_desk(), ORGANIZER, "erika@example.org")
    assert len(platform.erasures.erasures) == 2
    assert other.erasure_id in platform.erasures.erasures
