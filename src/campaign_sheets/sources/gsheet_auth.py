"""Finding the spreadsheet key and the service-account key file of a Google Sheet source."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import gspread
from google.oauth2 import service_account

from .failure import CodedSourceError

SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
_URL_KEY = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]{20,}")


def spreadsheet_key(spec: str) -> str:
    """The key in ``gsheet:<key>``, a Sheets URL, or a bare key."""
    text = spec.strip()
    if text.startswith("gsheet:"):
        text = text[len("gsheet:") :].strip()
    found = _URL_KEY.search(text)
    if found:
        return found.group(1)
    if _BARE_KEY.fullmatch(text):
        return text
    raise CodedSourceError("gsheet.spec_invalid", spec=spec)


def credentials_path(credentials: Path | None) -> Path:
    """The key file to use: the argument, else GOOGLE_APPLICATION_CREDENTIALS, else gspread's."""
    if credentials is not None:
        return Path(credentials).expanduser()
    env = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    if env:
        return Path(env).expanduser()
    return Path(gspread.auth.DEFAULT_SERVICE_ACCOUNT_FILENAME).expanduser()


def load_credentials(path: Path) -> Any:
    """Service-account credentials from ``path``, or a SourceError that says how to make one."""
    default = Path(gspread.auth.DEFAULT_SERVICE_ACCOUNT_FILENAME).expanduser()
    if not path.is_file():
        raise CodedSourceError("gsheet.credentials_missing", path=str(path), default=str(default))
    try:
        return service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
            str(path), scopes=SCOPES
        )
    except (OSError, ValueError, KeyError) as exc:
        detail = str(exc) or type(exc).__name__
        raise CodedSourceError("gsheet.credentials_invalid", path=str(path), detail=detail) from exc
