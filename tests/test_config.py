"""The configuration file: fixed keys, every problem listed, paths relative to the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign_sheets.core.config import parse_config
from campaign_sheets.core.errors import ConfigError
from campaign_sheets.core.resources import bundled_config


def test_bundled_config_reads_and_points_at_the_example(tmp_path: Path) -> None:
    path = bundled_config()
    config = parse_config(path.read_text("utf-8"), path.parent, bundled=True)
    assert Path(config.source).name == "kanagawa.xlsx"
    assert config.fiscal_year == 2026
    assert config.calendar.refresh == "PT6H"
    # the bundled config never writes inside the package
    assert config.out == Path.cwd() / "public"
    assert config.write_back is False


def test_every_unknown_key_is_named_at_once(tmp_path: Path) -> None:
    text = 'sorce = "a.xlsx"\nfiscal_yaer = 2025\n[calendar]\nnmae = "x"\n[extra]\n'
    with pytest.raises(ConfigError) as info:
        parse_config(text, tmp_path)
    problems = "\n".join(info.value.problems)
    for key in ("sorce", "fiscal_yaer", "calendar.nmae", "extra"):
        assert f"'{key}'" in problems
    assert len(info.value.problems) == 4


def test_wrong_types_and_values_are_reported(tmp_path: Path) -> None:
    text = 'fiscal_year = "2025"\ntimezone = "Asia/Tokio"\nlang = "fr"\n[members]\ntoken_env = 3\n'
    with pytest.raises(ConfigError) as info:
        parse_config(text, tmp_path)
    assert len(info.value.problems) == 4


def test_relative_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    config = parse_config('source = "data/x.xlsx"\nout = "site"\n', tmp_path)
    assert config.source == str(tmp_path / "data" / "x.xlsx")
    assert config.out == tmp_path / "site"
    assert config.write_back is True


def test_a_google_sheet_source_is_kept_as_typed(tmp_path: Path) -> None:
    config = parse_config('source = "gsheet:abc123"\n', tmp_path)
    assert config.source == "gsheet:abc123"


def test_broken_toml_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TOML"):
        parse_config("source = ", tmp_path)


def test_members_token_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = parse_config('[members]\ntoken_env = "MY_TOKEN"\n', tmp_path)
    monkeypatch.delenv("MY_TOKEN", raising=False)
    assert config.members.token() is None
    monkeypatch.setenv("MY_TOKEN", "  s3cret ")
    assert config.members.token() == "s3cret"
