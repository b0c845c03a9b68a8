"""``ticketing-admin``: operator tasks on a deployed stack (uses your AWS credentials).

The platform's staff keys cannot be made through the API (someone must hold the first one);
this makes a reviewer key directly in the table, through the same use case the local stack
uses for its demo reviewer. ``backfill-person-index`` lists items written before the person
index existed under their person (adapters/person_backfill.py), resumably.
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
    backfill = commands.add_parser(
        "backfill-person-index",
        help="list items written before the person index existed under their person (issue 17)",
        description="Resumable and idempotent: run it again after a stop, it goes on where it "
        "stood and writes only missing entries. Needs the stack's PersonIndexKey in "
        "PERSON_INDEX_KEY. Exits 3 while segments are left (after --max-pages).",
    )
    backfill.add_argument("--table", required=True, help="the stack's TableName output")
    backfill.add_argument("--region", default=os.environ.get("AWS_REGION", "eu-central-1"))
    backfill.add_argument("--segments", type=int, default=4, help="parallel scan segments")
    backfill.add_argument("--page-size", type=int, default=200, help="items read per page")
    backfill.add_argument(
        "--max-pages", type=int, default=None, help="stop each segment after this many pages"
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("AWS_REGION", args.region)
    os.environ.setdefault("AWS_DEFAULT_REGION", args.region)
    if args.command == "backfill-person-index":
        return _backfill(args)
    token = access.create_reviewer(DynamoAccessStore(Table(name=args.table)), clock.current())
    print(token)
    print("Store this key now; it is not shown again.", flush=True)
    return 0


def _backfill(args: argparse.Namespace) -> int:
    from ticketing.adapters.person_backfill import PersonIndexBackfill
    from ticketing.adapters.person_index import DynamoPersonIndex

    if not os.environ.get("PERSON_INDEX_KEY"):
        print("PERSON_INDEX_KEY is not set: give it the stack's PersonIndexKey.", flush=True)
        return 2
    people = DynamoPersonIndex(Table(name=args.table))
    report = PersonIndexBackfill(people).run(args.segments, args.page_size, args.max_pages)
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(report.by_kind.items())) or "none"
    print(
        f"read {report.items} items, wrote {report.written} entries ({kinds}), "
        f"{report.present} already there; segments done {report.segments_done}/"
        f"{report.segments}" + ("" if report.finished else ": run again to go on"),
        flush=True,
    )
    return 0 if report.finished else 3


if __name__ == "__main__":
    raise SystemExit(main())
