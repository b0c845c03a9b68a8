"""``ticketing-openapi``: the API's OpenAPI document, built from this repository's code.

The template says which functions serve HTTP and which routes need no key; each function's
module is imported as Lambda would import it (no environment needed), and
``ticketing.api.openapi`` assembles their resolvers' descriptions into one document.

    ticketing-openapi            print the document
    ticketing-openapi --write    write docs/openapi.json (CI fails while it is stale)
    ticketing-openapi --check    exit 1 when docs/openapi.json is not what the code describes

The local stack serves the same document at /openapi.json, with itself as the server.
"""

from __future__ import annotations

import argparse
import ast
import functools
import re
import sys
import tomllib
from dataclasses import replace
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from ticketing.api.openapi import Document, HttpFunction, describe, render
from ticketing_local.runtime import load_handler
from ticketing_local.template import REGION, REPO_ROOT, Function, load_template, read_stack

DOCUMENT_PATH = REPO_ROOT / "docs" / "openapi.json"
WRITE_COMMAND = ".venv/bin/ticketing-openapi --write"
LOCAL_URL = "http://127.0.0.1:3000"  # where ticketing-local listens unless told otherwise


def document(server_url: str | None = None) -> Document:
    """The document; with ``server_url``, that server alone (the local stack's own URL)."""
    built = _built()
    if server_url is None:
        return built
    return {**built, "servers": [{"url": server_url, "description": "This local stack"}]}


def current_text() -> str:
    """What docs/openapi.json must contain."""
    return render(document())


@functools.cache
def _built() -> Document:
    template = load_template()
    stack = read_stack(template, {})
    functions = [_http_function(f) for _, f in sorted(stack.functions.items()) if f.routes]
    public = {(route.method, route.path) for route in stack.routes if not route.authorized}
    first, _, _ = str(template.get("Description", "")).partition(". ")
    return describe(
        functions,
        public,
        servers=[_deployed_server(template), {"url": LOCAL_URL, "description": "ticketing-local"}],
        version=_version(),
        description=f"{first.strip().rstrip('.')}.",
    )


def _http_function(function: Function) -> HttpFunction:
    module = function.handler.rpartition(".")[0]
    # every HTTP function's module names its resolver ``app``; import it as the runtime does
    app = load_handler(replace(function, handler=f"{module}.app"))
    if not isinstance(app, APIGatewayRestResolver):
        raise TypeError(f"{function.logical_id}: app is not an APIGatewayRestResolver")
    source = (function.code_dir / f"{module.replace('.', '/')}.py").read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(source)) or ""
    return HttpFunction(
        tag=function.code_dir.name.replace("_", " ").capitalize(),
        description=" ".join(docstring.split("\n\n")[0].split()),
        app=app,
    )


def _deployed_server(template: dict[str, Any]) -> dict[str, Any]:
    """The template's ApiUrl output, its ``${...}`` parts as server variables."""
    url = str(template["Outputs"]["ApiUrl"]["Value"]["Fn::Sub"])
    stages = (template.get("Parameters") or {}).get("Stage") or {}
    defaults = {"api": "api-id", "region": REGION, "stage": str(stages.get("Default", "v1"))}
    names = [name.rpartition("::")[2].lower() for name in re.findall(r"\$\{([^}]+)\}", url)]
    return {
        "url": re.sub(r"\$\{(?:[^}]*::)?([^}]+)\}", lambda m: "{" + m[1].lower() + "}", url),
        "description": "Deployed with sam deploy (the stack's ApiUrl output)",
        "variables": {name: {"default": defaults.get(name, name)} for name in names},
    }


def _version() -> str:
    # pyproject's, not the installed metadata's: the document must not depend on an install
    with (REPO_ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ticketing-openapi", description="The API's OpenAPI document, built from the code."
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help=f"write {DOCUMENT_PATH.name}")
    action.add_argument("--check", action="store_true", help="exit 1 when it is stale")
    args = parser.parse_args(argv)
    text = current_text()
    if args.write:
        DOCUMENT_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {DOCUMENT_PATH.relative_to(REPO_ROOT)}")
    elif args.check:
        if not DOCUMENT_PATH.exists() or DOCUMENT_PATH.read_text(encoding="utf-8") != text:
            print(f"{DOCUMENT_PATH} is stale; run {WRITE_COMMAND}", file=sys.stderr)
            return 1
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
