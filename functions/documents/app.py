"""Ticket downloads (public, by token) and the organizer's invoices."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.attempts import DynamoAttempts
from ticketing.adapters.document_store import S3DocumentStore
from ticketing.adapters.event_store import DynamoEventStore
from ticketing.adapters.link_secrets import DynamoLinkSecrets
from ticketing.adapters.order_store import DynamoOrderStore
from ticketing.api import answers
from ticketing.api.caller import caller
from ticketing.api.resolver import binary_answer, lambda_handler, make_resolver
from ticketing.domain.errors import NotFound
from ticketing.services import documents, orders

app = make_resolver()
order_store = DynamoOrderStore()
event_store = DynamoEventStore()
access_store = DynamoAccessStore()
docs = S3DocumentStore()
attempts = DynamoAttempts()
secrets = DynamoLinkSecrets()


@app.get(
    "/t/<ticket_token>",
    summary="One ticket's PDF",
    responses={
        302: answers.redirect("To the PDF, at a URL that lives five minutes"),
        404: {"description": "An unknown or wrong link (both answer alike)"},
        429: {"description": "Too many wrong links from this client (with Retry-After)"},
    },
)
def download_ticket(ticket_token: str) -> Response[str]:
    """The token is the secret: a redirect to a presigned URL that lives five minutes. A
    wrong token counts against the client as a guess, as on the portal."""
    client = app.current_event.request_context.identity.source_ip or "unknown"
    links = documents.TicketLinks(
        order_store, event_store, docs, secrets, attempts, clock.current(), access_store
    )
    url = documents.open_ticket_link(links, client, ticket_token)
    return Response(
        status_code=302,
        content_type="text/plain",
        body="",
        headers={"Location": url, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


@app.get(
    "/orders/<order_number>/invoice",
    summary="The order's invoice",
    responses={200: answers.file(answers.PDF, "The invoice")},
)
@binary_answer
def invoice(order_number: str) -> Response[bytes]:
    order, event = orders.order_detail(order_store, event_store, caller(app), order_number)
    organizer = access_store.get_organizer(order.organizer_id)
    if organizer is None:
        raise NotFound(f"no order {order_number}")
    number, data = documents.invoice(order_store, docs, clock.current(), order, event, organizer)
    return Response(
        status_code=200,
        content_type="application/pdf",
        body=data,
        headers={
            "Content-Disposition": f'inline; filename="invoice-{number}.pdf"',
            "X-Invoice-Number": number,
        },
    )


handler = lambda_handler(app)
