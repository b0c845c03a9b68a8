"""Settings come from the environment the template gives a function; where several functions
share a process (the local stack, the tests), each invocation sees its own function's only."""

from __future__ import annotations

import threading

import pytest

from ticketing import settings as settings_module
from ticketing.settings import MissingSetting, scoped_environment, settings


def test_a_missing_variable_is_an_error_that_names_it() -> None:
    with (
        scoped_environment({"MAIL_QUEUE_URL": "https://queue"}),
        pytest.raises(MissingSetting) as missing,
    ):
        _ = settings().table_name
    assert missing.value.name == "TABLE_NAME"
    assert "TABLE_NAME" in str(missing.value)


def test_a_scoped_environment_replaces_the_process_environment_for_its_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TABLE_NAME", "from-the-process")
    settings_module.reset()
    try:
        with scoped_environment({"DOCUMENTS_BUCKET": "docs"}):
            assert settings().documents_bucket == "docs"
            with pytest.raises(MissingSetting):
                _ = settings().table_name  # the process's variable is not lent to the function
        assert settings().table_name == "from-the-process"
    finally:
        monkeypatch.undo()
        settings_module.reset()


def test_concurrent_invocations_each_keep_their_own_function_environment() -> None:
    both_inside = threading.Barrier(2, timeout=5)
    seen: dict[str, str] = {}

    def invoke(function: str) -> None:
        with scoped_environment({"TABLE_NAME": f"table-of-{function}"}):
            both_inside.wait()  # the other thread has entered its own scope meanwhile
            seen[function] = settings().table_name

    threads = [threading.Thread(target=invoke, args=(name,)) for name in ("Bookings", "Mailer")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"Bookings": "table-of-Bookings", "Mailer": "table-of-Mailer"}
