"""Signing in to the console with a one-time link, and the sessions it opens (issue 13).

No password, no Cognito: the console mails a link to the user's own address. The link is
valid 15 minutes, used once (a conditional write), and only in the browser that asked for it:
the sign-in form's POST sets a cookie with a random value, whose hash is stored with the link.

Asking for a link answers alike whether the address is known or not (no account enumeration).
Both doors are throttled as the portal is (services/throttle.py): per source address, an
unknown address asked for and every refused link count as guesses; per mailbox, every link
asked for counts, so that nobody fills a colleague's inbox.

A session lives server-side, keyed by the hash of its cookie: it ends after 12 hours without
a request, after 7 days whatever happens, at sign-out, and at once when its user is removed
(every request reads the user and refuses a removed one).

The sign-in form is a form like any other: its POST carries a CSRF token before any session
exists. The token is bound to the ``console_browser`` cookie (set by the form's GET): it is
the HMAC-SHA256 of a fixed label keyed with that cookie's value (:func:`form_token`). A page
of another site can neither read the form nor make the browser send the cookie with its POST
(``SameSite=Lax``), so a forged sign-in request is refused (login CSRF: signing a person's
browser in to someone else's account). No server key is needed: before sign-in there is no
identity to bind to, and whoever could plant a cookie could mint a pair with any key; the
HMAC only keeps the cookie's value (which binds the links) out of the page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ticketing.domain.emails import mailbox
from ticketing.domain.errors import DomainError
from ticketing.domain.people import (
    SIGN_IN_LINK_LIFETIME,
    Session,
    SignInLink,
    User,
    digest,
    new_secret,
    same_secret,
)
from ticketing.links import console_sign_in_url
from ticketing.mail.messages import MailRequest
from ticketing.services.throttle import Pause, Throttle

if TYPE_CHECKING:
    from ticketing.clock import Clock
    from ticketing.services.ports import Attempts, MailQueue
    from ticketing.services.ports_console import People, Sessions, SignInLinks


def _no_pause(_: float) -> None:
    return None


@dataclass(frozen=True, slots=True)
class ConsoleDesk:
    """What signing in and checking a session need."""

    people: People
    links: SignInLinks
    sessions: Sessions
    attempts: Attempts
    mail: MailQueue
    clock: Clock


class _Counted(DomainError):
    """A request that counts against a throttle without being an error to its caller."""


Refusal = Literal["invalid", "expired", "other_browser"]


class LinkRefused(DomainError):
    """A sign-in link that cannot sign in: unknown or used (``invalid``, alike), too old, or
    opened in a browser other than the one that asked for it."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(f"sign-in link refused: {reason}", message_id=f"console.refused.{reason}")
        self.reason: Refusal = reason


def _by_address(desk: ConsoleDesk, client: str, pause: Pause) -> Throttle:
    return Throttle(desk.attempts, desk.clock, f"console-address:{client}", pause)


def request_link(
    desk: ConsoleDesk, client: str, email: str, browser: str, pause: Pause = time.sleep
) -> None:
    """Mail a sign-in link to ``email`` if a user (not removed) has it; ``browser`` is the
    cookie value of the asking browser. Nothing tells the caller which happened; raises only
    ``TooManyAttempts``."""
    by_address = _by_address(desk, client, pause)
    by_address.refuse_if_blocked()
    box = mailbox(email)
    by_mailbox = Throttle(desk.attempts, desk.clock, f"console-mailbox:{box}", _no_pause)
    by_mailbox.refuse_if_blocked()
    counted = by_mailbox.missed(_Counted("a link asked for"))
    if not isinstance(counted, _Counted):
        raise counted
    user = desk.people.find_by_email(box)
    if user is None:
        missed = by_address.missed(_Counted("unknown address"))
        if not isinstance(missed, _Counted):
            raise missed
        return
    now = by_address.now
    token = new_secret()
    link = SignInLink(
        token_hash=digest(token),
        user_id=user.user_id,
        browser_hash=digest(browser),
        created_at=now,
        valid_until=now + SIGN_IN_LINK_LIFETIME,
    )
    desk.links.add_link(link)
    desk.mail.enqueue(
        MailRequest(
            template="console_sign_in",
            to=[str(user.email)],
            language=user.language,
            context={"name": user.name, "sign_in_url": console_sign_in_url(token)},
            request_id=f"sign-in-{link.token_hash[:32]}",
        )
    )


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A session just opened: ``cookie`` is its secret, given to the browser and never kept."""

    cookie: str
    session: Session
    user: User


def open_link(
    desk: ConsoleDesk, client: str, token: str, browser: str | None, pause: Pause = time.sleep
) -> SignedIn:
    """Sign in with a link's ``token`` in the browser whose cookie value is ``browser``.

    Raises ``LinkRefused`` (counted as a guess of the client) or ``TooManyAttempts``."""
    throttle = _by_address(desk, client, pause)
    throttle.refuse_if_blocked()
    now = throttle.now
    try:
        link = desk.links.get_link(digest(token)) if token else None
        if link is None or link.used_at is not None:
            raise LinkRefused("invalid")
        if now >= link.valid_until:
            raise LinkRefused("expired")
        if not browser or not same_secret(digest(browser), link.browser_hash):
            raise LinkRefused("other_browser")
        user = desk.people.get_user(link.user_id)
        if user is None or user.removed_at is not None:
            raise LinkRefused("invalid")
        if not desk.links.use_link(link.token_hash, now):
            raise LinkRefused("invalid")  # used meanwhile, by a second click
    except LinkRefused as refused:
        raise throttle.missed(refused) from None
    cookie = new_secret()
    session = Session(
        session_hash=digest(cookie),
        user_id=user.user_id,
        csrf=new_secret(),
        created_at=now,
        last_seen=now,
    )
    desk.sessions.add_session(session)
    return SignedIn(cookie, session, user)


def current_session(desk: ConsoleDesk, cookie: str | None) -> tuple[Session, User] | None:
    """The session and user behind a session cookie, or None (signed out, too old, idle,
    or the user was removed). Pushes ``last_seen`` at most once a minute."""
    if not cookie:
        return None
    session = desk.sessions.get_session(digest(cookie))
    if session is None:
        return None
    now = desk.clock.now()
    user = desk.people.get_user(session.user_id)
    if not session.alive(now) or user is None or user.removed_at is not None:
        desk.sessions.end_session(session.session_hash)
        return None
    if session.due_for_touch(now):
        desk.sessions.touch(session, now)
    return session, user


def sign_out(desk: ConsoleDesk, cookie: str | None) -> None:
    if cookie:
        desk.sessions.end_session(digest(cookie))


_FORM_LABEL = b"ticketing console sign-in form v1"


def form_token(browser: str) -> str:
    """The sign-in form's CSRF token for the browser whose ``console_browser`` cookie value
    is ``browser``: HMAC-SHA256 of a fixed label with the cookie value as key (base64url)."""
    mac = hmac.new(browser.encode(), _FORM_LABEL, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def form_token_matches(browser: str | None, presented: str | None) -> bool:
    """Whether a sign-in form came with the token of this browser's cookie (constant time)."""
    if not browser or not presented:
        return False
    return same_secret(presented, form_token(browser))


def csrf_matches(session: Session, presented: str | None) -> bool:
    """Whether a form carried its session's CSRF token (constant-time comparison)."""
    return bool(presented) and same_secret(presented or "", session.csrf)
