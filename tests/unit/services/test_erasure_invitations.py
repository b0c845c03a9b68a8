"""Issue 17 for invitations, on the fakes: an exhibitor's invitation of the person is listed
through the person index (written with the invitation) in the export, and the erasure leaves
the listing without names and address, frees nothing (the code stays taken) and removes the
invited-address item; another recipient of the list keeps theirs."""

from __future__ import annotations

from tests.fakes import samples
from tests.fakes.platform import FakePlatform
from tests.unit.services.test_invitations import World, person
from ticketing.domain.erasure import ERASED
from ticketing.services import person_export
from ticketing.services.erasure import request_erasure, run_erasure
from ticketing.services.mail_policy import MailPolicy
from ticketing.services.visitor_vouchers import invite_worker


class IndexedWorld(World):
    def worker(self) -> invite_worker.Inviting:
        p = self.platform
        return invite_worker.Inviting(
            self.store,
            p.batches,
            p.events,
            p.access,
            p.mail,
            p.clock,
            MailPolicy(p.consents, p.suppressions),
            people=p.people,
        )


def test_an_invitation_is_exported_then_erased(platform: FakePlatform) -> None:
    world = IndexedWorld(platform)
    world.invite([person(1), person(2)])
    organizer = samples.organizer_of(world.event)

    found = person_export.export_person(platform.export_desk(), organizer, "E1@example.org")
    [row] = found["invitations"]
    assert (row["first_name"], row["email"], row["batch_id"]) == (
        "Erika1",
        "e1@example.org",
        world.batch.batch_id,
    )
    code = row["code"]

    erasure = request_erasure(platform.erasure_desk(), organizer, "e1@example.org")
    done = run_erasure(platform.erasure_desk(), erasure.erasure_id)

    assert done is not None
    assert done.counts["invitations"] == 1
    erased = world.store.get_invitation(world.batch.batch_id, code)
    assert erased is not None
    assert (erased.first_name, erased.email, erased.code) == (ERASED, ERASED, code)
    assert world.store.invited(world.exhibitor.exhibitor_id, ["e1@example.org"]) == {}
    assert "Erika1" not in repr(platform.db.gift)
    assert code not in world.store.free_codes(world.batch.batch_id, 0)  # still taken
    kept = world.store.invited(world.exhibitor.exhibitor_id, ["e2@example.org"])
    assert kept["e2@example.org"].first_name == "Erika2"
    assert not any(
        person_export.export_person(platform.export_desk(), organizer, "e1@example.org").values()
    )
