#!/usr/bin/python3
"""Fixture d (issue 14, item 6): expected family outcomes and coverage
chain for the hand-made trajectories.csv, events.csv and households.csv,
computed apart from the Go code (plain Python, no database), written to
reference.json.

Rules (analyses/families.go):
- detainees: persons with a trajectory in AMB (a recidivism programme); the
  return is their earliest release date; the first event is the first
  offence after it;
- compared: detainees linked to a household (households.csv);
- the landmark is return + GRACE days; the household took part when a
  linked member's FAM trajectory starts on or before the landmark;
  a detainee whose first offence is on or before the landmark is left out;
- window W months (day clamped to the month's end) closed when return + W
  is on or before the cut-off; event when the first offence is within it.
Coverage chain per step: households (detainees in households.csv),
detainee found (own trajectory or event), detainee a recidivism subject,
at risk at the landmark, followed for W months; with the households with a
member in FAM at any time, and (from the subject step on) by the landmark.

Run: /usr/bin/python3 make_reference.py > reference.json
"""
import calendar
import csv
import json
import os
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
CUTOFF = date(2025, 12, 31)
GRACE = 30
WINDOWS = [12, 24]


def rows(name):
    return list(csv.DictReader(open(os.path.join(HERE, name))))


def d(s):
    return date.fromisoformat(s) if s else None


trajs, events, links = rows("trajectories.csv"), rows("events.csv"), rows("households.csv")


def add_months(t, months):
    y, m = divmod(t.month - 1 + months, 12)
    y, m = t.year + y, m + 1
    return date(y, m, min(t.day, calendar.monthrange(y, m)[1]))


returns = {}
for t in trajs:
    if t["programme"] == "AMB":
        r = d(t["release"])
        if t["person"] not in returns or r < returns[t["person"]]:
            returns[t["person"]] = r


def first_offence(person, after):
    ds = [d(e["date"]) for e in events if e["person"] == person and e["event_type"] == "offence" and d(e["date"]) > after]
    return min(ds) if ds else None


fam_start = {}
for l in links:
    for t in trajs:
        if t["person"] == l["member"] and t["programme"] == "FAM":
            s = d(t["start"])
            if l["detainee"] not in fam_start or s < fam_start[l["detainee"]]:
                fam_start[l["detainee"]] = s

households = sorted({l["detainee"] for l in links})
found = [h for h in households if any(t["person"] == h for t in trajs) or any(e["person"] == h for e in events)]
subjects = [h for h in found if h in returns]


def landmark_ok(h):
    f = first_offence(h, returns[h])
    return GRACE == 0 or f is None or f > returns[h] + timedelta(days=GRACE)


at_landmark = [h for h in subjects if landmark_ok(h)]


def in_time(h):
    return h in fam_start and fam_start[h] <= returns[h] + timedelta(days=GRACE)


def step(name, hs, window=0, timed=True):
    return {"step": name, "window_months": window, "households": len(hs),
            "in_programme_any": sum(1 for h in hs if h in fam_start),
            "in_programme": sum(1 for h in hs if in_time(h)) if timed else -1}


chain = [step("households", households, timed=False), step("detainee_found", found, timed=False),
         step("detainee_subject", subjects), step("at_landmark", at_landmark)]
outcomes = []
for w in WINDOWS:
    followed = [h for h in at_landmark if add_months(returns[h], w) <= CUTOFF]
    chain.append(step("followed", followed, w))
    for exposed in (True, False):
        group = [h for h in followed if in_time(h) == exposed]
        ev = [h for h in group if (f := first_offence(h, returns[h])) is not None and f <= add_months(returns[h], w)]
        outcomes.append({"window_months": w, "in_programme": exposed, "n": len(group), "events": len(ev)})
print(json.dumps({"grace_days": GRACE, "outcomes": outcomes, "chain": chain}, indent=1))
