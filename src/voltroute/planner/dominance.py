"""Which labels at a route point are worth keeping: dominance that knows what is still ahead.

Three facts make the front small:
- SoC above what finishes the tour without charging (`useful_soc`) buys nothing, so labels are
  compared on min(soc, useful_soc).
- Driver counters only matter while the rest of the tour still needs a break or a daily rest
  (remaining.Remaining); a label that needs neither is free enough whatever its counters.
- A label may always stop right here for its break. If, after doing so, it is still no later
  and no worse than another label, that other label is useless: taking the break later is never
  worse than taking it now.
Counters may differ by up to driver_step_s in the faster label's disfavour (the search's one
approximation, see station_batch); with driver_step_s = 0 the comparison is exact.
"""

from __future__ import annotations

import math

from voltroute.planner.driver_rules import DriverRules, DriverState, break_needed_s
from voltroute.planner.labels import EPS, Label
from voltroute.planner.remaining import Remaining


class _Kept:
    """A kept label, its clipped SoC, and the same label after a break taken on the spot, with
    which of their counters still matter."""

    __slots__ = ("after", "after_rest", "after_t", "label", "rest", "since", "soc")

    def __init__(self, label: Label, soc: float, rules: DriverRules, ahead: Remaining) -> None:
        self.label = label
        self.soc = soc
        d = label.driver
        self.since = ahead.needs_break(rules, d)
        self.rest = ahead.needs_rest(rules, d, label.t)
        self.after_t = label.t + break_needed_s(rules, d)
        self.after = DriverState(0.0, False, d.today_s, d.day_start_s, d.extended_used)
        if ahead.needs_break(rules, self.after):
            self.after_t = math.inf  # a break here does not free the driver for the rest
        self.after_rest = ahead.needs_rest(rules, self.after, self.after_t)


def _rest_no_worse(a: DriverState, b: DriverState, tol_s: float) -> bool:
    return (
        a.today_s <= b.today_s + tol_s + EPS
        and a.day_start_s >= b.day_start_s - tol_s - EPS
        and a.extended_used <= b.extended_used
    )


def _class_key(
    label: Label, rules: DriverRules, ahead: Remaining, step_s: float
) -> tuple[object, ...]:
    """The driver counters that still matter, bucketed by step_s (exact when step_s is 0)."""

    def bucket(x: float) -> float:
        return math.ceil(x / step_s - 1e-9) if step_s > 0 else x

    d = label.driver
    key: list[object] = [label.missed]
    if ahead.needs_break(rules, d):
        key += [bucket(d.since_break_s), d.first_part_taken]
    if ahead.needs_rest(rules, d, label.t):
        key += [bucket(d.today_s), -bucket(-d.day_start_s), d.extended_used]
    return tuple(key)


def undominated(
    labels: list[Label], rules: DriverRules, ahead: Remaining, useful_soc: float, tol_s: float
) -> list[Label]:
    """The labels no other label dominates (see the module docstring)."""
    classes: dict[tuple[object, ...], list[Label]] = {}
    for label in labels:
        classes.setdefault(_class_key(label, rules, ahead, tol_s), []).append(label)
    swept: list[Label] = []
    for members in classes.values():
        # Within a class the counters are equal: keep the labels whose SoC beats every faster one.
        members.sort(key=lambda x: (x.t, -min(x.soc, useful_soc), x.wait, x.stops, x.charged_kwh))
        best_soc = -math.inf
        for label in members:
            soc = min(label.soc, useful_soc)
            if soc > best_soc + EPS:
                swept.append(label)
                best_soc = soc
    if len(classes) == 1:
        return swept
    return _across_classes(swept, rules, ahead, useful_soc, tol_s)


def _across_classes(
    labels: list[Label], rules: DriverRules, ahead: Remaining, useful_soc: float, tol_s: float
) -> list[Label]:
    ordered = sorted(
        labels,
        key=lambda x: (x.missed, x.t, -min(x.soc, useful_soc), x.wait, x.stops, x.charged_kwh),
    )
    kept: list[_Kept] = []
    for label in ordered:
        soc = min(label.soc, useful_soc)
        t, b, missed = label.t, label.driver, label.missed
        dominated = False
        for k in kept:
            if k.soc < soc - EPS or k.label.missed > missed or k.label.t > t + EPS:
                continue
            a = k.label.driver
            if (
                not k.since
                or (
                    a.since_break_s <= b.since_break_s + tol_s + EPS
                    and (a.first_part_taken or not b.first_part_taken)
                )
            ) and (not k.rest or _rest_no_worse(a, b, tol_s)):
                dominated = True
                break
            if k.after_t <= t + EPS and (not k.after_rest or _rest_no_worse(k.after, b, tol_s)):
                dominated = True
                break
        if not dominated:
            kept.append(_Kept(label, soc, rules, ahead))
    return [k.label for k in kept]
