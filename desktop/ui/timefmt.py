"""Times for people: stored in UTC, shown in the computer's own time zone (Beijing time on the
bureau's PCs), as "YYYY-MM-DD HH:MM"."""

from __future__ import annotations

import datetime as dt


def local_time(iso: str) -> str:
    try:
        when = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone().strftime("%Y-%m-%d %H:%M")
