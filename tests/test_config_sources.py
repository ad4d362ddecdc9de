"""A national body lists its councils' sheets as ``[[sources]]``; every mistake in that
list is named with its table's number and how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign_sheets.core.config import SourceConfig, parse_config
from campaign_sheets.core.errors import ConfigError
from campaign_sheets.national import councils_of

TWO = """
[[sources]]
source = "kanagawa.xlsx"
prefecture = "神奈川県"
name = "神奈川県社保協"

[[sources]]
source = "gsheet:abc"
prefecture = "13"
name = "東京社保協"
"""


def test_each_source_with_its_prefecture(tmp_path: Path) -> None:
    config = parse_config(TWO, tmp_path)
    assert config.source == ""
    assert config.sources == (
        SourceConfig(str(tmp_path / "kanagawa.xlsx"), "神奈川県", "神奈川県社保協"),
        SourceConfig("gsheet:abc", "13", "東京社保協"),
    )
    councils = councils_of(config)
    assert [(c.code, c.prefecture) for c in councils] == [("14", "神奈川県"), ("13", "東京都")]
    assert councils[1].config.source == "gsheet:abc"
    assert councils[1].config.prefecture == "13"


def messages(text: str, tmp_path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        councils_of(parse_config(text, tmp_path))
    return caught.value.messages("ja")


@pytest.mark.parametrize(("text", "expected"), [
    ('source = "a.xlsx"\n' + TWO, "source」と「[[sources]]」の両方"),
    ("sources = 3\n", "[[sources]] の表"),
    ('[[sources]]\nsource = "a.xlsx"\nprefecture = "神奈川県"\n', "sources[1].name がありません"),
    ('[[sources]]\nsource = "a.xlsx"\nprefecture = "神奈川県"\nname = "A"\ncolour = "red"\n',
     "sources[1].colour"),
    (TWO.replace("東京社保協", "神奈川県社保協"),
     "sources[2].name の「神奈川県社保協」は sources[1]"),
    (TWO.replace('"13"', '"神奈川"'), "sources[2].prefecture の神奈川県は「神奈川県社保協」"),
    (TWO.replace('"13"', '"ムー大陸"'), "sources[2].prefecture の「ムー大陸」"),
])
def test_a_mistake_in_the_list_is_named(text: str, expected: str, tmp_path: Path) -> None:
    assert any(expected in m for m in messages(text, tmp_path))


def test_the_source_option_does_not_mix_with_sources(tmp_path: Path, capsys: object) -> None:
    from campaign_sheets.cli import main

    config = tmp_path / "campaign-sheets.toml"
    config.write_text(TWO, encoding="utf-8")
    assert main(["check", "--config", str(config), "--source", "other.xlsx"]) == 2
    assert "[[sources]]" in capsys.readouterr().err  # type: ignore[attr-defined]
