"""Running the template's functions in this process, as Lambda would run them.

Each function gets a pool of instances, each a fresh import of its module: one instance serves
one request at a time (as one Lambda execution environment does), and concurrent requests get
separate instances, so module state such as the resolver's current event is never shared.

Each invocation sees its own function's environment only (the template's Globals and the
function's variables, with the local endpoint), as on Lambda: a variable the template forgot
for one function fails that function here too, and is not lent by another.
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from ticketing.settings import scoped_environment
from ticketing_local.template import ACCOUNT_ID, REGION, Function

_instance_numbers = itertools.count(1)


@dataclass
class LambdaContext:
    """The attributes of Lambda's context object that Powertools and our code read."""

    function_name: str
    memory_limit_in_mb: int = 512
    function_version: str = "$LATEST"
    timeout_seconds: int = 15
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return "local"

    def get_remaining_time_in_millis(self) -> int:
        elapsed = time.monotonic() - self.started
        return max(0, int((self.timeout_seconds - elapsed) * 1000))


def load_handler(function: Function) -> Callable[[dict[str, Any], Any], Any]:
    module_name, _, attribute = function.handler.rpartition(".")
    path = function.code_dir / f"{module_name.replace('.', '/')}.py"
    unique = f"_fn_{function.logical_id}_{next(_instance_numbers)}"
    spec = importlib.util.spec_from_file_location(unique, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path} for {function.logical_id}")
    module: ModuleType = importlib.util.module_from_spec(spec)
    # as Lambda's own import does; pydantic resolves a model's annotations through it
    sys.modules[unique] = module
    spec.loader.exec_module(module)
    handler = getattr(module, attribute)
    if not callable(handler):
        raise TypeError(f"{function.handler} of {function.logical_id} is not callable")
    return handler  # type: ignore[no-any-return]


class FunctionPool:
    """Instances of one function, created on demand up to ``limit`` (Lambda's scale-out),
    each invocation run in ``environment``."""

    def __init__(self, function: Function, environment: Mapping[str, str], limit: int = 8) -> None:
        self.function = function
        self.environment = dict(environment)
        self._limit = limit
        self._idle: list[Callable[[dict[str, Any], Any], Any]] = []
        self._count = 0
        self._available = threading.Condition()

    def _acquire(self) -> Callable[[dict[str, Any], Any], Any]:
        with self._available:
            while not self._idle and self._count >= self._limit:
                self._available.wait()
            if self._idle:
                return self._idle.pop()
            self._count += 1
        try:
            return load_handler(self.function)
        except BaseException:
            with self._available:
                self._count -= 1
                self._available.notify()
            raise

    def _release(self, handler: Callable[[dict[str, Any], Any], Any]) -> None:
        with self._available:
            self._idle.append(handler)
            self._available.notify()

    def invoke(self, event: dict[str, Any]) -> Any:
        with scoped_environment(self.environment):
            handler = self._acquire()
            try:
                context = LambdaContext(
                    function_name=f"ticketing-{self.function.logical_id}",
                    timeout_seconds=self.function.timeout,
                )
                return handler(event, context)
            finally:
                self._release(handler)

    def warm(self) -> None:
        """Load one instance now, so that an import error shows at start-up, not on a request."""
        with scoped_environment(self.environment):
            self._release(self._acquire())
