# SPDX-License-Identifier: GPL-2.0
"""The report of the fault-isolation experiments (docs/experiments.md).

  python3 -m bench.experiments.expreport [--gap-threshold=S] [--no-plots]
      RESULTS_DIR OUT_DIR

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

The format and the judging of a run: expdata.py; the plots: expplots.py;
what this report shares with the evaluation's: bench/report/reportlib.py.
"""

import argparse
import csv
import math
import os
import sys

from bench.experiments.expdata import (CONTROL, DEFAULT_GAP_THRESHOLD_S,
                                       FAULTS, LAYOUTS, META_KEYS,
                                       SELF_STOP, UPDATE, WINDOW_AFTER_S,
                                       WINDOW_BEFORE_S, analyse, evaluate,
                                       list_configs, load, table_keys)
from bench.experiments.expplots import make_plots
from bench.report.reportlib import (NOT_MEASURED, InputError, fmt,
                                    md_table, median_range, meta_section,
                                    read_meta)


# ---------------------------------------------------------------- output

def fault_label(fault):
    return f"{fault} (no-fault control)" if fault == CONTROL else fault


def table_row(fault, layout, c):
    if c is None:
        return [fault_label(fault), layout, "0"] + [NOT_MEASURED] * 6 + ["0"]
    recovered = f"{c['recovered']}/{c['attempted']}" if c["attempted"] \
        else "not attempted"
    return [fault_label(fault), layout, str(c["runs"]),
            f"{c['contained']}/{c['valid']}", median_range(c["gap"]),
            f"{c['detected']}/{c['valid']}", median_range(c["detection"]),
            recovered, median_range(c["recovery"]), str(c["rig_failures"])]


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
    L += meta_section(meta_text)

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
    if any(r["fault"] == UPDATE for r in runs):
        notes.append(f"{UPDATE}: two injections per repetition, the victim "
                     "guest1b in both: mint is `mintctl update node1` (its "
                     "VMs move to node2 and back around node1's restart), "
                     "single is node1 stopped and started on the new kernel "
                     "with its VMs on it. Its 'detection' is the time until "
                     "node1 left running (in mint: its VMs moved away), its "
                     "recovery the end of the update (single: guest1b's "
                     "marker again).")
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
