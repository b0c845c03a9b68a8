"""The console: staff, exhibitors' contacts and reviewers at work in a browser (issue 13).

Thin: every request goes to the console's dispatcher (ticketing/console/dispatch.py), which
finds the session, the page and its rules; the pages call the same use cases as the API.
The console routes its own pages: API Gateway hands it every path under ``/console`` (a
greedy ``{proxy+}``, which Powertools cannot match), so ``app`` only describes the two
routes for the OpenAPI document and the template check, and never serves a request.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, NoReturn

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing.api import answers
from ticketing.console.stores import Stores, dynamo_stores
from ticketing.observability import logger, metered

MAX_BODY_BYTES = 64 * 1024

app = APIGatewayRestResolver(enable_validation=True)

_PAGES = {
    200: answers.html("A console page (its session cookie is the authorization)"),
    303: answers.redirect(
        "After a form: the page that says what was done; without a session: the sign-in form"
    ),
    400: answers.html("A form body no console form sends (e.g. a broken multipart boundary)"),
    403: answers.html("Not for this user, or a form without its CSRF token"),
    404: answers.html("No such page, or another tenant's object"),
    413: answers.html("A form over 4 MB (a file of more than about 4 MB)"),
    429: answers.html("Too many sign-in attempts (with Retry-After)"),
}


def _described_only() -> NoReturn:
    raise RuntimeError("the console's dispatcher serves every request (see handler)")


@app.route("/console", method=["GET", "POST"], summary="The console's entry", responses=_PAGES)
def entry() -> None:
    _described_only()


@app.route(
    "/console/{proxy+}",
    method=["GET", "POST"],
    summary="The console's pages: /console/sign-in, the link from the sign-in mail, and the "
    "pages of each kind of user",
    responses=_PAGES,
)
def pages(
    proxy: Annotated[str, Path(alias="proxy+", description="The rest of the path")],
) -> None:
    _described_only()


@cache
def stores() -> Stores:
    return dynamo_stores()


@metered
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from ticketing.console.dispatch import handle, too_large
    from ticketing.console.multipart import is_multipart

    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    # a form with a file is measured (4 MB at most) and refused in the user's language by
    # console/http.py; any other body is a few short fields
    upload = is_multipart(headers.get("content-type", ""))
    if not upload and len(str(event.get("body") or "")) > MAX_BODY_BYTES:
        return too_large(event)
    return handle(event, stores())
