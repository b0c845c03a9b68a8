"""``ticketing-local``: start the whole platform on localhost, on moto, with a demo tenant."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from pathlib import Path
from typing import NoReturn

from ticketing_local.stack import LocalStack
from ticketing_local.template import TEMPLATE_PATH

STOP_SECONDS = 4.0  # SIGTERM or Ctrl-C: the process is gone within this (and a margin)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ticketing-local", description="Run the ticketing platform locally on moto."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000, help="0 picks a free port")
    parser.add_argument("--credentials-file", type=Path, help="write URL and demo keys as JSON")
    parser.add_argument("--template", type=Path, default=TEMPLATE_PATH)
    args = parser.parse_args(argv)

    stack = LocalStack(host=args.host, port=args.port, template_path=args.template)
    try:
        credentials = stack.start()
    except OSError as error:
        print(
            f"ticketing-local: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr
        )
        return 1
    if args.credentials_file:
        args.credentials_file.parent.mkdir(parents=True, exist_ok=True)
        args.credentials_file.write_text(credentials.as_json() + "\n", encoding="utf-8")
    print(
        "ticketing-local is running\n"
        f"  API            {credentials.base_url}\n"
        f"  AWS (moto)     {credentials.aws_endpoint}\n"
        f"  organizer key  {credentials.organizer_key}   (organizer {credentials.organizer_id})\n"
        f"  reviewer key   {credentials.reviewer_key}\n"
        f"  console        {credentials.base_url}/console   (sign in as "
        f"{credentials.organizer_email} or {credentials.reviewer_email})\n"
        f"  outbox         {credentials.base_url}/_local/outbox\n"
        f"  sms            {credentials.base_url}/_local/sms\n"
        "Press Ctrl-C to stop.",
        flush=True,
    )
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    # waits with a timeout: a signal that the kernel hands to another thread is only seen when
    # the main thread wakes (an endless wait would never end)
    with contextlib.suppress(KeyboardInterrupt):
        while not stopped.wait(0.2):
            pass
    _stop(stack)


def _stop(stack: LocalStack) -> NoReturn:
    """Stop within STOP_SECONDS whatever is running: an orderly stop first; then the process
    ends at once, without waiting for an invocation's own threads (a voucher batch's code
    writers) or for keep-alive connections, which would keep it answering for minutes."""
    watchdog = threading.Timer(STOP_SECONDS, os._exit, args=(0,))
    watchdog.daemon = True
    watchdog.start()
    with contextlib.suppress(Exception):  # nothing may keep the process: a closed stdout
        stack.stop()
        print("ticketing-local stopped", flush=True)
        sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
