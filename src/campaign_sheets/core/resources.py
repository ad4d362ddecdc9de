"""Where the bundled templates, config and example live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def bundled_path(*parts: str) -> Path:
    """A bundled file or folder: inside the package when installed from a wheel,
    else at the top of the source checkout (editable installs, tests)."""
    inside = _PACKAGE.joinpath(*parts)
    if inside.exists():
        return inside
    return _PACKAGE.parent.parent.joinpath(*parts)


def bundled_config() -> Path:
    """The bundled ``config/campaign.toml``."""
    return bundled_path("config", "campaign.toml")


def bundled_templates() -> Path:
    """The bundled ``templates/`` folder."""
    return bundled_path("templates")
