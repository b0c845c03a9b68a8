"""Logs and business metrics of the platform.

The logger logs ids and outcomes, never request bodies or personal data; each line carries the
request id. Metrics are counts of what the business follows (bookings placed, registrations,
mails sent and failed), written by ``metered`` handlers as one CloudWatch embedded-metric-format
line on stdout per invocation that counted something; CloudWatch makes metrics of it in the
namespace ``Ticketing`` without an API call. There is no tracing (see docs/decision_log.md).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

NAMESPACE = "Ticketing"

logger = Logger(service="ticketing")
metrics = Metrics(namespace=NAMESPACE, service="ticketing")

# Lambda runs one invocation per process at a time; the local stack and the tests run many on
# threads of one process, and Powertools' metric set (one for every Metrics) has no lock.
_lock = threading.Lock()

Handler = TypeVar("Handler", bound=Callable[..., Any])


def count(name: str, value: int = 1) -> None:
    """Count ``value`` of ``name`` (``count("BookingsPlaced")``), written when the invocation
    ends. Counting never breaks a request: a count that fails is logged and dropped."""
    try:
        with _lock:
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    except Exception:  # a lost figure is better than a lost booking
        logger.exception("metric not counted", extra={"metric": name})


def flush() -> None:
    """Write what was counted since the last flush as one line; nothing when nothing was."""
    with _lock:
        try:
            # flushing an empty set only makes Powertools warn
            if metrics.metric_set:
                metrics.flush_metrics(raise_on_empty_metrics=False)
        except Exception:  # the answer to the request matters more than its figures
            logger.exception("metrics not written")
        finally:
            # also when POWERTOOLS_METRICS_DISABLED kept them: they must not pile up
            metrics.clear_metrics()


def metered(handler: Handler) -> Handler:
    """A Lambda handler that writes its counts when it ends, whether it answered or failed."""

    @functools.wraps(handler)
    def run(event: Any, context: Any) -> Any:
        try:
            return handler(event, context)
        finally:
            flush()

    return cast("Handler", run)
