"""The README's curl walkthrough runs as written, top to bottom, in a fresh shell (issue 18).

The block is read from README.md itself, so the test breaks when the README does. It runs in
a folder of its own that has the checkout's Makefile and .venv (the files it writes land
there), with ``PORT=0`` so that it does not need port 3000."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import openpyxl
import pytest

from tests.pdf_reading import pdf_text

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def walkthrough() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Calling it with curl", 1)[1]
    match = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert match, "the README has no curl walkthrough"
    return match.group(1)


def test_the_readme_walkthrough_runs_as_written(tmp_path: Path) -> None:
    (tmp_path / "Makefile").symlink_to(ROOT / "Makefile")
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    # make's install step runs when pyproject.toml is newer than the venv: not here, where the
    # checkout's venv is already installed
    (tmp_path / "pyproject.toml").write_text("# the checkout's venv is installed\n")
    os.utime(tmp_path / "pyproject.toml", (0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MAKE", "VIRTUAL_ENV"))}
    env["PORT"] = "0"
    # a file, not a pipe: the stack started in the background keeps its output open
    log = tmp_path / "walkthrough.log"
    with log.open("wb") as out:
        shell = subprocess.Popen(
            ["bash", "-euo", "pipefail", "-c", walkthrough()],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            shell.wait(timeout=240)
        finally:
            # the stack it started in the background: its whole process group
            os.killpg(shell.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(shell.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        os.killpg(shell.pid, signal.SIGKILL)
        pytest.fail("the walkthrough's stack did not stop on SIGTERM")
    text = log.read_text(encoding="utf-8", errors="replace")
    assert shell.returncode == 0, text
    event = re.search(r"^event (evt_\w+)$", text, re.MULTILINE)
    order = re.search(r"^order (\S+)$", text, re.MULTILINE)
    assert event, text
    assert order, text
    assert '"api_key"' in text  # the exhibitor was created
    assert "Müller" in text or "M\\u00fcller" in text  # the search found the booking
    rows = list(openpyxl.load_workbook(io.BytesIO((tmp_path / "bookings.xlsx").read_bytes()))
                .active.iter_rows(values_only=True))  # fmt: skip
    assert any(order.group(1) in row for row in rows[1:])
    assert order.group(1) in pdf_text((tmp_path / "invoice.pdf").read_bytes())
    outbox = re.search(r'^\[\{"index": 0, .*"subject"', text, re.MULTILINE)
    assert outbox, text  # the outbox lists the mails sent
