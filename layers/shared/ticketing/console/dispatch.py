"""Every console request: the public sign-in pages, or a signed-in user's page.

For a page the dispatcher finds the session (a visitor without one is sent to the sign-in
form), checks that the page is for this user, refuses a POST without the session's CSRF token
(403), and turns the domain errors a page lets through into pages in the user's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ticketing.console import pages as _pages  # noqa: F401 - registers every page
from ticketing.console import sign_in_pages, static
from ticketing.console.http import (
    LANGUAGE_COOKIE,
    NOTICE_COOKIE,
    SESSION_COOKIE,
    Answer,
    Request,
    cookie,
    redirect,
)
from ticketing.console.registry import find
from ticketing.console.rendering import render, response_headers
from ticketing.console.visit import Visit, decode_notice
from ticketing.domain.errors import DomainError, NotAllowed, NotFound, TooManyAttempts
from ticketing.i18n import DEFAULT_LANGUAGE, Language, known_language, negotiate, translate
from ticketing.observability import logger
from ticketing.services.sign_in import csrf_matches, current_session

if TYPE_CHECKING:
    from ticketing.console.stores import Stores
    from ticketing.domain.people import User

_YEAR = 365 * 24 * 3600


def language_of(request: Request, user: User | None) -> Language:
    """``?lang=`` (the switch), then the one chosen before, then the best of ours the
    browser accepts, then the user's own (what their mails speak), then German."""
    chosen = known_language(request.query.get("lang")) or known_language(
        request.cookies.get(LANGUAGE_COOKIE)
    )
    if chosen is not None:
        return chosen
    fallback = user.language if user is not None else DEFAULT_LANGUAGE
    return negotiate(request.headers.get("accept-language"), None, fallback)


def handle(event: dict[str, Any], stores: Stores) -> dict[str, Any]:
    """The proxy response to one API Gateway proxy event."""
    request = Request.from_event(event)
    try:
        answer, language = _answer(request, stores)
    except Exception:  # noqa: BLE001 - a bug or AWS out of reach: a page that says so, never a bare 502
        logger.exception("console request failed")
        language = language_of(request, None)
        answer = Answer(500, render("problem.html", language, code=500, detail=None))
    if known_language(request.query.get("lang")):
        answer.cookies.append(cookie(LANGUAGE_COOKIE, language, _YEAR))
    return answer.proxy_response(response_headers(language))


def _answer(request: Request, stores: Stores) -> tuple[Answer, Language]:
    script = static.serve(request)  # code, no data: no session needed
    if script is not None:
        return script, language_of(request, None)
    public = sign_in_pages.find(request)
    if public is not None:
        language = language_of(request, None)
        if request.refused or request.unread:  # the sign-in form takes no file
            return _refused(language, None, request.refused or 400), language
        try:
            return public(request, stores, language), language
        except TooManyAttempts as refused:
            return _problem(language, None, refused), language
    found = current_session(stores.desk, request.cookies.get(SESSION_COOKIE))
    if found is None:
        gone = [cookie(SESSION_COOKIE, "", max_age=0)] if SESSION_COOKIE in request.cookies else []
        return redirect(sign_in_pages.SIGN_IN, gone), language_of(request, None)
    session, user = found
    request = request.with_files()
    language = language_of(request, user)
    visit = Visit(
        request=request,
        stores=stores,
        user=user,
        session=session,
        language=language,
        now=stores.clock.now(),
        notice=decode_notice(request.cookies.get(NOTICE_COOKIE), language),
    )
    if request.refused:  # before the CSRF check: the token is in the body refused
        return _refused(language, visit, request.refused), language
    route = find(request.method, request.path)
    if route is None:
        return _problem(language, visit, NotFound("no such page")), language
    page, params = route
    if not page.allows(user):
        return _problem(language, visit, NotAllowed("not for this user")), language
    if request.method == "POST" and not csrf_matches(session, request.form.get("csrf")):
        forged = NotAllowed("no CSRF token", message_id="console.problem.csrf")
        return _problem(language, visit, forged), language
    visit.params = params
    try:
        return page.view(visit), language
    except DomainError as error:
        return _problem(language, visit, error), language


def too_large(event: dict[str, Any]) -> dict[str, Any]:
    """413 for a body no console form sends (a page is a few short fields)."""
    request = Request.from_event({**event, "body": None})
    language = language_of(request, None)
    body = render("problem.html", language, code=413, detail=None)
    return Answer(413, body).proxy_response(response_headers(language))


_REFUSED = {400: "console.problem.malformed", 413: "console.problem.too_large"}


def _refused(language: Language, visit: Visit | None, status: int) -> Answer:
    """The page for a body no console form sends (400) or a form over 4 MB (413)."""
    said = translate(language, _REFUSED.get(status, "console.problem.malformed"))
    if visit is not None:
        return visit.render("problem.html", status, code=status, detail=said)
    return Answer(status, render("problem.html", language, code=status, detail=said))


_STATUS = {NotFound: 404, NotAllowed: 403, TooManyAttempts: 429}


def _problem(language: Language, visit: Visit | None, error: DomainError) -> Answer:
    """The page for an error a page let through: 404 for what is missing or another tenant's,
    403 for what this user may not do, 429 with Retry-After, 409 for the rest."""
    status = next((s for cls, s in _STATUS.items() if isinstance(error, cls)), 409)
    from ticketing.api.spoken import detail

    said = detail(language, error) if error.message_id else None
    if visit is not None:
        answer = visit.render("problem.html", status, code=status, detail=said)
    else:
        answer = Answer(status, render("problem.html", language, code=status, detail=said))
    if isinstance(error, TooManyAttempts):
        answer.headers["Retry-After"] = str(error.retry_after)
    return answer
