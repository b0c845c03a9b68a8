"""A module is short enough to read in one sitting, a function short enough to hold in mind."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _sources() -> list[Path]:
    shared = sorted((ROOT / "layers" / "shared" / "ticketing").rglob("*.py"))
    return shared + sorted((ROOT / "functions").glob("*/app.py"))


def test_no_module_of_the_shared_package_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in _sources()
        if "layers" in path.parts
        and (lines := path.read_text(encoding="utf-8").count("\n")) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_80_lines() -> None:
    long = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.name}"] = length
    assert long == {}
