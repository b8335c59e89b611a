# SPDX-License-Identifier: GPL-2.0
"""The fault-isolation results of bench/experiments/FORMAT.md, read and
judged for bench/experiments/expreport.py: the names and limits of the
format, a results directory's runs, whether each run's victim was
contained (evaluate) and the statistics of each fault and layout
(analyse)."""

import csv
import json
import math
import os
import re

from bench.report.reportlib import InputError, describe, fmt

FORMAT = 1
CSV_HEADER = ["t_host_s", "victim_n", "victim_uptime_s"]
WINDOW_BEFORE_S = 10.0
WINDOW_AFTER_S = 30.0
DEFAULT_GAP_THRESHOLD_S = 5.0

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
    "node-kernel-update":
        "the faulted node's kernel is replaced while its VMs run (mint: "
        "mintctl update moves them away and back; single: the node "
        "restarts under them)",
}
LAYOUTS = {
    "mint": "one VM per node, on two nodes",
    "single": "both VMs under one KVM (the control)",
}
META_KEYS = ("commit", "machine", "config", "command", "date")

NAME = r"[a-z0-9]+(?:-[a-z0-9]+)*"
RUN_RE = re.compile(rf"^({NAME})--({NAME})--([1-9][0-9]*)\.(csv|json)$")

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
# node0's own kernel replacement: "detection" is node1 leaving running
UPDATE = "node-kernel-update"


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
            "gap": describe([r["max_gap"] for r in valid
                          if r["max_gap"] is not None]),
            "detected": sum(1 for r in valid if r["detected"]),
            "detection": describe([r["detection_latency_s"] for r in valid
                                if r["detected"]]),
            "attempted": len(attempted),
            "recovered": sum(1 for r in attempted if r["recovered"]),
            "recovery": describe([r["recovery_s"] for r in attempted
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
