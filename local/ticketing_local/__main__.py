"""``ticketing-local``: start the whole platform on localhost, on moto, with a demo tenant."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from pathlib import Path

from ticketing_local.stack import LocalStack
from ticketing_local.template import TEMPLATE_PATH


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
        f"  outbox         {credentials.base_url}/_local/outbox\n"
        "Press Ctrl-C to stop.",
        flush=True,
    )
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    with contextlib.suppress(KeyboardInterrupt):
        stopped.wait()
    stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
