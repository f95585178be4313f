"""Properties: lawful timelines pass, extra driving is caught, the reading is stable."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.tachograph.timelines import (
    MIN,
    MONDAY,
    H,
    Step,
    drive,
    pause,
    rest,
    timeline,
    wait,
    weekly,
    work,
)

from voltroute.tachograph import Activity, ActivityKind, Timeline, check_timeline

DETERMINISTIC = settings(derandomize=True, deadline=None, max_examples=100)
SPAN_S = 13 * H  # work and breaks of a day, so that an 11-h rest ends within 24 h


@st.composite
def lawful_day(draw: st.DrawFn, driving_allowed_s: float) -> list[Step]:
    """Blocks of at most 4 h 30 min of driving and 6 h of work, 45-min breaks between them."""
    steps: list[Step] = []
    driven_s = span_s = 0.0
    for _ in range(draw(st.integers(1, 4))):
        drive_s = min(draw(st.integers(10, 270)) * MIN, driving_allowed_s - driven_s)
        other_s = min(draw(st.integers(0, 90)) * MIN, 6 * H - drive_s)
        wait_s = draw(st.integers(0, 60)) * MIN
        block = [
            (kind, s)
            for kind, s in (
                (ActivityKind.DRIVING, drive_s),
                (ActivityKind.OTHER_WORK, other_s),
                (ActivityKind.AVAILABILITY, wait_s),
            )
            if s > 0
        ]
        break_s = draw(st.integers(45, 75)) * MIN
        length_s = sum(s for _, s in block) + (break_s if steps else 0)
        if not block or span_s + length_s > SPAN_S:
            break
        if steps:
            steps.append(pause(m=break_s / MIN))
        steps += draw(st.permutations(block))
        driven_s += drive_s
        span_s += length_s
    return steps or [work(m=30)]


@st.composite
def lawful_timelines(draw: st.DrawFn) -> Timeline:
    """Up to five days with 11-h rests, a weekly rest, and perhaps a day after it."""
    start = MONDAY + timedelta(minutes=draw(st.integers(0, 7 * 24 * 60 - 1)))
    extended_left = 2
    steps: list[Step] = []
    days = draw(st.integers(1, 5))
    for index in range(days):
        extended = extended_left > 0 and draw(st.booleans())
        extended_left -= extended
        steps += draw(lawful_day(10 * H if extended else 9 * H))
        last = index == days - 1
        if last and draw(st.booleans()):
            steps.append(weekly(draw(st.integers(45, 50))))
            steps += draw(lawful_day(9 * H))
        elif not last or draw(st.booleans()):
            steps.append(rest(m=draw(st.integers(11 * 60, 14 * 60))))
    return timeline(*steps, start=start)


@DETERMINISTIC
@given(lawful_timelines())
def test_a_timeline_built_by_the_rules_passes(tl: Timeline) -> None:
    assert check_timeline(tl) == []


def lengthened(tl: Timeline, index: int, extra_s: float) -> Timeline:
    """The timeline with activity index longer by extra_s, the later ones moved along."""
    acts = list(tl.activities)
    shift = timedelta(seconds=extra_s)
    moved = [Activity(a.kind, a.start + shift, a.end + shift) for a in acts[index + 1 :]]
    grown = Activity(acts[index].kind, acts[index].start, acts[index].end + shift)
    return Timeline((*acts[:index], grown, *moved))


@DETERMINISTIC
@given(lawful_timelines(), st.data())
def test_driving_beyond_the_break_limit_is_caught(tl: Timeline, data: st.DataObject) -> None:
    driving = [i for i, a in enumerate(tl.activities) if a.kind is ActivityKind.DRIVING]
    if not driving:
        return
    index = data.draw(st.sampled_from(driving))
    extra_s = data.draw(st.integers(4 * 60 + 31, 12 * 60)) * MIN
    found = check_timeline(lengthened(tl, index, extra_s))
    assert "break" in {i.rule for i in found}


@DETERMINISTIC
@given(lawful_timelines(), st.integers(10 * 60 + 1, 16 * 60))
def test_a_long_drive_appended_is_caught(tl: Timeline, minutes: int) -> None:
    assert check_timeline(
        Timeline((*tl.activities, *timeline(drive(m=minutes), start=tl.end).activities))
    )


any_steps = st.lists(
    st.tuples(st.sampled_from(list(ActivityKind)), st.integers(1, 20 * 60).map(lambda m: m * MIN)),
    min_size=1,
    max_size=30,
)


@DETERMINISTIC
@given(any_steps, st.integers(0, 7 * 24 * 60))
def test_infringements_are_in_order_and_within_the_timeline(steps: list[Step], offset: int) -> None:
    tl = timeline(*steps, start=MONDAY + timedelta(minutes=offset))
    found = check_timeline(tl)
    assert [i.at for i in found] == sorted(i.at for i in found)
    assert all(tl.start <= i.at <= tl.end for i in found)


@DETERMINISTIC
@given(any_steps, st.data())
def test_cutting_an_activity_in_two_changes_nothing(steps: list[Step], data: st.DataObject) -> None:
    # A tachograph's record is the same whether an activity is written as one line or two.
    index = data.draw(st.integers(0, len(steps) - 1))
    kind, length_s = steps[index]
    if length_s < 2 * MIN:
        return
    cut_s = data.draw(st.integers(1, int(length_s / MIN) - 1)) * MIN
    cut = [*steps[:index], (kind, cut_s), (kind, length_s - cut_s), *steps[index + 1 :]]
    assert check_timeline(timeline(*cut)) == check_timeline(timeline(*steps))


def test_a_lawful_week_by_hand() -> None:
    day = [drive(4, 30), pause(m=45), drive(4, 30), wait(1), work(m=30), rest(11)]
    assert check_timeline(timeline(*day * 5, drive(4), weekly(45), *day)) == []
