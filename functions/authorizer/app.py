"""REQUEST authorizer: resolves the bearer key to a principal that handlers read from context.

Authentication only: an unknown, malformed or revoked key is 401 ("Unauthorized"); a valid key
is allowed through, and each use case decides whether its role may act (403).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerRequestEvent,
    APIGatewayAuthorizerResponse,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from ticketing.adapters.key_store import DynamoKeyStore
from ticketing.api.caller import principal_to_context
from ticketing.domain.errors import Unauthenticated
from ticketing.domain.identity import bearer_token
from ticketing.observability import logger
from ticketing.services.authentication import authenticate

store = DynamoKeyStore()


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = APIGatewayAuthorizerRequestEvent(event)
    token = bearer_token(
        request.headers.get("Authorization") or request.headers.get("authorization")
    )
    try:
        if token is None:
            raise Unauthenticated("no bearer token")
        principal = authenticate(store, token)
    except Unauthenticated:
        logger.info("key refused")
        # API Gateway turns exactly this message into a 401 answer.
        raise Exception("Unauthorized") from None
    arn = request.parsed_arn
    policy = APIGatewayAuthorizerResponse(
        principal_id=principal.subject_id,
        region=arn.region,
        aws_account_id=arn.aws_account_id,
        api_id=arn.api_id,
        stage=arn.stage,
        context=principal_to_context(principal),
    )
    # The answer may be cached per key, so it must cover every route the key can reach.
    policy.allow_all_routes()
    logger.info("key accepted", extra={"key_id": principal.key_id, "role": principal.role.value})
    return policy.asdict()
