#!/usr/bin/python3
"""Independent reference for the demo's recidivism definitions (issue 13).

Reads the bundled demo exports (testdata/demo) with the csv module alone and
counts, per recidivism programme (AMB, RES), definition and window, what the
Recidivemonitor counts (analyses/doc.go, "Recidivism as the Recidivemonitor
counts it"):

  - subjects: persons (by BSN) with a trajectory of the programme and a
    release date; the reference date is the earliest release; eligible for
    window W when reference + W months (clamped to the month's end) lies on
    or before the cut-off 2025-12-31 (the justice and register exports are
    extracted 2026-09-30, so reference + W + the 6-month registration lag
    never limits the demo's windows);
  - criminal cases: justice rows grouped by BSN and parketnummer; a row
    counts unless its decision is an acquittal, a technical dismissal or
    another technical decision (the study file's code table and
    non_counting_disposals); a case counts when a row does; its date is the
    earliest offence date (pleegdatum) of its counting rows, its tier the
    highest of theirs, its type that of its most serious counting row (ties:
    the first type alphabetically);
  - general: a counting case dated in (reference, reference + W]; serious /
    very serious: of tier serious or very serious / very serious; specific:
    of the index type, the type of the latest counting case dated on or
    before the reference date (none: never specific); custodial: a detention
    in the register export starting in the window;
  - cases: the number of qualifying cases (detentions) in the windows of the
    eligible persons.

It shares no code with the generator or the pipeline. Run from the
repository root:

    /usr/bin/python3 ingest/synth/testdata/recidivism/make_reference.py

and it writes ingest/synth/testdata/recidivism/reference.csv.
"""
import csv
import datetime as dt
import calendar
import os

DEMO = "testdata/demo"
CUTOFF = dt.date(2025, 12, 31)
NON_COUNTING = {"acquittal", "technical_dismissal", "other_technical"}
TIERS = {"minor": 1, "serious": 2, "very_serious": 3}


def parse_yaml_table(path, file_marker, field):
    """The code table `field` of the justice file in study.yaml (a block
    mapping 'code: value  # comment' under 'codes:' → '<field>:')."""
    table, inside, in_file = {}, False, False
    for line in open(path, encoding="utf-8"):
        if file_marker in line:
            in_file = True
        if not in_file:
            continue
        s = line.split("#")[0].rstrip()
        if s.strip() == field + ":":
            inside = True
            indent = len(s) - len(s.lstrip())
            continue
        if inside:
            if not s.strip():
                continue
            if len(s) - len(s.lstrip()) <= indent:
                if table:
                    return table
                inside = False
                continue
            k, v = s.strip().rsplit(":", 1)
            table[k.strip()] = v.strip()
    return table


def add_months(d, n):
    t = d.year * 12 + d.month - 1 + n
    y, m = t // 12, t % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def date(s, fmt):
    return dt.datetime.strptime(s[:10], fmt).date()


study = os.path.join(DEMO, "study.yaml")
marker = "justitie/registraties.csv"
disposal = parse_yaml_table(study, marker, "disposal")
otype = parse_yaml_table(study, marker, "offence_type")
tier = parse_yaml_table(study, marker, "seriousness")
assert disposal and otype and tier, "code tables not found"

# Subjects: Nazorg Noord (";", Windows-1252, dd-mm-yyyy).
progs = {"AMB-7D": "AMB", "NZH": "RES"}
ref = {}  # (programme, bsn) -> earliest release
with open(os.path.join(DEMO, "nazorg_noord/trajecten.csv"), encoding="cp1252", newline="") as f:
    for r in csv.DictReader(f, delimiter=";"):
        prog = progs.get(r["Programma"])
        if prog is None or not r["Datum ontslag PI"]:
            continue
        try:
            rel = date(r["Datum ontslag PI"], "%d-%m-%Y")
            date(r["Startdatum"], "%d-%m-%Y")
        except ValueError:
            continue  # quarantined: an impossible date
        k = (prog, r["BSN"])
        ref[k] = min(ref.get(k, rel), rel)


def elfproef(b):
    return len(b) == 9 and b.isdigit() and (sum(int(c) * w for c, w in zip(b[:8], range(9, 1, -1))) - int(b[8])) % 11 == 0


# Cases: Justitie ("|", UTF-8 with BOM, yyyy-mm-dd).
rows = {}  # (bsn, case) -> [(date, tier, type)] of counting rows
with open(os.path.join(DEMO, marker), encoding="utf-8-sig", newline="") as f:
    for r in csv.DictReader(f, delimiter="|"):
        if not elfproef(r["bsn"]):
            continue  # quarantined: no identifier
        d = date(r["pleegdatum"], "%Y-%m-%d")
        if d > CUTOFF or disposal[r["afdoening"]] in NON_COUNTING:
            continue
        rows.setdefault((r["bsn"], r["parketnummer"]), []).append((d, TIERS[tier[r["feit"]]], otype[r["feit"]]))
cases = {}  # bsn -> [(date, tier, type)]
for (b, _), rs in rows.items():
    top = max(t for _, t, _ in rs)
    typ = min(ty for _, t, ty in rs if t == top)
    cases.setdefault(b, []).append((min(d for d, _, _ in rs), top, typ))

# Detentions: Register (",", yyyy-mm-dd).
detentions = {}
with open(os.path.join(DEMO, "register/gebeurtenissen.csv"), encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        if r["soort"] == "detentie":
            detentions.setdefault(r["bsn"], []).append(date(r["datum"], "%Y-%m-%d"))

windows = {"general": [12, 24], "serious": [12, 24], "very_serious": [12, 24], "specific": [24], "custodial": [24]}
out = []
ties = 0
for prog in ("AMB", "RES"):
    for name, ws in windows.items():
        for w in ws:
            n = persons = ncases = 0
            for (p, b), r0 in ref.items():
                if p != prog:
                    continue
                end = add_months(r0, w)
                if end > CUTOFF:
                    continue
                n += 1
                cs = cases.get(b, [])
                if name == "custodial":
                    hits = [d for d in detentions.get(b, []) if r0 < d <= end]
                else:
                    if name == "specific":
                        before = sorted((c for c in cs if c[0] <= r0), key=lambda c: c[0])
                        if before and len(before) > 1 and before[-1][0] == before[-2][0] and before[-1][2] != before[-2][2]:
                            ties += 1
                        idx = before[-1][2] if before else None
                        keep = lambda c: c[2] == idx and idx is not None
                    else:
                        mint = {"general": 0, "serious": 2, "very_serious": 3}[name]
                        keep = lambda c: c[1] >= mint
                    hits = [c for c in cs if r0 < c[0] <= end and keep(c)]
                persons += bool(hits)
                ncases += len(hits)
            out.append((prog, name, w, n, persons, ncases))
assert ties == 0, f"{ties} index cases tie on date with different types"
with open("ingest/synth/testdata/recidivism/reference.csv", "w", newline="") as f:
    cw = csv.writer(f, lineterminator="\n")
    cw.writerow(["programme", "definition", "window_months", "n", "persons", "cases"])
    cw.writerows(out)
for o in out:
    print(*o)
