"""The `cchc` console command."""

from __future__ import annotations

import pytest

from cchc import cli


def test_help_lists_the_subcommands(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("demo", "serve", "load-units", "import-procedures"):
        assert command in out


@pytest.mark.django_db
def test_django_commands_pass_through(capsys) -> None:
    assert cli.main(["check"]) == 0
    assert "no issues" in capsys.readouterr().out


@pytest.mark.django_db
def test_verify_history_is_clean_on_an_empty_database(capsys) -> None:
    assert cli.main(["verify-history"]) == 0
    assert "không phát hiện sai lệch" in capsys.readouterr().out
