"""Team settings: choices a team makes once for its termbase, stored in it (``team_settings``).

Every reviewer and every run reads the same value, with who set it and when. A setting not
set reads its default. On PostgreSQL reviewer roles read the settings and only the admin role
(the store's owner) writes them; on SQLite whoever may write the file may.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from termalign.errors import InputError
from termalign.store.db import now


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1 or str(value) != text.strip():
        raise ValueError("a whole number, 1 or more")
    return value


@dataclass(frozen=True)
class Setting:
    """One team setting: its name, its default, what it means, how its value is read."""

    name: str
    default: str
    help: str
    parse: Callable[[str], object]


#: How many different reviewers must reject a pairing (or a single term) before later runs
#: keep it out. 1: one reviewer's rejection applies to the whole team. 2 or more: a pairing
#: one reviewer rejected is proposed again for the others, until that many different
#: reviewers have rejected it (the same reviewer twice counts once).
REJECTIONS_NEEDED = "rejections-needed"

SETTINGS: dict[str, Setting] = {
    REJECTIONS_NEEDED: Setting(
        REJECTIONS_NEEDED,
        "1",
        "how many different reviewers must reject a pairing (or a term) before later builds keep it out; "
        "1: one reviewer's rejection applies to all",
        _at_least_one,
    ),
}


@dataclass(frozen=True)
class TeamSetting:
    """A setting as a termbase holds it: ``set_by``/``set_at`` are ``None`` for a default."""

    name: str
    value: str
    set_by: str | None
    set_at: str | None

    @property
    def parsed(self) -> object:
        return SETTINGS[self.name].parse(self.value)


def _known(name: str) -> Setting:
    setting = SETTINGS.get(name)
    if setting is None:
        raise InputError(f"no team setting {name!r} (known: {', '.join(sorted(SETTINGS))})", path=name)
    return setting


def team_settings(conn: sqlite3.Connection) -> dict[str, TeamSetting]:
    """Every known setting, stored or default, by name."""
    stored = {r[0]: r for r in conn.execute("SELECT name, value, set_by, set_at FROM team_settings")}
    out = {}
    for name, setting in sorted(SETTINGS.items()):
        row = stored.get(name)
        if row is None:
            out[name] = TeamSetting(name, setting.default, None, None)
        else:
            out[name] = TeamSetting(name, str(row[1]), str(row[2]), str(row[3]))
    return out


def team_setting(conn: sqlite3.Connection, name: str) -> object:
    """The value of setting ``name``, read by its parser (its default if not set)."""
    _known(name)
    return team_settings(conn)[name].parsed


def set_team_setting(conn: sqlite3.Connection, name: str, value: str, set_by: str) -> TeamSetting:
    """Store ``value`` for ``name`` (checked first: a bad value stores nothing)."""
    setting = _known(name)
    try:
        setting.parse(value)
    except ValueError as exc:
        raise InputError(f"takes {exc}, not {value!r}", path=name) from None
    value = value.strip()
    at = now()
    conn.execute(
        "INSERT INTO team_settings (name, value, set_by, set_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (name) DO UPDATE SET value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at",
        (name, value, set_by, at),
    )
    return TeamSetting(name, value, set_by, at)
