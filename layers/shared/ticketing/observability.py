"""One logger for the platform. It logs ids and outcomes, never request bodies or personal data."""

from __future__ import annotations

from aws_lambda_powertools import Logger

logger = Logger(service="ticketing")
