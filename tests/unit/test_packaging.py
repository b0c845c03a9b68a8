"""The wheel and the Lambda layer hold every package of the code (an editable install hides
a package missing from pyproject's list)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_of_the_shared_layer_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    base = ROOT / "layers" / "shared"
    found = {
        ".".join(init.parent.relative_to(base).parts)
        for init in (base / "ticketing").rglob("__init__.py")
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages"
