"""Template loading: the bundled ``templates/``, overridden file by file by ``--templates``."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from ..core.resources import bundled_templates
from .text import page_text


@cache
def environment(override: Path | None = None) -> Environment:
    """A Jinja2 environment with autoescaping on; ``override`` files win over bundled ones."""
    folders = [override] if override is not None else []
    folders.append(bundled_templates())
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["t"] = page_text().text
    return env


def render(name: str, override: Path | None = None, **values: Any) -> bytes:
    """Render template ``name`` to UTF-8 bytes."""
    return environment(override).get_template(name).render(**values).encode("utf-8")
