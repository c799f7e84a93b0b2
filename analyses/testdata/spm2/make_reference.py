#!/usr/bin/python3
"""Fixture c (issue 14, item 5): expected values of HUD System Performance
Measure 2 on the hand-made trajectories.csv and events.csv, computed apart
from the Go code (plain Python, no database), written to reference.json.

Rules, as in the HUD SPM programming specifications (Measure 2):
- an exit is the end of a stay in a shelter (ES1, ES2) or housing programme
  (BW) with destination independent_housing;
- the universe is each person's first exit whose 730 days end on or before
  the cut-off; per programme, and system-wide over every shelter and housing
  programme (each person once); PREV (neither) is measured from the
  person's latest exit before the PREV start;
- a return is a shelter_entry event or a shelter stay start on any day after
  the exit, or a housing stay start more than 14 days after it (a transfer
  otherwise), within 730 days; bins 0-180, 181-365, 366-730 days;
- HUD's rolling window (first_housing_return): a housing start within 14
  days of the end of a housing stay that was itself a transfer (or ran past
  the exit; an open stay for ever) is a transfer too (persons r1-r3).

Also the 6-month shelter_return rates of the analyses (outcome_rate): shelter
programmes from the first exit to a home, other programmes from their first
start, with the same returns, counted when ref + 6 months (day clamped to
the month's end) lies on or before the cut-off.

Run: /usr/bin/python3 make_reference.py > reference.json
"""
import calendar
import csv
import json
import os
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
CUTOFF = date(2025, 12, 31)
SHELTERS = {"ES1", "ES2"}
HOUSING = {"BW"}
OTHERS = ["PREV"]
TRANSFER = 14
DAYS = 730
BINS = [(0, 180), (181, 365), (366, 730)]


def d(s):
    return date.fromisoformat(s) if s else None


trajs = [dict(r, start=d(r["start"]), end=d(r["end"])) for r in csv.DictReader(open(os.path.join(HERE, "trajectories.csv")))]
events = [dict(r, date=d(r["date"])) for r in csv.DictReader(open(os.path.join(HERE, "events.csv")))]


def returns(person):
    """(date, minimum gap in days) of every possible return of a person."""
    out = [(e["date"], 0) for e in events if e["person"] == person and e["event_type"] == "shelter_entry"]
    for t in trajs:
        if t["person"] != person:
            continue
        if t["programme"] in SHELTERS:
            out.append((t["start"], 0))
        elif t["programme"] in HOUSING:
            out.append((t["start"], TRANSFER))
    return out


def first_housing_return(person, origin):
    """HUD's rolling window: walk the person's housing stays in order of
    start; a start within TRANSFER days of the exit, or of the end of a
    housing stay running at or after it (an open stay: for ever), is a
    transfer and moves the window to that stay's end; the first start after
    the window is the return."""
    far = date.max - timedelta(days=TRANSFER + 1)
    stays = sorted((t["start"], t["end"] or far) for t in trajs if t["person"] == person and t["programme"] in HOUSING)
    window = origin + timedelta(days=TRANSFER)
    for start, end in stays:
        if start <= origin:
            if end > origin:
                window = max(window, end + timedelta(days=TRANSFER))
            continue
        if start <= window:
            window = max(window, end + timedelta(days=TRANSFER))
            continue
        return start
    return None


def first_return_day(person, origin, limit):
    days = [(when - origin).days for when, gap in returns(person) if gap == 0 and (when - origin).days > 0 and when <= limit]
    h = first_housing_return(person, origin)
    if h is not None and h <= limit:
        days.append((h - origin).days)
    return min(days) if days else None


def exits(programmes):
    return [(t["person"], t["end"]) for t in trajs
            if t["programme"] in programmes and t["destination"] == "independent_housing" and t["end"] is not None]


def spm2_row(pairs):
    first = {}
    for person, exit_date in pairs:
        if exit_date is None or exit_date + timedelta(days=DAYS) > CUTOFF:
            continue
        if person not in first or exit_date < first[person]:
            first[person] = exit_date
    bins = [0, 0, 0]
    for person, exit_date in first.items():
        day = first_return_day(person, exit_date, exit_date + timedelta(days=DAYS))
        if day is None:
            continue
        for i, (lo, hi) in enumerate(BINS):
            if lo <= day <= hi:
                bins[i] += 1
    return {"n": len(first), "bins": bins, "total": sum(bins)}


def exit_before(person, start):
    ends = [e for p, e in exits(SHELTERS | HOUSING) if p == person and e <= start]
    return max(ends) if ends else None


def add_months(t, months):
    y, m = divmod(t.month - 1 + months, 12)
    y, m = t.year + y, m + 1
    return date(y, m, min(t.day, calendar.monthrange(y, m)[1]))


def rate6(programme):
    ref = {}
    for t in trajs:
        if t["programme"] != programme:
            continue
        if programme in SHELTERS:
            if t["destination"] != "independent_housing" or t["end"] is None or t["end"] > CUTOFF:
                continue
            r = t["end"]
        else:
            r = t["start"]
        if t["person"] not in ref or r < ref[t["person"]]:
            ref[t["person"]] = r
    n = events_ = 0
    for person, r in ref.items():
        end = add_months(r, 6)
        if end > CUTOFF:
            continue
        n += 1
        if first_return_day(person, r, end) is not None:
            events_ += 1
    return {"programme": programme, "n": n, "events": events_}


rows = []
for code in ["ES1", "ES2", "BW"]:
    rows.append(dict(programme=code, origin="exit", **spm2_row(exits({code}))))
for code in OTHERS:
    pairs = [(t["person"], exit_before(t["person"], t["start"])) for t in trajs if t["programme"] == code]
    rows.append(dict(programme=code, origin="exit_before_start", **spm2_row(pairs)))
rows.append(dict(programme="", origin="system", **spm2_row(exits(SHELTERS | HOUSING))))
print(json.dumps({"spm2": rows, "rates_6m": [rate6(p) for p in ["ES1", "ES2", "BW", "PREV"]]}, indent=1))
