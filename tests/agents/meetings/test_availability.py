"""Pure availability: DST on both sides of UTC, visitors in other zones, every policy knob."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from agents.meetings.availability import (
    Busy,
    DateOverride,
    compute_slots,
    nearest,
    resolve_local,
    visitor_range,
)
from agents.meetings.config import Policy
from agents.meetings.rules_text import parse_block, parse_override, parse_weekly
from store.errors import InvalidInput

EARLY = datetime(2026, 1, 1, tzinfo=UTC)  # "now" far before the days under test
ALL_WEEK = parse_weekly("Mon-Sun 09:00-12:00")
OPEN = Policy(min_notice=0, horizon_days=365)


def slots_on(
    day: date,
    zone: str,
    *,
    policy: Policy = OPEN,
    rules=ALL_WEEK,
    overrides=(),
    busy=(),
    now: datetime = EARLY,
    length: int = 30,
):
    tz = ZoneInfo(zone)
    start, end = visitor_range(day, 1, tz)
    return compute_slots(
        policy=policy,
        length=length,
        rules=rules,
        overrides=list(overrides),
        busy=list(busy),
        zone=tz,
        now=now,
        start=start,
        end=end,
    )


def local_labels(slots, zone: str) -> list[str]:
    return [f"{s.start.astimezone(ZoneInfo(zone)):%H:%M}" for s in slots]


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("Europe/Berlin", date(2026, 3, 29)),  # spring forward, east of UTC
        ("Europe/Berlin", date(2026, 10, 25)),  # fall back
        ("America/New_York", date(2026, 3, 8)),  # spring forward, west of UTC
        ("America/New_York", date(2026, 11, 1)),  # fall back
        ("Australia/Sydney", date(2026, 4, 5)),  # fall back, southern hemisphere
        ("Australia/Sydney", date(2026, 10, 4)),  # spring forward
    ],
)
def test_slots_keep_their_wall_clock_time_on_dst_days(zone: str, day: date) -> None:
    before, on, after = (slots_on(day + timedelta(days=d), zone) for d in (-7, 0, 7))
    expected = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
    assert local_labels(before, zone) == local_labels(on, zone) == local_labels(after, zone)
    assert local_labels(on, zone) == expected
    # and the UTC instants really moved by the offset change
    offsets = {s.start.astimezone(ZoneInfo(zone)).utcoffset() for s in before + after}
    assert len(offsets) == 2


def test_spring_forward_gap_window_starts_at_first_real_time() -> None:
    rules = parse_weekly("Sun 02:00-04:00")  # 02:00-03:00 does not exist in Berlin that day
    got = slots_on(date(2026, 3, 29), "Europe/Berlin", rules=rules)
    assert local_labels(got, "Europe/Berlin") == ["03:00", "03:30"]
    assert all(s.end - s.start == timedelta(minutes=30) for s in got)


def test_fall_back_overlap_offers_both_real_hours() -> None:
    rules = parse_weekly("Sun 02:00-03:00")  # 02:00-03:00 happens twice in Berlin
    got = slots_on(date(2026, 10, 25), "Europe/Berlin", rules=rules)
    assert len(got) == 4  # two real hours of 30-minute slots
    assert len({s.start for s in got}) == 4
    assert got[1].end == got[2].start


def test_visitor_west_of_utc_sees_owner_east_of_utc_on_the_right_days() -> None:
    tz = ZoneInfo("Pacific/Auckland")  # owner +13
    visitor = ZoneInfo("America/Los_Angeles")  # visitor -8
    rules = parse_weekly("Mon 09:00-10:00")
    start, end = visitor_range(date(2026, 3, 1), 1, visitor)  # Sunday in LA
    got = compute_slots(
        policy=OPEN,
        length=30,
        rules=rules,
        overrides=[],
        busy=[],
        zone=tz,
        now=EARLY,
        start=start,
        end=end,
    )
    # Monday 09:00 in Auckland (2 Mar) is Sunday 12:00 in Los Angeles (1 Mar)
    assert [f"{s.start.astimezone(visitor):%a %H:%M}" for s in got] == ["Sun 12:00", "Sun 12:30"]
    assert [f"{s.start.astimezone(tz):%a %d %H:%M}" for s in got] == [
        "Mon 02 09:00",
        "Mon 02 09:30",
    ]


def test_buffers_of_both_meetings_count() -> None:
    policy = Policy(min_notice=0, horizon_days=365, buffer_before=15, buffer_after=15)
    zone = "UTC"
    day = date(2026, 3, 2)
    meeting = Busy(
        datetime(2026, 3, 2, 10, 0, tzinfo=UTC), datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
    )
    got = local_labels(slots_on(day, zone, policy=policy, busy=[meeting]), zone)
    # 09:30 would end at 10:00 -> needs 15 after + 15 before = 30 min gap; 11:00 is the first after
    assert got == ["09:00", "11:00", "11:30"]


def test_block_and_overrides() -> None:
    day = date(2026, 3, 2)  # Monday
    block = parse_override("2026-03-02 block 10:00-11:00")
    assert local_labels(slots_on(day, "UTC", overrides=[block]), "UTC") == [
        "09:00",
        "09:30",
        "11:00",
        "11:30",
    ]
    off = parse_override("2026-03-02 off")
    assert slots_on(day, "UTC", overrides=[off]) == []
    extra = parse_override("2026-03-02 14:00-15:00")
    assert local_labels(slots_on(day, "UTC", overrides=[off, extra]), "UTC") == ["14:00", "14:30"]


def test_notice_horizon_interval_lengths_and_daily_cap() -> None:
    day = date(2026, 3, 2)
    now = datetime(2026, 3, 2, 9, 10, tzinfo=UTC)
    policy = Policy(min_notice=60, horizon_days=365)
    assert local_labels(slots_on(day, "UTC", policy=policy, now=now), "UTC")[0] == "10:30"
    assert (
        slots_on(
            day,
            "UTC",
            policy=Policy(min_notice=0, horizon_days=1),
            now=datetime(2026, 2, 27, tzinfo=UTC),
        )
        == []
    )
    quarter = Policy(lengths=(60, 30), interval=15, min_notice=0, horizon_days=365)
    assert local_labels(slots_on(day, "UTC", policy=quarter, length=60), "UTC") == [
        "09:00",
        "09:15",
        "09:30",
        "09:45",
        "10:00",
        "10:15",
        "10:30",
        "10:45",
        "11:00",
    ]
    with pytest.raises(InvalidInput):
        slots_on(day, "UTC", policy=quarter, length=45)
    capped = Policy(min_notice=0, horizon_days=365, max_per_day=1)
    one = Busy(datetime(2026, 3, 2, 9, tzinfo=UTC), datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    assert slots_on(day, "UTC", policy=capped, busy=[one]) == []
    assert slots_on(day + timedelta(days=1), "UTC", policy=capped, busy=[one]) != []


def test_resolve_local_and_nearest() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert resolve_local(date(2026, 3, 29), time(2, 30), berlin) == datetime(
        2026, 3, 29, 1, tzinfo=UTC
    )
    slots = slots_on(date(2026, 3, 2), "UTC")
    picked = nearest(slots, datetime(2026, 3, 2, 10, 40, tzinfo=UTC))
    assert local_labels(picked, "UTC") == ["10:00", "10:30", "11:00"]


def test_parsers_give_clear_errors() -> None:
    assert len(parse_weekly("Mon-Fri 09:00-12:00 13:00-17:00; Sat 10:00-12:00")) == 11
    assert [w.weekday for w in parse_weekly("Fri-Mon 09:00-10:00")] == [0, 4, 5, 6]
    for bad in ("Mon", "Funday 09:00-10:00", "Mon 17:00-09:00", "Mon 9-5"):
        with pytest.raises(InvalidInput):
            parse_weekly(bad)
    today = date(2026, 3, 2)  # Monday
    friday = parse_block("Friday afternoon", today=today)
    assert (friday.on_date, friday.start, friday.end) == (date(2026, 3, 6), time(12), time(18))
    assert parse_block("tomorrow", today=today) == DateOverride(date(2026, 3, 3), "block")
    assert parse_block("2026-03-10 09:00-10:00", today=today).start == time(9)
    with pytest.raises(InvalidInput):
        parse_block("someday soon", today=today)
