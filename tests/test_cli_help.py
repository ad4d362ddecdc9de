"""A newcomer reads ``--help``: every command says what it does, every option has a
line; ``--lang``, ``--config`` and ``--source`` work before the command as after it;
a broken configuration is explained in the language it asks for."""

from __future__ import annotations

import argparse
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from campaign_sheets.cli import COMMANDS, build_parser, main


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # --help
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_describes_itself_and_every_option(command: str) -> None:
    parser = _subparsers()[command]
    assert parser.description and len(parser.description) > 40, command
    for action in parser._actions:
        assert action.help, f"{command} {action.option_strings or action.dest} has no help"
    code, out, _ = _run(command, "--help")
    assert code == 0 and parser.description.split()[0] in out


def test_every_top_level_option_has_help() -> None:
    assert all(action.help for action in build_parser()._actions)


WORKBOOK_CONFIG = 'source = "missing.xlsx"\nlang = "{lang}"\n'


def test_lang_before_the_command_means_the_same_as_after(tmp_path: Path) -> None:
    config = tmp_path / "campaign-sheets.toml"
    config.write_text(WORKBOOK_CONFIG.format(lang="ja"), encoding="utf-8")
    before = _run("--lang", "en", "--config", str(config), "check")
    after = _run("check", "--config", str(config), "--lang", "en")
    assert before == after
    assert before[0] == 1 and "was not found" in before[2]
    sentence = "年金者組合5人、医療生協3人の計3団体8人。"
    parsed = _run("--lang", "en", "parse", sentence)
    assert json.loads(parsed[1])["warnings"][0]["message"].startswith("The stated total")


def test_source_before_the_command_is_used(tmp_path: Path) -> None:
    code, _, err = _run("--source", str(tmp_path / "other.xlsx"), "check")
    assert code == 1 and "other.xlsx" in err


@pytest.mark.parametrize(("lang", "expected"), [("ja", "知らない項目「sorce」"),
                                                ("en", "Unknown key 'sorce'")])
def test_a_broken_configuration_is_explained_in_its_own_language(
    tmp_path: Path, lang: str, expected: str
) -> None:
    config = tmp_path / "campaign-sheets.toml"
    config.write_text(f'sorce = "x.xlsx"\nfiscal_year = "2026"\nlang = "{lang}"\n',
                      encoding="utf-8")
    code, _, err = _run("check", "--config", str(config))
    assert code == 2
    assert expected in err
    assert ("2026 のような年" if lang == "ja" else "a year such as 2026") in err


def test_lang_on_the_command_line_wins_over_the_configuration(tmp_path: Path) -> None:
    config = tmp_path / "campaign-sheets.toml"
    config.write_text('sorce = "x.xlsx"\nlang = "ja"\n', encoding="utf-8")
    assert "Unknown key 'sorce'" in _run("--lang", "en", "sync", "--config", str(config))[2]
