"""Roadside check of a driver's activity timeline against 561/2006 and 2002/15/EC (stdlib only)."""

from voltroute.tachograph.activities import Activity, ActivityKind, Timeline
from voltroute.tachograph.check import check_timeline
from voltroute.tachograph.driver_state import RESTED, DriverStartState
from voltroute.tachograph.infringements import RULE_ARTICLES, Infringement
from voltroute.tachograph.rules import LAW, RuleOptions

__all__ = [
    "LAW",
    "RESTED",
    "RULE_ARTICLES",
    "Activity",
    "ActivityKind",
    "DriverStartState",
    "Infringement",
    "RuleOptions",
    "Timeline",
    "check_timeline",
]
