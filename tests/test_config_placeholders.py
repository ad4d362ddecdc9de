"""A newcomer fills in the starter configuration too literally: uncomments
``base_url = "https://会のホームページ/calendar/"`` and calls the calendar
``○○社保協 行動予定``, as the comments' examples say. ``check`` names each blank left
in; no subscribe link or QR code is made from an address that leads nowhere; an address
that is not a web link at all stops the command and says which key."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import openpyxl

from campaign_sheets.cli import main
from campaign_sheets.core.urls import placeholder_in

CONFIG = """source = "行動予定.xlsx"
fiscal_year = 2026
flyer_pdf = false
lang = "{lang}"
[calendar]
name = "{name}"
uid_domain = "shaho.test-council.jp"
base_url = "{base_url}"
"""
REAL_BASE = "https://calendar.test-council.jp/"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _site(folder: Path, name: str, base_url: str, lang: str = "en") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "行動"
    sheet.append(["ID", "種別", "行動名", "日付"])
    sheet.append(["rally-1", "集会", "秋の大集会", "2026-12-06"])
    book.save(folder / "行動予定.xlsx")
    config = folder / "campaign-sheets.toml"
    config.write_text(CONFIG.format(name=name, base_url=base_url, lang=lang), encoding="utf-8")
    return config


def _problems(config: Path) -> tuple[int, set[tuple[str, str, str]]]:
    code, out, _ = _run("check", "--config", str(config), "--format", "json")
    return code, {(p["column"], p["severity"], p["code"])
                  for p in json.loads(out)["problems"]}


def test_the_blanks_japanese_examples_leave_are_placeholders() -> None:
    for text in ("○○社保協 行動予定", "〇〇市社保協", "https://会のホームページ/calendar/",
                 "https://xxxx.jp/calendar/", "https://%E2%97%8B%E2%97%8B.jp/"):
        assert placeholder_in(text) is not None, text
    for text in ("川崎市社保協 行動予定", REAL_BASE, "年金者組合○"):
        assert placeholder_in(text) is None, text


def test_a_base_url_left_as_the_starter_says_is_an_error_and_no_link_is_made_of_it(
    tmp_path: Path
) -> None:
    config = _site(tmp_path, "○○社保協 行動予定", "https://会のホームページ/calendar/")
    code, problems = _problems(config)
    assert code == 1
    assert problems == {
        ("calendar.base_url", "error", "config.base_url_placeholder"),
        ("calendar.name", "warning", "config.text_placeholder"),
    }
    code, _, err = _run("sync", "--config", str(config), "--quiet")
    assert code == 1 and "会のホームページ" in err
    public = tmp_path / "public"
    for path in public.resolve().rglob("*"):
        if path.is_file() and path.suffix in (".html", ".ics", ".json"):
            text = path.read_text(encoding="utf-8")
            assert "会のホームページ" not in text and "%E4%BC%9A" not in text, path
    feeds = json.loads((public / "feeds.json").read_text(encoding="utf-8"))
    assert feeds["feeds"] and all(not f["url"].startswith("http") for f in feeds["feeds"])
    assert not (public / "qr.svg").exists()


def test_a_real_base_url_makes_links_and_the_page_qr_code(tmp_path: Path) -> None:
    config = _site(tmp_path, "川崎市社保協 行動予定", REAL_BASE)
    assert _problems(config) == (0, set())
    assert _run("sync", "--config", str(config), "--quiet")[0] == 0
    feeds = json.loads((tmp_path / "public" / "feeds.json").read_text(encoding="utf-8"))
    assert all(f["url"].startswith(REAL_BASE) for f in feeds["feeds"])
    assert (tmp_path / "public" / "qr.svg").is_file()


def test_a_base_url_that_is_no_web_address_stops_the_command_in_the_configured_language(
    tmp_path: Path
) -> None:
    config = _site(tmp_path, "川崎市社保協 行動予定", "www.test-council.jp/calendar", lang="ja")
    code, _, err = _run("check", "--config", str(config))
    assert code == 2
    assert "calendar.base_url「www.test-council.jp/calendar」はウェブのアドレス" in err


def test_what_a_cell_puts_into_a_filled_link_is_data_not_a_blank_left() -> None:
    from datetime import date

    from campaign_sheets.core.config import Config, RegistrationConfig
    from campaign_sheets.core.model import Action
    from campaign_sheets.pages.links import registration_link

    config = Config(registration=RegistrationConfig(
        url_template="https://forms.shaho-kanagawa.jp/apply?event={id}&org={org}"))
    action = Action(id="st-1", kind="street", title="○○駅 宣伝 XXXX", date=date(2026, 12, 4),
                    organizer="○○会")
    # an organisation or title typed with marks that look like blanks still registers
    link = registration_link(action, config, "○○会", "maru")
    assert link.url is not None and link.refused is None
    # but a row's own 申込URL that still holds a blank is refused
    own = registration_link(Action(id="st-2", kind="street", title="宣伝",
                                   date=date(2026, 12, 4),
                                   registration="https://docs.google.com/forms/d/e/FORM_ID/viewform"),
                            config)
    assert own.url is None and own.refused == "url.placeholder"
