"""Console users, their sign-in links and sessions in DynamoDB (keys: adapters/keys.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ticketing.adapters import keys
from ticketing.adapters.dynamo import ConditionFailed, Item, Put, Table, Update
from ticketing.adapters.records import from_item, to_item
from ticketing.domain.errors import Conflict
from ticketing.domain.people import Session, SignInLink, User, UserKind

if TYPE_CHECKING:
    from datetime import datetime

# ``kind`` names the entity on every item (adapters/records.py); a user's kind is stored apart
_USER_KIND = "user_kind"


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


class DynamoPeopleStore:
    """Implements ``People``, ``SignInLinks`` and ``Sessions`` of services/ports_console.py."""

    def __init__(self, table: Table | None = None) -> None:
        self.table = table or Table()

    # people ---------------------------------------------------------------------------------

    def add_user(self, user: User) -> None:
        index = {}
        if user.kind is UserKind.ORGANIZER and user.organizer_id:
            index = {
                keys.GSI1PK: keys.tenant_staff(user.organizer_id),
                keys.GSI1SK: f"{user.created_at.isoformat()}#{user.user_id}",
            }
        item = {**to_item(user, "user", **keys.user(user.user_id), **index), _USER_KIND: user.kind}
        claim = {**keys.user_email(user.mailbox), "user_id": user.user_id, "kind": "user_email"}
        try:
            self.table.transact(
                [
                    Put(item, condition="attribute_not_exists(PK)"),
                    # a mailbox a removed user held is free (its item has no user_id)
                    Put(
                        claim, condition="attribute_not_exists(PK) OR attribute_not_exists(user_id)"
                    ),
                ]
            )
        except ConditionFailed:
            raise Conflict(
                "a user with this e-mail address exists already",
                message_id="console.staff.email_taken",
            ) from None

    def get_user(self, user_id: str) -> User | None:
        item = self.table.get(keys.user(user_id), consistent=True)
        return None if item is None else _user(item)

    def find_by_email(self, mailbox: str) -> User | None:
        claim = self.table.get(keys.user_email(mailbox), consistent=True)
        if claim is None:
            return None
        if not claim.get("user_id"):
            return None
        user = self.get_user(str(claim["user_id"]))
        return None if user is None or user.removed_at is not None else user

    def list_staff(self, organizer_id: str) -> list[User]:
        items, _ = self.table.query_index(keys.tenant_staff(organizer_id), limit=1000)
        return [_user(i) for i in items]

    def remove_user(self, user: User, at: datetime) -> bool:
        try:
            self.table.transact(
                [
                    Update(
                        keys.user(user.user_id),
                        "SET removed_at = :at",
                        condition="attribute_exists(PK) AND attribute_not_exists(removed_at)",
                        values={":at": at.isoformat()},
                    ),
                    # the address is free again: the person may be invited anew
                    Update(
                        keys.user_email(user.mailbox),
                        "REMOVE user_id",
                        condition="user_id = :me",
                        values={":me": user.user_id},
                    ),
                ]
            )
        except ConditionFailed:
            return False
        return True

    # sign-in links ---------------------------------------------------------------------------

    def add_link(self, link: SignInLink) -> None:
        item = to_item(link, "sign_in_link", **keys.sign_in_link(link.token_hash))
        self.table.put_new({**item, keys.TTL_ATTRIBUTE: _epoch(link.valid_until) + 86400})

    def get_link(self, token_hash: str) -> SignInLink | None:
        item = self.table.get(keys.sign_in_link(token_hash), consistent=True)
        return None if item is None else from_item(SignInLink, item)

    def use_link(self, token_hash: str, at: datetime) -> bool:
        try:
            self.table.write(
                Update(
                    keys.sign_in_link(token_hash),
                    "SET used_at = :at",
                    condition="attribute_exists(PK) AND attribute_not_exists(used_at)",
                    values={":at": at.isoformat()},
                )
            )
        except ConditionFailed:
            return False
        return True

    # sessions --------------------------------------------------------------------------------

    def add_session(self, session: Session) -> None:
        item = to_item(session, "session", **keys.session(session.session_hash))
        self.table.put_new({**item, keys.TTL_ATTRIBUTE: _epoch(session.ends_at())})

    def get_session(self, session_hash: str) -> Session | None:
        item = self.table.get(keys.session(session_hash), consistent=True)
        return None if item is None else from_item(Session, item)

    def touch(self, session: Session, at: datetime) -> None:
        moved = session.model_copy(update={"last_seen": at})
        try:
            self.table.write(
                Update(
                    keys.session(session.session_hash),
                    "SET last_seen = :at, #ttl = :ttl",
                    condition="attribute_exists(PK)",  # never revive a session signed out
                    names={"#ttl": keys.TTL_ATTRIBUTE},
                    values={":at": at.isoformat(), ":ttl": _epoch(moved.ends_at())},
                )
            )
        except ConditionFailed:
            return

    def end_session(self, session_hash: str) -> None:
        self.table.delete(keys.session(session_hash))


def _user(item: Item) -> User:
    data = {k: v for k, v in item.items() if not k.isupper() and k not in _NOT_FIELDS}
    return User.model_validate({**data, "kind": item[_USER_KIND]}, context={"stored": True})


_NOT_FIELDS = {"kind", _USER_KIND, keys.TTL_ATTRIBUTE}
