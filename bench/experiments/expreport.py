#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The report of the fault-isolation experiments (docs/experiments.md).

  expreport.py [--gap-threshold=S] [--no-plots] RESULTS_DIR OUT_DIR

RESULTS_DIR is a results directory as bench/experiments/FORMAT.md defines
it: meta.txt, configs/, and per run runs/<fault>--<layout>--<rep>.csv (the
victim's heartbeat timeline) and .json (what happened). Writes to OUT_DIR:

  summary.md   the table fault x layout: runs, contained (k/n), the
               victim's largest heartbeat gap, detection latency and
               recovery time (median [min, max]), rig failures; one line
               per run; meta.txt; missing cells "not measured"
  summary.csv  the table's numbers, machine-readable
  runs.csv     one line per run: what the report computed from it
  timeline-<fault>--<layout>.png (+ .dat, .gp)
               the victim's heartbeats of every repetition, aligned on the
               fault, made with gnuplot
  detection.png, recovery.png (+ .dat, .gp)
               a bar per fault and layout at the median, error bars min-max

A run is contained when the victim has beaten before and after the fault,
its largest heartbeat gap in the window from 10 s before to 30 s after the
fault is at most the threshold (default 5 s), it did not restart, the
recording covers the window and its disk records did not fail to verify
(runs that did not check them are listed). Runs with a rig_failure are left
out of every statistic and counted apart. Exit status: 0, 1 on bad input or
a failed plot, 2 on usage.
"""

import argparse
import csv
import json
import math
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys

if not __package__:  # python3 FILE, not python3 -m: the checkout's root on the path (README.md)
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))

# number formatting, markdown tables and the gnuplot terminal are the
# evaluation report's (bench/report/mintreport.py)
from bench.report.mintreport import fmt, gnuplot_terminal, md_table

FORMAT = 1
CSV_HEADER = ["t_host_s", "victim_n", "victim_uptime_s"]
WINDOW_BEFORE_S = 10.0
WINDOW_AFTER_S = 30.0
DEFAULT_GAP_THRESHOLD_S = 5.0
# The timelines start this long before the fault.
PLOT_BEFORE_S = 20.0

CONTROL = "none"
FAULTS = {
    "node-panic": "the faulted node's kernel panics",
    "node-hang": "the faulted node hangs: interrupts off on all its CPUs",
    "node-oom": "the faulted node runs out of memory",
    "vm-qemu-killed": "the faulted VM's QEMU is killed",
    "guest-panic": "the faulted guest's kernel panics",
    "guest-triple-fault": "the faulted guest triple faults",
    "node-forced-stop-during-disk-writes":
        "the faulted node is stopped with --force while its VM writes "
        "to its disk",
}
# x labels of the bar charts (gnuplot: \n is a line break)
SHORT = {
    "node-panic": "node\\npanic",
    "node-hang": "node\\nhang",
    "node-oom": "node\\nOOM",
    "vm-qemu-killed": "VM's QEMU\\nkilled",
    "guest-panic": "guest\\npanic",
    "guest-triple-fault": "guest triple\\nfault",
    "node-forced-stop-during-disk-writes":
        "node forced stop\\nduring disk writes",
}
LAYOUTS = {
    "mint": "one VM per node, on two nodes",
    "single": "both VMs under one KVM (the control)",
}
META_KEYS = ("commit", "machine", "config", "command", "date")

NAME = r"[a-z0-9]+(?:-[a-z0-9]+)*"
RUN_RE = re.compile(rf"^({NAME})--({NAME})--([1-9][0-9]*)\.(csv|json)$")
NOT_MEASURED = "not measured"

# JSON keys: (name, accepted types, null allowed)
NUM = (int, float)
JSON_KEYS = [
    ("format", (int,), False),
    ("fault", (str,), False),
    ("layout", (str,), False),
    ("rep", (int,), False),
    ("fault_t_host_s", NUM, False),
    ("run_end_t_host_s", NUM, False),
    ("detected", (bool,), False),
    ("detection_latency_s", NUM, True),
    ("recovered", (bool,), False),
    ("recovery_s", NUM, True),
    ("victim_records_ok", (bool,), True),
    ("rig_failure", (str,), True),
    ("notes", (str,), False),
]


# the fault whose "detection" is node0's own stop, not a watcher's finding
SELF_STOP = "node-forced-stop-during-disk-writes"


class InputError(Exception):
    pass


# ---------------------------------------------------------------- numbers

def stats(values):
    if not values:
        return None
    return {"n": len(values), "median": statistics.median(values),
            "min": min(values), "max": max(values)}


def cell(s):
    """median [min, max], or n/a without values."""
    if s is None:
        return "n/a"
    return f"{fmt(s['median'])} [{fmt(s['min'])}, {fmt(s['max'])}]"


def seconds(v):
    """Differences of recorded times, rounded to a microsecond so that
    e.g. 17.34 - 12.34 is 5.0, not 4.999999999999998."""
    return round(v, 6)


# ---------------------------------------------------------------- input

def read_timeline(path, shown):
    """The rows (t_host_s, victim_n, victim_uptime_s) of a run's CSV."""
    rows = []
    with open(path, newline="") as f:
        lines = f.read().splitlines()
    if not lines:
        raise InputError(f"{shown}: empty, expected the header "
                         + ",".join(CSV_HEADER))
    for lineno, line in enumerate(lines, 1):
        where = f"{shown}:{lineno}"
        fields = next(csv.reader([line])) if line else []
        if lineno == 1:
            if fields != CSV_HEADER:
                raise InputError(f"{where}: expected the header "
                                 + ",".join(CSV_HEADER))
            continue
        if len(fields) != 3:
            raise InputError(f"{where}: {len(fields)} fields, expected 3")
        try:
            t, up = float(fields[0]), float(fields[2])
            n = int(fields[1])
        except ValueError:
            raise InputError(f"{where}: not a number in {line}") from None
        if not (math.isfinite(t) and math.isfinite(up)) \
                or min(t, n, up) < 0:
            raise InputError(f"{where}: negative or not finite: {line}")
        if rows and t < rows[-1][0]:
            raise InputError(f"{where}: t_host_s {fields[0]} is before the "
                             f"previous row's {rows[-1][0]}")
        rows.append((t, n, up))
    return rows


def read_run_json(path, shown, fault, layout, rep):
    try:
        with open(path) as f:
            d = json.load(f)
    except ValueError as e:
        raise InputError(f"{shown}: not JSON: {e}") from None
    if not isinstance(d, dict):
        raise InputError(f"{shown}: not a JSON object")
    d.setdefault("format", FORMAT)  # the only key that may be left out
    for key, types, nullable in JSON_KEYS:
        if key not in d:
            raise InputError(f"{shown}: no \"{key}\"")
        v = d[key]
        if v is None and nullable:
            continue
        # bool is an int in Python: accept it only where a bool is wanted
        if not isinstance(v, types) or \
                (isinstance(v, bool) and bool not in types):
            want = "/".join(t.__name__ for t in types) + \
                (" or null" if nullable else "")
            raise InputError(f"{shown}: \"{key}\" is {json.dumps(v)}, "
                             f"expected {want}")
        if types is NUM and (not math.isfinite(v) or v < 0):
            raise InputError(f"{shown}: \"{key}\" is {v}, expected a "
                             "number >= 0")
    if d["format"] != FORMAT:
        raise InputError(f"{shown}: format {d['format']}, this reads "
                         f"{FORMAT}")
    for key, want in (("fault", fault), ("layout", layout), ("rep", rep)):
        if d[key] != want:
            raise InputError(f"{shown}: \"{key}\" is {json.dumps(d[key])}, "
                             f"the file name says {json.dumps(want)}")
    if d["run_end_t_host_s"] < d["fault_t_host_s"]:
        raise InputError(f"{shown}: run_end_t_host_s is before "
                         "fault_t_host_s")
    if d["detected"] != (d["detection_latency_s"] is not None):
        raise InputError(f"{shown}: detection_latency_s must be a number "
                         "exactly when detected is true")
    if d["recovered"] and d["recovery_s"] is None:
        raise InputError(f"{shown}: recovered is true but recovery_s is "
                         "null")
    if d["rig_failure"] is not None and not d["rig_failure"].strip():
        raise InputError(f"{shown}: rig_failure is empty: null, or the "
                         "evidence")
    return d


def load(results_dir):
    """The runs (dicts, sorted by fault, layout, rep), the ignored files
    of runs/."""
    runs_dir = os.path.join(results_dir, "runs")
    if not os.path.isdir(runs_dir):
        raise InputError(f"{results_dir}: no runs/ directory "
                         "(see bench/experiments/FORMAT.md)")
    found, ignored = {}, []
    for name in sorted(os.listdir(runs_dir)):
        m = RUN_RE.match(name)
        if not m or not os.path.isfile(os.path.join(runs_dir, name)):
            ignored.append("runs/" + name)
            continue
        key = (m.group(1), m.group(2), int(m.group(3)))
        found.setdefault(key, set()).add(m.group(4))
    runs = []
    for (fault, layout, rep), exts in sorted(found.items()):
        name = f"{fault}--{layout}--{rep}"
        for ext in ("csv", "json"):
            if ext not in exts:
                other = ({"csv", "json"} - {ext}).pop()
                raise InputError(f"runs/{name}.{other}: no runs/{name}.{ext}"
                                 " beside it")
        d = read_run_json(os.path.join(runs_dir, name + ".json"),
                          f"runs/{name}.json", fault, layout, rep)
        d["name"] = name
        d["rows"] = read_timeline(os.path.join(runs_dir, name + ".csv"),
                                  f"runs/{name}.csv")
        runs.append(d)
    return runs, ignored


def read_meta(results_dir):
    path = os.path.join(results_dir, "meta.txt")
    if not os.path.isfile(path):
        return None, {}
    with open(path, errors="replace") as f:
        text = f.read()
    keys = {}
    for line in text.splitlines():
        k, sep, v = line.partition("=")
        if sep:
            keys[k.strip()] = v.strip()
    return text, keys


def list_configs(results_dir):
    d = os.path.join(results_dir, "configs")
    if not os.path.isdir(d):
        return None
    return sorted(n for n in os.listdir(d)
                  if os.path.isfile(os.path.join(d, n)))


# ---------------------------------------------------------------- analysis

def evaluate(run, threshold):
    """What one run shows about the victim: adds to run max_gap (s or
    None), gap_at (where the largest gap starts, s after the fault),
    contained (True, False, or None for a rig failure) and why (the
    reasons it is not contained, in words)."""
    fault, end = run["fault_t_host_s"], run["run_end_t_host_s"]
    # (s after the fault, n, uptime): times relative to the fault, rounded,
    # so that the window's edges do not depend on float noise
    rows = [(seconds(t - fault), n, up) for t, n, up in run["rows"]]
    end_rel = seconds(end - fault)
    w0, w1 = -WINDOW_BEFORE_S, WINDOW_AFTER_S
    why = []
    inner = inner_at = None
    # Every interval between consecutive heartbeats that meets the window,
    # on the guest's clock; across a restart (the counter or the uptime
    # went back) on the host's.
    for (t0, n0, u0), (t1, n1, u1) in zip(rows, rows[1:]):
        if t1 < w0 or t0 > w1:
            continue
        if n1 < n0 or u1 < u0:
            why.append(f"victim restarted at {t1:+.2f} s (n {n0} -> {n1}, "
                       f"up {u0:g} -> {u1:g})")
            gap = seconds(t1 - t0)
        else:
            gap = seconds(u1 - u0)
        if inner is None or gap > inner:
            inner, inner_at = gap, t0
    if inner is not None and inner > threshold:
        why.append(f"heartbeat gap of {fmt(inner)} s > {fmt(threshold)} s "
                   f"from {inner_at:+.2f} s")
    # A victim that went silent within the window: from its last heartbeat
    # to the end of the recording, on the host's clock.
    trailing = None
    if rows and rows[-1][0] <= w1:
        trailing = seconds(end_rel - rows[-1][0])
        if trailing > threshold:
            why.append(f"victim silent from {rows[-1][0]:+.2f} s to the end "
                       f"of the recording ({end_rel:+.2f} s)")
    if not rows:
        why.append("no victim heartbeats recorded")
    else:
        if rows[0][0] > 0:
            why.append("no victim heartbeat before the fault")
        if rows[-1][0] <= 0 and not (trailing is not None
                                     and trailing > threshold):
            why.append("no victim heartbeat after the fault")
    if end_rel < w1:
        why.append(f"recording ended {end_rel:+.2f} s after the fault, "
                   f"before the window's end (+{w1:g} s)")
    if run["victim_records_ok"] is False:
        why.append("victim's disk records did not verify")

    max_gap, gap_at = inner, inner_at
    if trailing is not None and (max_gap is None or trailing > max_gap):
        max_gap, gap_at = trailing, rows[-1][0]
    run["max_gap"], run["gap_at"], run["why"] = max_gap, gap_at, why
    run["contained"] = None if run["rig_failure"] is not None else not why
    return run


def order(names, known):
    """Known names in their order, then the others sorted."""
    return [n for n in known if n in names] + \
        sorted(n for n in names if n not in known)


def analyse(runs):
    """cells[(fault, layout)] = statistics of the runs of that cell."""
    cells = {}
    for r in runs:
        cells.setdefault((r["fault"], r["layout"]), []).append(r)
    out = {}
    for key, rs in cells.items():
        valid = [r for r in rs if r["rig_failure"] is None]
        attempted = [r for r in valid if r["recovery_s"] is not None]
        out[key] = {
            "runs": len(rs),
            "valid": len(valid),
            "contained": sum(1 for r in valid if r["contained"]),
            "gap": stats([r["max_gap"] for r in valid
                          if r["max_gap"] is not None]),
            "detected": sum(1 for r in valid if r["detected"]),
            "detection": stats([r["detection_latency_s"] for r in valid
                                if r["detected"]]),
            "attempted": len(attempted),
            "recovered": sum(1 for r in attempted if r["recovered"]),
            "recovery": stats([r["recovery_s"] for r in attempted
                               if r["recovered"]]),
            "rig_failures": len(rs) - len(valid),
            "reps": rs,
        }
    return out


def table_keys(cells):
    """(fault, layout) of every row of the table: the control if it ran,
    every known fault x known layout, then any other fault or layout that
    ran."""
    ran_f = {f for f, _ in cells}
    faults = ([CONTROL] if CONTROL in ran_f else []) + list(FAULTS) + \
        sorted(ran_f - set(FAULTS) - {CONTROL})
    layouts = list(LAYOUTS) + sorted({lay for _, lay in cells} - set(LAYOUTS))
    # an unknown layout only where it ran
    return [(f, lay) for f in faults for lay in layouts
            if (f, lay) in cells or lay in LAYOUTS]


# ---------------------------------------------------------------- output

def fault_label(fault):
    return f"{fault} (no-fault control)" if fault == CONTROL else fault


def table_row(fault, layout, c):
    if c is None:
        return [fault_label(fault), layout, "0"] + [NOT_MEASURED] * 6 + ["0"]
    recovered = f"{c['recovered']}/{c['attempted']}" if c["attempted"] \
        else "not attempted"
    return [fault_label(fault), layout, str(c["runs"]),
            f"{c['contained']}/{c['valid']}", cell(c["gap"]),
            f"{c['detected']}/{c['valid']}", cell(c["detection"]),
            recovered, cell(c["recovery"]), str(c["rig_failures"])]


def yes_no(v, none="-"):
    return none if v is None else ("yes" if v else "no")


def run_row(r):
    contained = "excluded (rig failure)" if r["contained"] is None \
        else yes_no(r["contained"])
    why = list(r["why"]) if r["contained"] is not None else []
    if r["rig_failure"] is not None:
        why.insert(0, "rig failure: " + r["rig_failure"])
    if r["notes"]:
        why.append("notes: " + r["notes"])
    at = "-" if r["gap_at"] is None else f"{r['gap_at']:+.2f}"
    det = fmt(r["detection_latency_s"]) if r["detected"] else "no"
    if r["recovery_s"] is None:
        rec = "not attempted"
    else:
        rec = fmt(r["recovery_s"]) + ("" if r["recovered"] else " (failed)")
    text = "; ".join(why).replace("|", "\\|").replace("\n", " ") or "-"
    return [r["name"], contained, fmt(r["max_gap"]), at, str(len(r["rows"])),
            det, rec, yes_no(r["victim_records_ok"], "not checked"), text]


def summary_md(runs, cells, keys, ignored, meta_text, meta_keys, configs,
               threshold, plots, plot_notes):
    L = ["# mint fault isolation: results", ""]
    L += [f"A run is **contained** when the victim VM beat before and after "
          f"the fault, its largest heartbeat gap from "
          f"{WINDOW_BEFORE_S:g} s before to {WINDOW_AFTER_S:g} s after the "
          f"fault is at most {fmt(threshold)} s (on the guest's clock; a "
          f"victim that went silent: to the end of the recording), it did "
          f"not restart, and its checksummed disk records verified (where "
          f"they were checked). Runs "
          f"with a rig failure (the emulator itself failed) are left out "
          f"of every statistic and counted apart; they are never passes. "
          f"Times in seconds: median [min, max] over the runs that have "
          f"the value; detection and recovery are measured from the "
          f"injection. What the faults, layouts and emulated times mean: "
          f"docs/experiments.md.", ""]
    if meta_text is not None:
        L += ["## Run (meta.txt)", "", "```"]
        L += meta_text.rstrip("\n").splitlines()
        L += ["```", ""]

    L += ["## Containment per fault and layout", ""]
    L += md_table(["fault", "layout", "runs", "contained",
                   "victim max gap (s)", "detected", "detection latency (s)",
                   "recovered", "recovery time (s)", "rig failures"],
                  [table_row(f, lay, cells.get((f, lay)))
                   for f, lay in keys])
    L.append("")
    total = len(runs)
    rig = sum(1 for r in runs if r["rig_failure"] is not None)
    ctl = [r for r in runs if r["fault"] == CONTROL]
    ctl_rig = sum(1 for r in ctl if r["rig_failure"] is not None)
    line = f"Rig failures: {rig} of {total} runs"
    line += f"; in the no-fault control {ctl_rig} of {len(ctl)}." if ctl \
        else "; no no-fault control ran, so the rig's own failure rate " \
             "is unknown."
    L += [line, ""]

    L += ["## Runs", ""]
    L += md_table(["run", "contained", "victim max gap (s)",
                   "gap starts (s after fault)", "heartbeats", "detection (s)",
                   "recovery (s)", "victim records ok", "why / notes"],
                  [run_row(r) for r in runs])
    L.append("")

    if plots:
        L += ["## Plots", ""]
        L += [f"![{os.path.splitext(p)[0]}]({p})" for p in plots]
        L.append("")

    notes = []
    missing = [f"{f} / {lay}" for f, lay in keys if (f, lay) not in cells]
    if missing:
        notes.append("Not measured (no runs): " + ", ".join(missing) + ".")
    other_f = sorted({r["fault"] for r in runs} - set(FAULTS) - {CONTROL})
    if other_f:
        notes.append("Faults not in docs/experiments.md: "
                     + ", ".join(other_f) + ".")
    other_l = sorted({r["layout"] for r in runs} - set(LAYOUTS))
    if other_l:
        notes.append("Layouts not in docs/experiments.md: "
                     + ", ".join(other_l) + ".")
    unchecked = [r["name"] for r in runs if r["victim_records_ok"] is None
                 and r["rig_failure"] is None]
    if unchecked:
        notes.append(f"The victim's disk records were not checked in "
                     f"{len(unchecked)} of {len(runs) - rig} runs: their "
                     f"containment rests on the heartbeat alone ("
                     + ", ".join(unchecked) + ").")
    alarms = [r["name"] for r in ctl if r["detected"]]
    if alarms:
        notes.append("False alarms (node0 reported a failure in a no-fault "
                     "run): " + ", ".join(alarms) + ".")
    if any(r["fault"] == SELF_STOP for r in runs):
        notes.append(f"{SELF_STOP}: node0 stopped node1 itself, so its "
                     "'detection' is the time until node0's own state "
                     "read stopped after the stop command, not a "
                     "detection of a failure by a watcher.")
    if meta_text is None:
        notes.append("No meta.txt: commit, machine, config and command of "
                     "these results are not recorded.")
    else:
        absent = [k for k in META_KEYS if k not in meta_keys]
        if absent:
            notes.append("meta.txt lacks: " + ", ".join(
                f"{k}=" for k in absent) + ".")
    if configs is None:
        notes.append("No configs/: the partition configs used are not "
                     "recorded.")
    else:
        notes.append("Partition configs recorded in configs/: "
                     + (", ".join(configs) or "none") + ".")
    if ignored:
        notes.append("Ignored (not <fault>--<layout>--<rep>.csv/.json): "
                     + ", ".join(ignored) + ".")
    notes += plot_notes
    L += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(L)


def num(v):
    return "" if v is None else repr(v)


def summary_csv(path, cells, keys):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        head = ["fault", "layout", "runs", "valid_runs", "contained"]
        for part in ("gap", "detection", "recovery"):
            if part == "detection":
                head.append("detected")
            if part == "recovery":
                head += ["recovery_attempted", "recovered"]
            head += [f"{part}_{x}" for x in ("n", "median", "min", "max")]
        head.append("rig_failures")
        w.writerow(head)
        for f_, lay in keys:
            c = cells.get((f_, lay))
            if c is None:
                w.writerow([f_, lay, 0] + [""] * (len(head) - 4) + [0])
                continue
            row = [f_, lay, c["runs"], c["valid"], c["contained"]]
            for part in ("gap", "detection", "recovery"):
                if part == "detection":
                    row.append(c["detected"])
                if part == "recovery":
                    row += [c["attempted"], c["recovered"]]
                s = c[part]
                row += [0, "", "", ""] if s is None else \
                    [s["n"]] + [num(s[x]) for x in ("median", "min", "max")]
            row.append(c["rig_failures"])
            w.writerow(row)


def runs_csv(path, runs):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["run", "fault", "layout", "rep", "contained",
                    "max_gap_s", "gap_at_s", "heartbeats", "detected",
                    "detection_latency_s", "recovered", "recovery_s",
                    "victim_records_ok", "rig_failure", "why"])
        for r in runs:
            contained = "excluded" if r["contained"] is None \
                else yes_no(r["contained"])
            w.writerow([r["name"], r["fault"], r["layout"], r["rep"],
                        contained, num(r["max_gap"]), num(r["gap_at"]),
                        len(r["rows"]), yes_no(r["detected"]),
                        num(r["detection_latency_s"]),
                        yes_no(r["recovered"]), num(r["recovery_s"]),
                        yes_no(r["victim_records_ok"], "not checked"),
                        r["rig_failure"] or "", "; ".join(r["why"])])


# ---------------------------------------------------------------- plots

def run_gnuplot(gnuplot, out_dir, base):
    r = subprocess.run([gnuplot, base + ".gp"], cwd=out_dir,
                       capture_output=True, text=True)
    png = os.path.join(out_dir, base + ".png")
    if r.returncode != 0 or not os.path.isfile(png) \
            or os.path.getsize(png) == 0:
        raise InputError(f"gnuplot {os.path.join(out_dir, base)}.gp failed: "
                         f"{r.stderr.strip()[:400]}")
    return base + ".png"


def gp_quote(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def timeline_points(r):
    """(s after the fault, heartbeats since the fault) of a run, from
    PLOT_BEFORE_S before the fault on. The heartbeat count is relative to
    the last heartbeat at or before the fault (else the first)."""
    rows, fault = r["rows"], r["fault_t_host_s"]
    if not rows:
        return []
    before = [n for t, n, _ in rows if t <= fault]
    ref = before[-1] if before else rows[0][1]
    return [(seconds(t - fault), n - ref) for t, n, _ in rows
            if t >= fault - PLOT_BEFORE_S]


def write_timeline(out_dir, fault, layout, reps, threshold, terminal,
                   gnuplot):
    base = f"timeline-{fault}--{layout}"
    plots = []
    with open(os.path.join(out_dir, base + ".dat"), "w") as f:
        f.write("# s_after_fault\theartbeats_since_fault\n")
        for i, r in enumerate(reps):
            pts = timeline_points(r)
            f.write(f"# {r['name']}\n")
            f.writelines(f"{t!r}\t{n}\n" for t, n in pts)
            f.write("\n\n")
            if not pts:
                continue
            title = f"rep {r['rep']}"
            if r["contained"] is None:
                title += " (rig failure)"
            elif not r["contained"]:
                title += " (not contained)"
            dash = " dt 2" if r["contained"] is None else ""
            plots.append(f"'{base}.dat' index {i} using 1:2 with linespoints"
                         f" pt 7 ps 0.4{dash} title \"{gp_quote(title)}\"")
    # to the end of the longest recording: a victim that went silent
    # shows as a line that stops
    x1 = max([WINDOW_AFTER_S + 5] + [
        math.ceil(seconds(r["run_end_t_host_s"] - r["fault_t_host_s"]))
        for r in reps])
    ranges = f"set xrange [-{PLOT_BEFORE_S:g}:{x1:g}]\n"
    if not plots:
        plots = ['NaN title "no victim heartbeats recorded"']
        ranges += "set yrange [0:1]\n"
    else:
        ranges += "set offsets 0, 0, graph 0.05, graph 0.05\n"
    what = FAULTS.get(fault, "no fault injected" if fault == CONTROL
                      else fault)
    with open(os.path.join(out_dir, base + ".gp"), "w") as f:
        f.write(f"""# made by bench/experiments/expreport.py
set terminal {terminal}
set termoption noenhanced
set output '{base}.png'
set title "{gp_quote(fault)} / {gp_quote(layout)}: {gp_quote(what)}\\n\
the victim's heartbeats, every repetition aligned on the fault \
(window -{WINDOW_BEFORE_S:g} s .. +{WINDOW_AFTER_S:g} s, \
contained: gap <= {fmt(threshold)} s)"
set xlabel "seconds after the fault (host clock)"
set ylabel "victim heartbeats since the fault"
{ranges}set grid
set key bottom right
set arrow 1 from 0, graph 0 to 0, graph 1 nohead lw 2 lc rgb "red"
set label 1 "fault" at 0, graph 0.03 offset 0.5, 0 tc rgb "red"
set arrow 2 from -{WINDOW_BEFORE_S:g}, graph 0 to -{WINDOW_BEFORE_S:g}, \
graph 1 nohead dt 3 lw 1.5 lc rgb "dark-orange"
set arrow 3 from {WINDOW_AFTER_S:g}, graph 0 to {WINDOW_AFTER_S:g}, \
graph 1 nohead dt 3 lw 1.5 lc rgb "dark-orange"
plot {", ".join(plots)}
""")
    return run_gnuplot(gnuplot, out_dir, base)


def write_bars(out_dir, part, cells, faults, layouts, terminal, gnuplot):
    """A cluster per fault, a bar per layout: median, error bars min-max."""
    title = {"detection": "Detection latency: injection to node0 reporting "
                          "the failure",
             "recovery": "Recovery time: injection to the faulted VM's "
                         "first heartbeat after its restart"}[part]
    base = part
    ymax, labels = 0.0, []
    with open(os.path.join(out_dir, base + ".dat"), "w") as f:
        f.write("# fault\tlabel" + "".join(f"\t{lay} median\tmin\tmax"
                                           for lay in layouts) + "\n")
        for fault in faults:
            vals = []
            for lay in layouts:
                c = cells.get((fault, lay))
                s = None if c is None else c[part]
                vals += ["?"] * 3 if s is None else \
                    [repr(s["median"]), repr(s["min"]), repr(s["max"])]
            label = SHORT.get(fault, fault)
            if all(v == "?" for v in vals):
                label += "\\n(not measured)" if not any(
                    (fault, lay) in cells for lay in layouts) \
                    else "\\n(n/a)"
            else:
                ymax = max([ymax] + [float(v) for v in vals if v != "?"])
            labels.append(label)
            f.write("\t".join([fault, label.replace("\\n", " ")] + vals)
                    + "\n")
    plots = []
    for i, lay in enumerate(layouts):
        c = 3 + 3 * i
        src = f"'{base}.dat'" if i == 0 else "''"
        xt = ""
        plots.append(f"{src} using {c}:{c + 1}:{c + 2}{xt} "
                     f"title \"{gp_quote(lay)}\"")
    # double-quoted, so gnuplot breaks the lines at \n (names have no " or
    # backslash: NAME)
    xtics = ", ".join(f'"{lb}" {i}' for i, lb in enumerate(labels))
    # room above the highest error bar; 0..1 when there is nothing
    yrange = f"[0:{ymax * 1.15!r}]" if ymax > 0 else "[0:1]"
    with open(os.path.join(out_dir, base + ".gp"), "w") as f:
        f.write(f"""# made by bench/experiments/expreport.py
set terminal {terminal}
set termoption noenhanced
set output '{base}.png'
set title "{title}\\nbars: median, error bars: min to max"
set ylabel "seconds (lower is better)"
set datafile separator "\\t"
set datafile missing "?"
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.7 border -1
set boxwidth 0.9
set xrange [-0.5:{len(faults) - 0.5}]
set yrange {yrange}
set xtics noenhanced ({xtics})
set grid ytics
set key top right
set bmargin 5
plot {", ".join(plots)}
""")
    return run_gnuplot(gnuplot, out_dir, base)


def make_plots(out_dir, cells, keys, threshold):
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        raise InputError("gnuplot not found (Debian: apt-get install "
                         "gnuplot-nox); use --no-plots for tables only")
    terminal = gnuplot_terminal(gnuplot)
    made = []
    for fault, layout in keys:
        c = cells.get((fault, layout))
        if c is not None:
            made.append(write_timeline(out_dir, fault, layout, c["reps"],
                                       threshold, terminal, gnuplot))
    faults = order({f for f, _ in keys} - {CONTROL}, list(FAULTS))
    layouts = order({lay for _, lay in keys}, list(LAYOUTS))
    for part in ("detection", "recovery"):
        made.append(write_bars(out_dir, part, cells, faults, layouts,
                               terminal, gnuplot))
    return made


# ---------------------------------------------------------------- main

def threshold_arg(s):
    try:
        v = float(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {s}") from None
    if not math.isfinite(v) or v <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0: {s}")
    return v


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="expreport.py",
        description="Tables and plots of the fault-isolation experiments "
                    "(docs/experiments.md, bench/experiments/FORMAT.md).")
    ap.add_argument("results_dir", metavar="RESULTS_DIR")
    ap.add_argument("out_dir", metavar="OUT_DIR")
    ap.add_argument("--gap-threshold", type=threshold_arg,
                    default=DEFAULT_GAP_THRESHOLD_S, metavar="S",
                    help="largest victim heartbeat gap, in seconds, of a "
                         "contained run (default 5)")
    ap.add_argument("--no-plots", action="store_true",
                    help="write summary.md, summary.csv and runs.csv only")
    args = ap.parse_args(argv)

    try:
        if not os.path.isdir(args.results_dir):
            raise InputError(f"{args.results_dir}: not a directory")
        runs, ignored = load(args.results_dir)
        if not runs:
            raise InputError(f"{args.results_dir}: no runs in runs/ "
                             "(see bench/experiments/FORMAT.md)")
        meta_text, meta_keys = read_meta(args.results_dir)
        configs = list_configs(args.results_dir)
        for r in runs:
            evaluate(r, args.gap_threshold)
        cells = analyse(runs)
        keys = table_keys(cells)
        # the runs in the table's order
        runs.sort(key=lambda r: (keys.index((r["fault"], r["layout"])),
                                 r["rep"]))
        os.makedirs(args.out_dir, exist_ok=True)
        summary_csv(os.path.join(args.out_dir, "summary.csv"), cells, keys)
        runs_csv(os.path.join(args.out_dir, "runs.csv"), runs)
        plots, notes, error = [], [], None
        if args.no_plots:
            notes.append("Plots: not made (--no-plots).")
        else:
            try:
                plots = make_plots(args.out_dir, cells, keys,
                                   args.gap_threshold)
            except InputError as e:
                error = e
                notes.append(f"Plots: not made ({e}).")
        with open(os.path.join(args.out_dir, "summary.md"), "w") as f:
            f.write(summary_md(runs, cells, keys, ignored, meta_text,
                               meta_keys, configs, args.gap_threshold,
                               plots, notes))
        if error:
            raise error
    except (InputError, OSError) as e:
        print(f"expreport: {e}", file=sys.stderr)
        return 1
    print(os.path.join(args.out_dir, "summary.md"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
