"""Report sentences read once: a sync keeps what each sentence said, by its text, and
the next sync reads only the sentences that were edited. What it counts and warns is
what reading every sentence again gives, and a cache from other code is never used."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from campaign_sheets.commands.common import source_from_config
from campaign_sheets.core.config import load_config
from campaign_sheets.report import sentence
from campaign_sheets.report.sentence import parse_report
from campaign_sheets.rollup import sentence_cache
from campaign_sheets.rollup.sentence_cache import parses_of, read_parses, write_parses
from campaign_sheets.sync import cache_dir, run_sync
from sync_support import Site, contents, make_site, set_cell

SENTENCES = sorted((Path(__file__).parent / "data" / "sentences").glob("*.txt"))
TODAY = date(2026, 11, 24)
KANAGAWA = "14"


def texts() -> list[str]:
    return [path.read_text(encoding="utf-8").strip() for path in SENTENCES]


def test_every_kept_sentence_reads_back_as_the_grammar_reads_it(tmp_path: Path) -> None:
    fresh = parses_of(texts(), KANAGAWA, {})
    write_parses(tmp_path, KANAGAWA, fresh, {})
    kept = read_parses(tmp_path, KANAGAWA)
    assert len(kept) == len(set(texts())) > 200
    for text in texts():
        assert kept[text] == parse_report(text, KANAGAWA), text


def test_kept_sentences_are_of_their_home_prefecture(tmp_path: Path) -> None:
    write_parses(tmp_path, KANAGAWA, parses_of(texts()[:5], KANAGAWA, {}), {})
    assert read_parses(tmp_path, "13") == {}
    assert read_parses(tmp_path, None) == {}


def test_sentences_kept_by_other_code_are_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_parses(tmp_path, KANAGAWA, parses_of(texts()[:5], KANAGAWA, {}), {})
    monkeypatch.setattr(sentence_cache, "code_stamp", lambda: "an upgraded grammar")
    assert read_parses(tmp_path, KANAGAWA) == {}


@pytest.mark.parametrize("damage", [
    b"", b"not a pickle", pickle.dumps(("stamp", {"text": "not a parse"})),
    pickle.dumps(["neither", "stamp", "nor", "parses"]),
])
def test_a_damaged_cache_file_is_only_a_miss(tmp_path: Path, damage: bytes) -> None:
    write_parses(tmp_path, KANAGAWA, parses_of(texts()[:5], KANAGAWA, {}), {})
    (path,) = tmp_path.glob("sentences-*")
    path.write_bytes(damage)
    assert read_parses(tmp_path, KANAGAWA) == {}


def test_damaged_parses_under_the_right_stamp_are_not_used(tmp_path: Path) -> None:
    stamp = sentence_cache._stamp(KANAGAWA)
    (tmp_path / f"sentences-{KANAGAWA}.pickle").write_bytes(
        pickle.dumps((stamp, {"参加は5人": "five"})))
    assert read_parses(tmp_path, KANAGAWA) == {}


def test_only_this_syncs_sentences_are_kept(tmp_path: Path) -> None:
    first = parses_of(texts()[:10], KANAGAWA, {})
    write_parses(tmp_path, KANAGAWA, first, {})
    second = parses_of(texts()[5:12], KANAGAWA, read_parses(tmp_path, KANAGAWA))
    write_parses(tmp_path, KANAGAWA, second, first)
    assert set(read_parses(tmp_path, KANAGAWA)) == set(texts()[5:12])


def counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sentences the grammar reads from here on."""
    read: list[str] = []

    def parse(text: str, home: str | None = None) -> Any:
        read.append(text)
        return parse_report(text, home)

    monkeypatch.setattr(sentence, "parse_report", parse)
    return read


def synced(site: Site, **kwargs: Any) -> Any:
    config = load_config(site.config)
    return run_sync(config, source_from_config(config), today=TODAY, **kwargs)


def test_a_sync_reads_only_the_sentence_that_was_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path / "site", pdf=False)
    read = counting_parses(monkeypatch)
    synced(site)
    assert len(read) == 4  # the example's four report sentences, each once
    edited = "参加は、年金者組合6人、医療生協3人の計2団体9人。チラシ400枚。"
    set_cell(site.workbook, "2026-1028-caravan", "参加報告", edited)
    read.clear()
    kept = synced(site)
    assert read == [edited]
    tree = contents(site.out)

    for path in cache_dir(load_config(site.config)).glob("sentences-*"):
        path.unlink()
    read.clear()
    again = synced(site, force=True)
    assert len(read) == 4
    assert [(p, p.message("ja")) for p in kept.problems] == [
        (p, p.message("ja")) for p in again.problems]
    assert contents(site.out) == tree
