"""An infringement as a roadside check reports it: the article, a short rule code, when, and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from voltroute.tachograph._units import format_instant

RULE_ARTICLES: dict[str, str] = {
    "break": "561/2006 art. 7",
    "daily_driving": "561/2006 art. 6(1)",
    "extended_days": "561/2006 art. 6(1)",
    "weekly_driving": "561/2006 art. 6(2)",
    "fortnight_driving": "561/2006 art. 6(3)",
    "daily_rest": "561/2006 art. 8(2)",
    "reduced_rests": "561/2006 art. 8(4)",
    "team_daily_rest": "561/2006 art. 8(5)",
    "weekly_rest": "561/2006 art. 8(6)",
    "working_time_break": "2002/15/EC art. 5",  # more than 6 h of work without a break
    "working_time_daily_breaks": "2002/15/EC art. 5",  # too little break in the working day
}
"""Each rule code and the article it reads."""


@dataclass(frozen=True, slots=True)
class Infringement:
    """One breach: article ("561/2006 art. 7"), rule code ("break"), when it happened, detail."""

    article: str
    rule: str
    at: datetime
    detail: str

    @classmethod
    def of(cls, rule: str, at: datetime, detail: str) -> Infringement:
        """The infringement of a rule code, with the article that code reads."""
        return cls(RULE_ARTICLES[rule], rule, at, detail)

    def __str__(self) -> str:
        return f"{format_instant(self.at)} {self.article}: {self.detail}"
