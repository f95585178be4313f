"""Units and the wording of durations and instants in messages: seconds and aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime

MIN = 60.0
H = 3600.0
DAY = 24 * H

# Instants built from float seconds may be a fraction off: a limit is passed only by more than
# this, and a rest or break reaches its length when at most this short of it.
TOLERANCE_S = 1.0


def format_duration(seconds: float) -> str:
    """Say a duration as a check report does: "4 h 52 min", "45 min", "30 s"."""
    whole = round(seconds)
    sign = "-" if whole < 0 else ""
    hours, rest = divmod(abs(whole), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    if minutes:
        parts.append(f"{minutes} min")
    # Seconds only when present: 4 h 30 min 1 s is over a limit that "4 h 30 min" would hide.
    if secs or not parts:
        parts.append(f"{secs} s")
    return sign + " ".join(parts)


def format_instant(instant: datetime) -> str:
    """Say an instant in UTC, the time base of the fixed weeks: "Mon 2025-03-03 06:00 UTC"."""
    utc = instant.astimezone(UTC)
    clock = "%H:%M:%S" if utc.second else "%H:%M"
    return utc.strftime(f"%a %Y-%m-%d {clock} UTC")
