"""Calendar clients poll the served tree: right types, validators, 304s, and nothing to browse."""

from __future__ import annotations

import argparse
import http.client
import os
import time
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from campaign_sheets.commands import serve as serve_command
from campaign_sheets.feeds.build import build_feeds
from campaign_sheets.publish.publication import publish_tree
from campaign_sheets.serve import TreeServer, start_server
from feed_support import TOKEN, context, example_actions

EXTRA = {
    "index.html": b"<!doctype html><title>top</title>",
    "events/station-4/index.html": b"<!doctype html><title>station</title>",
    "events/station-4/qr.png": b"\x89PNG\r\n\x1a\nfake",
    "events/station-4/qr.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    "events/station-4/flyer.pdf": b"%PDF-1.7",
    "reports/by-action.csv": "行動,人数\n".encode(),
    "reports/report.xlsx": b"PK\x03\x04",
    "reports/report.md": b"# report",
}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[TreeServer, Path, dict[str, bytes]]]:
    files = dict(build_feeds(context(example_actions()), {}).files)
    files.update(EXTRA)
    out = tmp_path / "public"
    publish_tree(files, out)
    server, _url = start_server(out)
    try:
        yield server, out, files
    finally:
        server.shutdown()
        server.server_close()


def _request(
    server: TreeServer, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_feed_is_served_as_text_calendar_with_strong_validators(served: tuple) -> None:
    server, _out, files = served
    status, headers, body = _request(server, "/calendar.ics")
    assert status == 200 and body == files["calendar.ics"]
    assert headers["content-type"] == "text/calendar; charset=utf-8"
    assert headers["etag"].startswith('"') and not headers["etag"].startswith("W/")
    assert headers["content-length"] == str(len(body))
    assert "last-modified" in headers


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/feeds.json", "application/json"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/events/station-4/qr.png", "image/png"),
        ("/events/station-4/qr.svg", "image/svg+xml"),
        ("/events/station-4/flyer.pdf", "application/pdf"),
        ("/reports/by-action.csv", "text/csv; charset=utf-8"),
        ("/reports/report.md", "text/markdown; charset=utf-8"),
        ("/reports/report.xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("/events/station-4/event.ics", "text/calendar; charset=utf-8"),
    ],
)
def test_each_kind_of_file_has_its_content_type(served: tuple, path: str, expected: str) -> None:
    status, headers, _body = _request(served[0], path)
    assert status == 200 and headers["content-type"] == expected


def test_unchanged_feed_answers_304_to_etag_and_date(served: tuple) -> None:
    server = served[0]
    _s, headers, _b = _request(server, "/calendar.ics")
    match = {"If-None-Match": headers["etag"]}
    status, again, body = _request(server, "/calendar.ics", headers=match)
    assert status == 304 and body == b"" and again["etag"] == headers["etag"]
    listed = f'"other", {headers["etag"]}'
    assert _request(server, "/calendar.ics", headers={"If-None-Match": listed})[0] == 304
    assert _request(server, "/calendar.ics", headers={"If-None-Match": '"other"'})[0] == 200
    since = {"If-Modified-Since": headers["last-modified"]}
    assert _request(server, "/calendar.ics", headers=since)[0] == 304
    old = {"If-Modified-Since": formatdate(time.time() - 86400 * 365, usegmt=True)}
    assert _request(server, "/calendar.ics", headers=old)[0] == 200
    # If-None-Match decides when both are sent
    both = {"If-None-Match": '"other"', **since}
    assert _request(server, "/calendar.ics", headers=both)[0] == 200


def test_head_sends_the_headers_of_get_without_a_body(served: tuple) -> None:
    server, _out, files = served
    status, headers, body = _request(server, "/calendar.ics", method="HEAD")
    assert status == 200 and body == b""
    assert headers["content-length"] == str(len(files["calendar.ics"]))
    assert headers["etag"] == _request(server, "/calendar.ics")[1]["etag"]


@pytest.mark.parametrize(
    "path",
    ["/kinds/", "/kinds", "/members/", "/members", f"/members/{TOKEN}/", "/events/",
     "/nothing.ics", "/.public.generations/", "/%2Epublic.generations/"],
)
def test_no_folder_is_ever_listed(served: tuple, path: str) -> None:
    status, _headers, body = _request(served[0], path)
    assert status == 404
    assert b"calendar.ics" not in body and TOKEN.encode() not in body


def test_a_folder_with_an_index_page_shows_the_page(served: tuple) -> None:
    server = served[0]
    status, headers, body = _request(server, "/events/station-4/")
    assert status == 200 and body == EXTRA["events/station-4/index.html"]
    status, headers, _ = _request(server, "/events/station-4")
    assert status == 301 and headers["location"] == "/events/station-4/"
    assert _request(server, "/")[2] == EXTRA["index.html"]


@pytest.mark.parametrize(
    "path",
    ["/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/kinds/..%2f..%2fsecret.txt",
     "/kinds/%2e%2e/%2e%2e/secret.txt", "/kinds/..%5c..%5csecret.txt", "/escape/secret.txt",
     "/outside.txt", "/kinds/%00.ics"],
)
def test_paths_cannot_escape_the_tree(served: tuple, path: str) -> None:
    server, out, _files = served
    secret = out.resolve().parent.parent / "secret.txt"
    secret.write_text("SECRET")
    tree = out.resolve()
    os.symlink(secret.parent, tree / "escape")
    os.symlink(secret, tree / "outside.txt")
    status, _headers, body = _request(server, path)
    assert status in (400, 404) and b"SECRET" not in body


def test_a_new_publish_is_served_at_once(served: tuple) -> None:
    server, out, files = served
    tag = _request(server, "/calendar.ics")[1]["etag"]
    changed = dict(files, **{"calendar.ics": files["calendar.ics"].replace(b"PT6H", b"PT1H")})
    publish_tree(changed, out)
    status, headers, body = _request(server, "/calendar.ics", headers={"If-None-Match": tag})
    assert status == 200 and headers["etag"] != tag and b"PT1H" in body


def test_serve_command_without_a_tree_says_to_sync_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    serve_command.add_parser(parser.add_subparsers())
    args = parser.parse_args(["serve", "--out", str(tmp_path / "missing"), "--lang", "en"])
    assert args.host == "127.0.0.1" and args.port == 8000
    assert args.run(args) == 2
    assert "campaign-sheets sync" in capsys.readouterr().err
