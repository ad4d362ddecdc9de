"""A registration link that still holds the bundled ``FORM_ID``, or that is not https, is
never printed: ``check`` names it in the configuration (or the cell), and ``sync``
publishes the pages saying that registration is not open yet, with no button, no QR
code and no link in any flyer or feed."""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import openpyxl
import pytest

from campaign_sheets.cli import main
from campaign_sheets.core.urls import link_refusal, placeholder_in, template_refusal

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = (ROOT / "config" / "campaign.toml").read_text(encoding="utf-8")
REAL_FORM = ("https://docs.google.com/forms/d/e/1FAIpQLSf3qW8rT5yU2iO9pA4sD7fG1hJ6kL0zX3cV5bN8m"
             "/viewform?usp=pp_url&entry.1061254370={id}&entry.2095814622={org}")
CONFIG = """source = "行動予定.xlsx"
fiscal_year = 2026
flyer_pdf = false
lang = "en"
[calendar]
name = "地区社保協 行動予定"
uid_domain = "shaho.test-council.jp"
base_url = "https://calendar.test-council.jp/"
[registration]
url_template = "{template}"
"""


def _run(*argv: str, cwd: Path | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _site(folder: Path, template: str, row_link: str = "") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "行動"
    sheet.append(["ID", "種別", "行動名", "日付", "主催", "申込URL"])
    sheet.append(["rally-1", "集会", "秋の大集会", "2026-12-06", "", ""])
    sheet.append(["course-1", "講座", "社会保障講座", "2026-12-10", "", row_link or None])
    book.save(folder / "行動予定.xlsx")
    config = folder / "campaign-sheets.toml"
    config.write_text(CONFIG.replace("{template}", template), encoding="utf-8")
    return config


def _problems(config: Path) -> tuple[int, list[dict[str, str]]]:
    code, out, _ = _run("check", "--config", str(config), "--format", "json")
    return code, json.loads(out)["problems"]


def test_the_placeholders_people_leave_are_recognised() -> None:
    for url in ("https://docs.google.com/forms/d/e/FORM_ID/viewform",
                "https://docs.google.com/forms/d/e/<フォームID>/viewform",
                "https://forms.gle/XXXX", "https://docs.google.com/forms/d/e/YOUR_FORM_ID/x",
                "https://docs.google.com/forms/d/e/%3Cform%3E/viewform"):
        assert placeholder_in(url) is not None, url
        assert link_refusal(url) == "url.placeholder"
    for url in (REAL_FORM, "https://forms.gle/AbCxxxxD3", "https://example-council.jp/form"):
        assert placeholder_in(url) is None, url
    assert link_refusal("http://forms.test-council.jp/a") == "url.not_https"
    assert template_refusal("https://example.org/form?id={id}") == "url.placeholder"
    assert template_refusal(REAL_FORM) is None


def test_the_bundled_example_says_its_form_is_a_placeholder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run("check", "--format", "json")
    problems = json.loads(out)["problems"]
    assert code == 0
    assert [(p["sheet"], p["column"], p["severity"], p["code"]) for p in problems] == [
        ("campaign.toml", "registration.url_template", "warning", "config.template_placeholder")]


def test_a_placeholder_template_is_an_error_and_nothing_prints_it(tmp_path: Path) -> None:
    template = "https://docs.google.com/forms/d/e/FORM_ID/viewform?usp=pp_url&entry.111={id}"
    config = _site(tmp_path, template)
    code, problems = _problems(config)
    assert code == 1
    assert {(p["sheet"], p["column"], p["severity"], p["code"]) for p in problems} == {
        ("campaign-sheets.toml", "registration.url_template", "error",
         "config.template_placeholder"),
        ("campaign-sheets.toml", "registration.url_template", "warning",
         "config.template_example_entries"),
    }
    code, _, err = _run("sync", "--config", str(config), "--quiet")
    assert code == 1 and "config.template_placeholder" in err
    public = tmp_path / "public"
    for path in public.resolve().rglob("*"):
        if path.is_file():
            assert b"FORM_ID" not in path.read_bytes(), path
    page = (public / "events" / "rally-1" / "index.html").read_text(encoding="utf-8")
    assert 'id="register-pending"' in page and 'id="register"' not in page
    assert not (public / "events" / "rally-1" / "qr.svg").exists()
    flyer = (public / "events" / "rally-1" / "flyer.html").read_text("utf-8")
    # the printed flyer says so too, rather than leaving the reader to wonder
    assert "<img" not in flyer and "申込の受付はまだ始まっていません。" in flyer


def test_an_http_template_is_an_error_and_an_http_cell_a_warning(tmp_path: Path) -> None:
    config = _site(tmp_path, "http://forms.test-council.jp/apply?event={id}",
                   row_link="http://forms.test-council.jp/course")
    code, problems = _problems(config)
    assert code == 1
    found = {(p["sheet"], p["cell"] or p["column"], p["severity"], p["code"])
             for p in problems}
    assert found == {
        ("campaign-sheets.toml", "registration.url_template", "error",
         "config.template_not_https"),
        ("行動", "F3", "warning", "url.not_https"),
    }
    _run("sync", "--config", str(config), "--quiet")
    public = tmp_path / "public"
    for event in ("rally-1", "course-1"):
        page = (public / "events" / event / "index.html").read_text(encoding="utf-8")
        assert 'id="register-pending"' in page, event
        assert "http://forms" not in page
    assert b"http://forms" not in (public / "calendar.ics").read_bytes()


def test_a_real_form_is_printed_as_before(tmp_path: Path) -> None:
    config = _site(tmp_path, REAL_FORM)
    code, problems = _problems(config)
    assert (code, problems) == (0, [])
    assert _run("sync", "--config", str(config), "--quiet")[0] == 0
    page = (tmp_path / "public" / "events" / "rally-1" / "index.html").read_text("utf-8")
    assert 'id="register"' in page and "entry.1061254370=rally-1" in page
    assert (tmp_path / "public" / "events" / "rally-1" / "qr.svg").is_file()


def test_a_copy_of_the_bundled_configuration_is_told_what_is_still_the_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "config" / "campaign.toml", tmp_path / "campaign-sheets.toml")
    code, out, err = _run("check", "--format", "json")
    assert code == 1
    problems = json.loads(out)["problems"]
    assert {p["column"] for p in problems if p["code"] == "config.example_value"} == {
        "calendar.name", "calendar.description", "calendar.uid_domain", "calendar.base_url"}
    # the workbook it names is the example's, which is not beside the copy
    assert "init --xlsx 行動予定.xlsx" in err
    assert "kanagawa.xlsx`" not in err
