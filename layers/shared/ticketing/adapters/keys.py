"""The DynamoDB key design: every item, key and index of the one table, in one place.

One table, on-demand. Each object lives in its own partition (no hot tenant partition); the
tenant (organizer) is an attribute checked on every read, and the overloaded index ``GSI1``
lists a tenant's objects.

| Item              | PK                     | SK                   | GSI1PK                     | GSI1SK                     | Access pattern                          |
|-------------------|------------------------|----------------------|----------------------------|----------------------------|-----------------------------------------|
| API key           | ``KEY#<key_id>``       | ``KEY``              | ``ORG#<org>#KEYS``         | ``<created_at>#<key_id>``  | authorize a request; a tenant's keys    |
| Reviewer          | ``REVIEWER#<id>``      | ``REVIEWER``         | -                          | -                          | platform staff profile                  |
| Organizer         | ``ORG#<org>``          | ``ORG``              | ``ORGS``                   | ``<created_at>#<org>``     | tenant profile; reviewer lists tenants  |
| Event             | ``EVENT#<event_id>``   | ``EVENT``            | ``ORG#<org>#EVENTS``       | ``<starts_at>#<event_id>`` | read an event; a tenant's events by date|
| Event questions   | ``EVENT#<event_id>``   | ``QUESTIONS``        | -                          | -                          | the event's forms (seed 002), replaced as a whole on ``version`` |
| Exhibitor         | ``EXHIBITOR#<id>``     | ``EXHIBITOR``        | ``ORG#<org>#EXHIBITORS``   | ``<event_id>#<id>``        | read; a tenant's exhibitors per event   |
| Merchant          | ``MERCHANT#<id>``      | ``MERCHANT``         | ``ORG#<org>#MERCHANTS``    | ``<created_at>#<id>``      | read; a tenant's merchants              |
| Terminal          | ``MERCHANT#<id>``      | ``TERMINAL#<tid>``   | -                          | -                          | a merchant's terminals (query PK)       |
| Issuer            | ``ISSUER#<id>``        | ``ISSUER``           | ``ORG#<org>#ISSUERS``      | ``<created_at>#<id>``      | read; a tenant's issuers                |
| Sent mail marker  | ``MAIL#<request_id>``  | ``SENT``             | -                          | -                          | the mailer skips a redelivered request  |
| Parked mail       | ``MAILFAILED#<order or request_id>`` | ``<request_id>`` | -               | -                          | a mail no retry would send; shown on its order |
| Order (header)    | ``ORDER#<number>``     | ``ORDER``            | ``EVENT#<event>#ORDERS``   | ``<created_at>#<number>``  | order detail; an event's booking list   |
| Order positions   | ``ORDER#<number>``     | ``POSITIONS#<nnn>``  | -                          | -                          | up to 100 tickets per item, read with the header in one query |
| Capacity          | (on the Event item)    |                      |                            |                            | ``sold`` rises by a conditional update in the booking transaction |
| Dashboard figures | (on the Event item)    |                      |                            |                            | ``figure_*`` counters per price option, raised with ``sold`` (adapters/event_figures.py) |
| Check-in counter  | ``EVENT#<event_id>``   | ``CHECKINS#<shard 0-15>`` | -                     | -                          | ``count``: each check-in transaction ADDs its positions to one shard drawn at random (no hot event item at the entrance); the dashboard sums them with one query |
| Idempotency       | ``IDEMPOTENCY#<scope>#<sha256(key)>`` | ``IDEMPOTENCY`` | -             | -                          | a retried write returns what the first made; scope = tenant and operation (TTL 24 h) |
| Invoice sequence  | ``ORG#<org>``          | ``INVOICE_SEQUENCE`` | -                          | -                          | gap-free invoice numbers per organizer  |
| Pending mail      | ``OUTBOX#<shard 0-9>`` | ``<created_at>#<request_id>`` | -                 | -                          | confirmations not yet handed to the queue; swept by a schedule |
| Voucher batch     | ``BATCH#<id>``         | ``BATCH``            | ``EXHIBITOR#<id>#BATCHES`` | ``<created_at>#<id>``      | batch status; an exhibitor's download overview |
| Batch codes       | ``BATCH#<id>``         | ``CODES#<nnnnn>``    | -                          | -                          | the codes of a batch, 98 per item, for its Excel file |
| Visitor voucher   | ``VOUCHER#<code>``     | ``VOUCHER``          | ``EXHIBITOR#<id>#REDEEMED`` (once registered) | ``<redeemed_at>#<code>`` | register a code; an exhibitor's redemptions |
| Voucher claim     | ``CLAIM#<event>#<email>`` | ``CLAIM``         | -                          | -                          | one voucher ticket per person and event |
| Namesake          | ``NAMESAKE#<event>#<digest of first name, last name, company>`` | ``NAMESAKE`` | - | - | registrations of one fair naming the same person: flagged as possible duplicates |
| Exhibitor figures | ``EXHIBITOR#<id>``     | ``FIGURES``          | -                          | -                          | issued / redeemed / used counters for the statement |
| Failed attempts   | ``ATTEMPTS#<client>``  | ``ATTEMPTS``         | -                          | -                          | public doors slow down and refuse guessing: ``due``, when the client's bucket of failures is empty (TTL) |
| Gift redemption   | ``REDEMPTION#<id>``    | ``REDEMPTION``       | ``MERCHANT#<mid>#REDEMPTIONS`` | ``<redeemed_at, UTC>#<id>`` | a terminal reverses it; a merchant's settlement for a period (rate and payable kept on it) |
| Terminal lock     | ``ATTEMPTS#TERMINAL#<tid>`` | ``ATTEMPTS``    | -                          | -                          | a terminal's failed validations and redemptions; locked 15 min after 10 in a minute (TTL) |
| Portal mails     | ``PORTAL#<order>``     | ``SENT``             | -                          | -                          | at most 3 self-service mails per order in 24 h |
| Reminder record  | ``REMINDER#<what>``    | ``SENT``             | -                          | -                          | each reminder goes out once (conditional put) |
| (gift vouchers: key functions in ``adapters/gift_keys.py``, keys here) | | | | | |
| Gift campaign     | ``CAMPAIGN#<id>``      | ``CAMPAIGN``         | ``ORG#<org>#CAMPAIGNS``    | ``<created_at>#<id>``      | read a campaign (with its tiers, one query); a tenant's campaigns |
| Campaign tier     | ``CAMPAIGN#<id>``      | ``TIER#<tier_id>``   | -                          | -                          | ``quantity`` and ``issued``: issuing adds 1 on the condition ``issued < quantity`` |
| Gift voucher      | ``GIFT#<code>``        | ``VOUCHER``          | ``CAMPAIGN#<c>#PHONE#<digits>`` (with a phone) | ``<issued_at>#<code>`` | a terminal reads the voucher and its ledger in one query; the hotline finds a phone's vouchers |
| Gift ledger entry | ``GIFT#<code>``        | ``LEDGER#<at, UTC>#<nnn>#<rand>`` | -             | -                          | every change of the voucher, appended, never overwritten |
| Programme reference | ``EXTREF#<campaign>#<sha256(ref)>`` | ``EXTREF`` | -                 | -                          | a retried issue (same external_ref) answers the first voucher |
| Gift page token   | ``GIFTLINK#<token>``   | ``LINK``             | -                          | -                          | ``/g/{token}`` finds its code |
| Gift bulk issue   | ``BULK#<id>``          | ``BULK``             | -                          | -                          | a list's progress: next_row moves on by a conditional update per chunk |
| Gift delivery due | ``GIFTSEND#<shard 0-9>`` | ``<issued_at, UTC>#<code>`` | -                  | -                          | SMS and mail of an issued voucher not yet sent (outbox); swept by a schedule |
| Gift counters     | ``STATS#<campaign>#<by>#<shard 0-15>`` | ``<group key>`` (``#`` for totals) | - | -              | issued / redeemed / value counters per group, summed over the shards |
| Gift complaint    | ``COMPLAINT#<id>``     | ``COMPLAINT``        | ``ORG#<org>#COMPLAINTS#<open or answered>`` | ``<created_at, UTC>#<id>`` | the hotline reads a complaint; a tenant's open ones (answering moves it, once: conditional on open) |
| Console user      | ``USER#<user_id>``     | ``USER``             | ``ORG#<org>#STAFF`` (staff only) | ``<created_at>#<user_id>`` | read a signed-in user; a tenant's staff list |
| User's address    | ``EMAIL#<mailbox>``    | ``EMAIL``            | -                          | -                          | sign-in finds the user by address; one user per mailbox (put with the user, conditional) |
| Sign-in link      | ``SIGNIN#<sha256(token)>`` | ``SIGNIN``       | -                          | -                          | a one-time link, used once by a conditional update (TTL) |
| Console session   | ``SESSION#<sha256(cookie)>`` | ``SESSION``    | -                          | -                          | the signed-in browser; TTL at its idle or absolute end |
| Activity          | ``ACTIVITY#<ORDER or EVENT>#<id>`` | ``<at, UTC>#<random>`` | -          | -                          | who did what to an order or an event, in time order |
| (mail policy, issue 15: key functions in ``adapters/mail_keys.py``) | | | | | |
| Consent           | ``CONSENT#<org>#<mailbox>`` | ``CONSENT``     | -                          | -                          | reminders / marketing consent per organizer and address, with its history |
| Suppressed address | ``SUPPRESSED#<mailbox>`` | ``SUPPRESSED``     | -                          | -                          | a permanent bounce or complaint (SES through SNS): the mailer sends nothing more |
| Consent link      | ``MAILTOKEN#<sha256(token)>`` | ``TOKEN``     | -                          | -                          | double opt-in (used once, conditional update) and unsubscribe links (TTL) |
| Withheld mail     | ``MAILWITHHELD#<order or request_id>`` | ``<request_id>#<mailbox>`` | - | -                  | a mail the policy did not send (suppressed, no consent); shown on its order |
| (a person's data, issue 17: key functions in ``adapters/privacy_keys.py``) | | | | | |
| Person index      | ``PERSON#<org>#<hmac(key, mailbox)>`` | ``ORDER#<number>``, ``GIFT#<code>``, ``COMPLAINT#<id>``, ``INVITATION#<batch>/<code>``, ``MAIL#<request_id>`` | - | - | a person's items under one organizer: export and erasure read only these (each written with its item; a sent mail's subject, class and time with the mailer's marker, TTL 1 year) |
| Privacy link      | ``PRIVACYLINK#<sha256(token)>`` | ``LINK``     | -                          | -                          | a customer's "send me my data" / "forget me" link (TTL): taken once by a conditional delete, its address with it |
| Erasure           | ``ERASURE#<id>``       | ``ERASURE``          | -                          | -                          | an erasure's state and counts by kind; no address, only keyed hashes |
| Erased address    | ``ERASED#<org>#<hmac>`` | ``ERASED``          | -                          | -                          | a second erasure of the address reports "already erased" |
| Backfill position | ``BACKFILL#PERSONINDEX`` | ``SEGMENT#<segments>#<nnnn>`` | -                 | -                          | where the person index's backfill (``ticketing-admin``) stands in each scan segment |
| (notifications, issue 15: key functions in ``adapters/notification_keys.py``) | | | | | |
| Notification      | ``NOTIFICATION#<id>``  | ``NOTIFICATION``     | ``NOTIFICATIONS#<state>``  | ``<updated_at, UTC>#<id>`` | read one; the reviewer's queue (``submitted``, every tenant); the state moves by a conditional update on ``version`` |
| Notified recipient | ``NOTIFIED#<id>#<order>`` | ``NOTIFIED``      | -                          | -                          | each order of a notification's fan-out is mailed once (put with its page, conditional); an exhibitor's message (audience ``exhibitor_registrants``) names the registration's order |
| (invitations, issue 16: key functions in ``adapters/invitation_keys.py``) | | | | | |
| Sample letter     | ``EVENT#<event>``      | ``LETTER#<de or en>`` | -                         | -                          | the organizer's invitation letter of an event, per language |
| Own letter        | ``EXHIBITOR#<id>``     | ``LETTER#<de or en>`` | -                         | -                          | an exhibitor's own text of the letter (else the sample) |
| Invitation list   | ``BATCH#<id>``         | ``INVJOB#<job_id>``  | -                          | -                          | a list's progress: next_chunk moves on by a conditional put per chunk of 100 recipients |
| List recipients   | ``BATCH#<id>``         | ``INVROWS#<job_id>#<nnnnn>`` | -                  | -                          | a list's good rows, 100 per item, written before it is queued |
| Invitation        | ``BATCH#<id>``         | ``INVITE#<code>``    | -                          | -                          | a batch's tracking list (query the partition); put once with its code (``invited`` on the voucher) |
| Invited address   | ``INVITEE#<exhibitor>#<mailbox>`` | ``INVITEE`` | -                        | -                          | an address is invited once per exhibitor (put with its code, conditional) |
| Invitation counts | ``BATCH#<id>``         | ``INVCOUNTS``        | -                          | -                          | assigned / invited, added with each step of a list |

Second index ``GSI2`` (keys ``GSI2PK``/``GSI2SK``, all attributes) serves these patterns:

| Item              | GSI2PK                               | GSI2SK                               | Access pattern |
|-------------------|--------------------------------------|--------------------------------------|----------------|
| Order (header)    | ``ORG#<org>#NAME#<first 2 letters>`` | ``<name key>#<created_at>#<number>`` | the organizer's search by last name: ``begins_with`` on the typed name (at least 2 letters), accents and case removed |
| Event             | ``EVENTDAY#<yyyy-mm-dd>``            | ``<event_id>``                       | the daily reminders find the events that start tomorrow (the local day) |
| Notification      | ``EVENT#<event>#NOTIFICATIONS``      | ``<created_at, UTC>#<id>``           | an event's notifications, newest first |
| Voucher batch (pending or generating) | ``OPENBATCHES``  | ``<progress_at, UTC>#<batch_id>``    | sparse: the rescue schedule finds batches whose progress stopped; ready or failed batches drop out |
| Voucher batch (its validity extension running) | ``OPENEXTENSIONS`` | ``<extension's progress_at, UTC>#<batch_id>`` | sparse: the rescue schedule finds extensions whose progress stopped; a done or failed one drops out (only a ready or failed batch is extended, so the batch is never in ``OPENBATCHES`` meanwhile) |

Third index ``LIVE`` (keys ``LIVEPK``/``LIVESK``; it projects ``code``, ``batch_id`` and
``exhibitor_id``, nothing else) is sparse: it holds issued visitor vouchers only, keyed by when
they end. Redeeming or expiring a voucher removes its keys from it.

| Item              | LIVEPK                 | LIVESK                               | Access pattern |
|-------------------|------------------------|--------------------------------------|----------------|
| Voucher (issued)  | ``LIVE#<shard 0-15>``  | ``<valid_until, UTC>#<code>``        | the expiry sweep reads only vouchers whose end has passed; reminders read those ending in a week |

``expires_at`` (epoch seconds) is the table's TTL attribute. It only cleans up; no behaviour
relies on DynamoDB deleting an item on time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypedDict

LIVE = "LIVE"
LIVEPK = "LIVEPK"
LIVESK = "LIVESK"
LIVE_SHARDS = 16
GSI2 = "GSI2"
GSI2PK = "GSI2PK"
GSI2SK = "GSI2SK"
PK = "PK"
SK = "SK"
GSI1 = "GSI1"
GSI1PK = "GSI1PK"
GSI1SK = "GSI1SK"
TTL_ATTRIBUTE = "expires_at"


class Key(TypedDict):
    PK: str
    SK: str


def api_key(key_id: str) -> Key:
    return {"PK": f"KEY#{key_id}", "SK": "KEY"}


def tenant_keys(organizer_id: str) -> str:
    return f"ORG#{organizer_id}#KEYS"


def reviewer(reviewer_id: str) -> Key:
    return {"PK": f"REVIEWER#{reviewer_id}", "SK": "REVIEWER"}


def organizer(organizer_id: str) -> Key:
    return {"PK": f"ORG#{organizer_id}", "SK": "ORG"}


ALL_ORGANIZERS = "ORGS"


def event(event_id: str) -> Key:
    return {"PK": f"EVENT#{event_id}", "SK": "EVENT"}


def event_questions(event_id: str) -> Key:
    return {"PK": f"EVENT#{event_id}", "SK": "QUESTIONS"}


CHECK_IN_SHARDS = 16
EVENT_CHECK_INS = "CHECKINS#"


def event_check_ins(event_id: str, shard: int) -> Key:
    return {"PK": f"EVENT#{event_id}", "SK": f"{EVENT_CHECK_INS}{shard}"}


def tenant_events(organizer_id: str) -> str:
    return f"ORG#{organizer_id}#EVENTS"


def exhibitor(exhibitor_id: str) -> Key:
    return {"PK": f"EXHIBITOR#{exhibitor_id}", "SK": "EXHIBITOR"}


def tenant_exhibitors(organizer_id: str) -> str:
    return f"ORG#{organizer_id}#EXHIBITORS"


def merchant(merchant_id: str) -> Key:
    return {"PK": f"MERCHANT#{merchant_id}", "SK": "MERCHANT"}


def tenant_merchants(organizer_id: str) -> str:
    return f"ORG#{organizer_id}#MERCHANTS"


TERMINALS_PREFIX = "TERMINAL#"


def terminal(merchant_id: str, terminal_id: str) -> Key:
    return {"PK": f"MERCHANT#{merchant_id}", "SK": f"{TERMINALS_PREFIX}{terminal_id}"}


def issuer(issuer_id: str) -> Key:
    return {"PK": f"ISSUER#{issuer_id}", "SK": "ISSUER"}


def tenant_issuers(organizer_id: str) -> str:
    return f"ORG#{organizer_id}#ISSUERS"


def mail_sent(request_id: str) -> Key:
    return {"PK": f"MAIL#{request_id}", "SK": "SENT"}


def mail_failures_partition(about: str) -> str:
    """Parked mail of an order (or, for mail about no order, of its request)."""
    return f"MAILFAILED#{about}"


def mail_failure(about: str, request_id: str) -> Key:
    return {"PK": mail_failures_partition(about), "SK": request_id}


def order_partition(order_number: str) -> str:
    """The header and the position items of an order, read together in one query."""
    return f"ORDER#{order_number}"


ORDER_HEADER = "ORDER"
POSITIONS_PREFIX = "POSITIONS#"


def order(order_number: str) -> Key:
    return {"PK": order_partition(order_number), "SK": ORDER_HEADER}


def order_positions(order_number: str, chunk: int) -> Key:
    return {"PK": order_partition(order_number), "SK": f"{POSITIONS_PREFIX}{chunk:03d}"}


def event_orders(event_id: str) -> str:
    return f"EVENT#{event_id}#ORDERS"


def name_search(organizer_id: str, name_key: str) -> str:
    return f"ORG#{organizer_id}#NAME#{name_key[:2]}"


def idempotency(scope: str, key_hash: str) -> Key:
    return {"PK": f"IDEMPOTENCY#{scope}#{key_hash}", "SK": "IDEMPOTENCY"}


def invoice_sequence(organizer_id: str) -> Key:
    return {"PK": f"ORG#{organizer_id}", "SK": "INVOICE_SEQUENCE"}


OUTBOX_SHARDS = 10


def outbox_partition(shard: int) -> str:
    return f"OUTBOX#{shard}"


def outbox(shard: int, created_at: str, request_id: str) -> Key:
    return {"PK": outbox_partition(shard), "SK": f"{created_at}#{request_id}"}


def batch_partition(batch_id: str) -> str:
    """A batch's status item and its code listings."""
    return f"BATCH#{batch_id}"


CODES_PREFIX = "CODES#"


def batch(batch_id: str) -> Key:
    return {"PK": batch_partition(batch_id), "SK": "BATCH"}


def batch_codes(batch_id: str, chunk: int) -> Key:
    return {"PK": batch_partition(batch_id), "SK": f"{CODES_PREFIX}{chunk:05d}"}


OPEN_BATCHES = "OPENBATCHES"


def open_batch(batch_id: str, progress_at: datetime) -> dict[str, str]:
    """The ``GSI2`` keys of a batch still being made, by its last progress (one small
    partition: only batches in the making are in it, a few at a time)."""
    return {GSI2PK: OPEN_BATCHES, GSI2SK: f"{utc_key(progress_at)}#{batch_id}"}


OPEN_EXTENSIONS = "OPENEXTENSIONS"


def open_extension(batch_id: str, progress_at: datetime) -> dict[str, str]:
    """The ``GSI2`` keys of a batch whose validity extension runs, by its last progress."""
    return {GSI2PK: OPEN_EXTENSIONS, GSI2SK: f"{utc_key(progress_at)}#{batch_id}"}


def exhibitor_batches(exhibitor_id: str) -> str:
    return f"EXHIBITOR#{exhibitor_id}#BATCHES"


def voucher(code: str) -> Key:
    return {"PK": f"VOUCHER#{code}", "SK": "VOUCHER"}


def exhibitor_redemptions(exhibitor_id: str) -> str:
    return f"EXHIBITOR#{exhibitor_id}#REDEEMED"


def claim(event_id: str, email: str) -> Key:
    return {"PK": f"CLAIM#{event_id}#{email}", "SK": "CLAIM"}


def namesake(event_id: str, digest: str) -> Key:
    return {"PK": f"NAMESAKE#{event_id}#{digest}", "SK": "NAMESAKE"}


def exhibitor_figures(exhibitor_id: str) -> Key:
    return {"PK": f"EXHIBITOR#{exhibitor_id}", "SK": "FIGURES"}


def attempts(client: str) -> Key:
    return {"PK": f"ATTEMPTS#{client}", "SK": "ATTEMPTS"}


def terminal_lock(terminal_id: str) -> Key:
    return {"PK": f"ATTEMPTS#TERMINAL#{terminal_id}", "SK": "ATTEMPTS"}


def redemption(redemption_id: str) -> Key:
    return {"PK": f"REDEMPTION#{redemption_id}", "SK": "REDEMPTION"}


def merchant_redemptions(merchant_id: str) -> str:
    return f"MERCHANT#{merchant_id}#REDEMPTIONS"


def portal_mails(order_number: str) -> Key:
    return {"PK": f"PORTAL#{order_number}", "SK": "SENT"}


def utc_key(moment: datetime) -> str:
    """A moment as a sort key: UTC, fixed width, so that text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def live_partition(shard: int) -> str:
    return f"LIVE#{shard}"


def live(code: str, valid_until: datetime) -> dict[str, str]:
    """The sparse index's keys of an issued voucher (sharded by code: writes spread out)."""
    shard = sum(code.encode()) % LIVE_SHARDS
    return {LIVEPK: live_partition(shard), LIVESK: f"{utc_key(valid_until)}#{code}"}


def live_due(now: datetime) -> str:
    """The highest ``LIVESK`` of a voucher whose end is ``now`` or earlier (codes sort
    below ``~``)."""
    return f"{utc_key(now)}#~"


def event_day(day: str) -> str:
    return f"EVENTDAY#{day}"


def reminder(what: str) -> Key:
    return {"PK": f"REMINDER#{what}", "SK": "SENT"}


def user(user_id: str) -> Key:
    return {"PK": f"USER#{user_id}", "SK": "USER"}


def user_email(mailbox: str) -> Key:
    return {"PK": f"EMAIL#{mailbox}", "SK": "EMAIL"}


def tenant_staff(organizer_id: str) -> str:
    return f"ORG#{organizer_id}#STAFF"


def sign_in_link(token_hash: str) -> Key:
    return {"PK": f"SIGNIN#{token_hash}", "SK": "SIGNIN"}


def session(session_hash: str) -> Key:
    return {"PK": f"SESSION#{session_hash}", "SK": "SESSION"}


def activity(subject: str, subject_id: str) -> str:
    """The activity partition of an order (``ORDER``) or an event (``EVENT``)."""
    return f"ACTIVITY#{subject}#{subject_id}"
