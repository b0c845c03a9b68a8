"""``ticketing-admin``: operator tasks on a deployed stack (uses your AWS credentials).

The platform's staff keys cannot be made through the API (someone must hold the first one);
this makes a reviewer key directly in the table, through the same use case the local stack
uses for its demo reviewer.
"""

from __future__ import annotations

import argparse
import os

from ticketing import clock
from ticketing.adapters.access_store import DynamoAccessStore
from ticketing.adapters.dynamo import Table
from ticketing.services import access


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ticketing-admin")
    commands = parser.add_subparsers(dest="command", required=True)
    reviewer = commands.add_parser("create-reviewer", help="make a platform staff (reviewer) key")
    reviewer.add_argument("--table", required=True, help="the stack's TableName output")
    reviewer.add_argument("--region", default=os.environ.get("AWS_REGION", "eu-central-1"))
    args = parser.parse_args(argv)

    os.environ.setdefault("AWS_REGION", args.region)
    os.environ.setdefault("AWS_DEFAULT_REGION", args.region)
    token = access.create_reviewer(DynamoAccessStore(Table(name=args.table)), clock.current())
    print(token)
    print("Store this key now; it is not shown again.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
