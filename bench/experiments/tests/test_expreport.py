#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of bench/experiments/expreport.py, one line each:
"PASS: experiments/NAME" or "FAIL: experiments/NAME: why".

  test_expreport.py [--work=DIR]

Synthetic result directories (bench/experiments/FORMAT.md): victims that
beat once a second with gaps placed by hand, so every gap, count, median
and range below was worked out by hand, exactly.
"""

import argparse
import csv
import json
import os
import pathlib
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import traceback
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
EXP = os.path.dirname(HERE)
REPORT = os.path.join(EXP, "expreport.py")
FORMAT_MD = os.path.join(EXP, "FORMAT.md")
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
if not __package__:  # python3 FILE, not python3 -m: the checkout's root on the path (README.md)
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3]))

from bench.experiments import expreport

OPTS = argparse.Namespace(work=None)

FAULT_T = 100.0  # every synthetic fault is injected at host time 100 s
END_T = 140.0    # and the recording ends 40 s later
HEADER = "t_host_s,victim_n,victim_uptime_s"


def beats(start=80.0, stop=END_T, n0=50, up0=30.0, gaps=()):
    """A victim beating once a second from host time `start` while t <
    `stop`; gaps = [(host time, seconds)]: the beat after the one at that
    time comes that much later (on both clocks)."""
    rows, t, n, up = [], start, n0, up0
    gaps = dict(gaps)
    while t < stop:
        rows.append((t, n, up))
        step = gaps.get(t, 1.0)
        t, n, up = round(t + step, 6), n + 1, round(up + step, 6)
    return rows


def write_run(res, fault, layout, rep, rows, /, csv_text=None, **kw):
    d = {"format": 1, "fault": fault, "layout": layout, "rep": rep,
         "fault_t_host_s": FAULT_T, "run_end_t_host_s": END_T,
         "detected": False, "detection_latency_s": None,
         "recovered": False, "recovery_s": None,
         "victim_records_ok": True, "rig_failure": None, "notes": ""}
    d.update(kw)
    runs = os.path.join(res, "runs")
    os.makedirs(runs, exist_ok=True)
    name = f"{fault}--{layout}--{rep}"
    with open(os.path.join(runs, name + ".json"), "w") as f:
        json.dump(d, f)
    with open(os.path.join(runs, name + ".csv"), "w") as f:
        if csv_text is not None:
            f.write(csv_text)
        else:
            f.write(HEADER + "\n")
            f.writelines(f"{t:.3f},{n},{up:.2f}\n" for t, n, up in rows)
    return name


def detected(s):
    return {"detected": True, "detection_latency_s": s}


def recovered(s, ok=True):
    return {"recovered": ok, "recovery_s": s}


def run_report(*args):
    return subprocess.run([sys.executable, REPORT, *args],
                          capture_output=True, text=True)


def table_rows(md, first_header):
    """The header and rows (lists of cells) of the markdown table whose
    header row starts with first_header."""
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("| " + first_header + " |"):
            rows = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                rows.append([c.strip() for c in
                             re.split(r"(?<!\\)\|", row.strip()[1:-1])])
            header = [c.strip() for c in line.strip("|").split("|")]
            return header, rows
    raise AssertionError(f"no table starting with {first_header}")


def section(md, title):
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("#") and line.lstrip("#").strip() == title:
            out = []
            for row in lines[i + 1:]:
                if row.startswith("#"):
                    break
                out.append(row)
            return "\n".join(out)
    raise AssertionError(f"no section {title}")


def png_size(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError(f"{path}: not a PNG (magic {data[:8]!r})")
    if data[12:16] != b"IHDR":
        raise AssertionError(f"{path}: no IHDR chunk")
    if not data.endswith(b"IEND\xaeB`\x82"):
        raise AssertionError(f"{path}: no IEND chunk (truncated)")
    w, h = struct.unpack(">II", data[16:24])
    return w, h, len(data)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


class Base(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        root = OPTS.work or tempfile.gettempdir()
        os.makedirs(root, exist_ok=True)
        self.dir = tempfile.mkdtemp(prefix=self._testMethodName + ".",
                                    dir=root)
        self.res = os.path.join(self.dir, "results")
        self.out = os.path.join(self.dir, "out")
        os.makedirs(self.res)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def report(self, *extra, plots=False, ok=True):
        args = list(extra) + ([] if plots else ["--no-plots"])
        r = run_report(*args, self.res, self.out)
        if ok:
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(self.out, "summary.md")) as f:
                return f.read()
        return r

    def runs(self, md):
        """Per-run rows of summary.md by run name."""
        _h, rows = table_rows(md, "run")
        return {r[0]: r[1:] for r in rows}

    def cells(self, md):
        """Table rows by (fault, layout)."""
        _h, rows = table_rows(md, "fault")
        return {(r[0], r[1]): r[2:] for r in rows}

    def evaluate(self, rows, threshold=5.0, **kw):
        run = {"fault_t_host_s": FAULT_T, "run_end_t_host_s": END_T,
               "victim_records_ok": True, "rig_failure": None,
               "rows": rows}
        run.update(kw)
        return expreport.evaluate(run, threshold)


class Gaps(Base):
    def test_gap_exact(self):
        # 3.25 s at +4; a 20 s stall long before the window does not count
        rows = beats(start=50.0, gaps=[(60.0, 20.0), (104.0, 3.25)])
        r = self.evaluate(rows)
        self.assertEqual((r["max_gap"], r["gap_at"]), (3.25, 4.0))
        self.assertIs(r["contained"], True)
        self.assertEqual(r["why"], [])
        # the same through the report
        write_run(self.res, "node-panic", "mint", 1, rows)
        row = self.runs(self.report())["node-panic--mint--1"]
        self.assertEqual(row[:4], ["yes", "3.250", "+4.00", str(len(rows))])

    def test_gap_window_edges(self):
        # a beat interval counts when it meets [-10 s, +30 s]
        def gap(at, length):
            start = 70.0 + at % 1  # a beat at `at`
            return self.evaluate(beats(start=start, stop=END_T + 20,
                                       gaps=[(at, length)]),
                                 run_end_t_host_s=END_T + 20)["max_gap"]
        self.assertEqual(gap(82.0, 8.0), 8.0)       # ends at -10: in
        self.assertEqual(gap(81.5, 8.25), 1.0)      # ends at -10.25: out
        self.assertEqual(gap(130.0, 6.0), 6.0)      # starts at +30: in
        self.assertEqual(gap(131.0, 6.0), 1.0)      # starts at +31: out
        self.assertEqual(gap(125.0, 17.0), 17.0)    # across the end: in

    def test_gap_on_guest_clock(self):
        # lines arrive in bursts (a slow console): the host saw nothing
        # for 8 s, but the guest beat every second
        rows = [(t, n, 50.0 + n) for n, t in enumerate(
            [90.0, 91.0, 92.0, 101.0, 101.0, 101.0, 101.0, 101.0, 101.0,
             101.0, 101.0, 102.0, 103.0])]
        rows += [(104.0 + i, 13 + i, 63.0 + i) for i in range(36)]
        r = self.evaluate(rows)
        self.assertEqual(r["max_gap"], 1.0)
        self.assertIs(r["contained"], True)

    def test_victim_dies_at_fault(self):
        rows = beats(start=80.5, stop=101.0)  # last beat at +0.5
        r = self.evaluate(rows)
        self.assertEqual((r["max_gap"], r["gap_at"]), (39.5, 0.5))
        self.assertIs(r["contained"], False)
        self.assertEqual(r["why"], [
            "victim silent from +0.50 s to the end of the recording "
            "(+40.00 s)"])
        # dead before the fault: no beat after it
        r = self.evaluate(beats(start=80.0, stop=99.5))
        self.assertEqual(r["max_gap"], 41.0)
        self.assertIn("victim silent from -1.00 s", r["why"][0])
        r = self.evaluate(beats(start=80.0, stop=99.5), threshold=60)
        self.assertEqual(r["why"], ["no victim heartbeat after the fault"])
        write_run(self.res, "node-panic", "single", 1, rows,
                  **detected(2.5))
        md = self.report()
        row = self.runs(md)["node-panic--single--1"]
        self.assertEqual(row[:3], ["no", "39.50", "+0.50"])
        self.assertIn("victim silent from +0.50 s", row[-1])
        self.assertEqual(self.cells(md)[("node-panic", "single")][:3],
                         ["1", "0/1", "39.50 [39.50, 39.50]"])

    def test_threshold_edges(self):
        # printed uptimes 11.01 -> 16.01: 5.000000000000002 in floats
        def run(gap_from, gap_to):
            # beats up to +0 with uptime gap_from, the next at +6 with
            # gap_to, then once a second again
            rows = [(90.0 + i, i, round(gap_from - 10 + i, 2))
                    for i in range(11)]
            rows.append((106.0, 11, gap_to))
            return rows + beats(start=107.0, n0=12, up0=gap_to + 1.0)
        cases = {1: (11.01, 16.00), 2: (11.01, 16.01), 3: (11.01, 16.02),
                 4: (11.06, 16.06)}
        for rep, (a, b) in cases.items():
            write_run(self.res, "guest-panic", "mint", rep, run(a, b))
        md = self.report()
        rows = self.runs(md)
        got = {rep: rows[f"guest-panic--mint--{rep}"][:2] for rep in cases}
        self.assertEqual(got, {1: ["yes", "4.990"], 2: ["yes", "5.000"],
                               3: ["no", "5.010"], 4: ["yes", "5.000"]})
        self.assertIn("heartbeat gap of 5.010 s > 5.000 s",
                      rows["guest-panic--mint--3"][-1])
        self.assertEqual(self.cells(md)[("guest-panic", "mint")][1], "3/4")
        md = self.report("--gap-threshold=5.009")
        self.assertEqual(self.cells(md)[("guest-panic", "mint")][1], "3/4")
        md = self.report("--gap-threshold=5.011")
        self.assertEqual(self.cells(md)[("guest-panic", "mint")][1], "4/4")
        self.assertIn("at most 5.011 s", md)

    def test_records(self):
        r = self.evaluate(beats(), victim_records_ok=False)
        self.assertEqual(r["max_gap"], 1.0)
        self.assertIs(r["contained"], False)
        self.assertEqual(r["why"], ["victim's disk records did not verify"])
        # not checked: judged on the heartbeat, and said so
        write_run(self.res, "node-panic", "mint", 1, beats(),
                  victim_records_ok=None)
        write_run(self.res, "node-panic", "mint", 2, beats(),
                  victim_records_ok=False)
        write_run(self.res, "node-panic", "mint", 3, beats())
        md = self.report()
        rows = self.runs(md)
        self.assertEqual([rows[f"node-panic--mint--{i}"][0]
                          for i in (1, 2, 3)], ["yes", "no", "yes"])
        self.assertEqual(rows["node-panic--mint--1"][6], "not checked")
        self.assertIn("The victim's disk records were not checked in 1 of 3 "
                      "runs: their containment rests on the heartbeat alone "
                      "(node-panic--mint--1).", section(md, "Notes"))

    def test_restart(self):
        # the victim rebooted: n and uptime start again
        rows = beats(start=80.0, stop=105.0)
        rows += beats(start=117.0, n0=0, up0=3.0)
        r = self.evaluate(rows)
        self.assertEqual((r["max_gap"], r["gap_at"]), (13.0, 4.0))
        self.assertIs(r["contained"], False)
        self.assertEqual(r["why"][0], "victim restarted at +17.00 s "
                         "(n 74 -> 0, up 54 -> 3)")
        # a quick reboot is no less a restart
        rows = beats(start=80.0, stop=105.0)
        rows += beats(start=105.0, n0=0, up0=3.0)
        r = self.evaluate(rows)
        self.assertEqual(r["max_gap"], 1.0)
        self.assertIs(r["contained"], False)

    def test_no_beats_or_window(self):
        r = self.evaluate([])
        self.assertEqual((r["max_gap"], r["contained"]), (None, False))
        self.assertEqual(r["why"], ["no victim heartbeats recorded"])
        r = self.evaluate(beats(start=100.5))
        self.assertIs(r["contained"], False)
        self.assertEqual(r["why"], ["no victim heartbeat before the fault"])
        r = self.evaluate(beats(stop=120.0), run_end_t_host_s=120.0)
        self.assertIs(r["contained"], False)
        self.assertEqual(r["why"], [
            "recording ended +20.00 s after the fault, before the "
            "window's end (+30 s)"])
        write_run(self.res, "node-oom", "mint", 1, [])
        md = self.report()
        self.assertEqual(self.runs(md)["node-oom--mint--1"][:4],
                         ["no", "n/a", "-", "0"])
        self.assertEqual(self.cells(md)[("node-oom", "mint")][1:3],
                         ["0/1", "n/a"])

    def test_rig_failure_excluded(self):
        write_run(self.res, "node-hang", "mint", 1,
                  beats(gaps=[(105.0, 1.5)]), **detected(6.0),
                  **recovered(50.0))
        write_run(self.res, "node-hang", "mint", 2,
                  beats(gaps=[(110.0, 2.5)]), **detected(8.0),
                  **recovered(70.0))
        # the emulated machine died: the victim too
        write_run(self.res, "node-hang", "mint", 3, beats(stop=101.0),
                  **detected(1.0), **recovered(10.0),
                  rig_failure="QEMU exited: tcg_handle_interrupt: "
                              "assertion failed (logs/node-hang--mint--3)")
        write_run(self.res, "none", "mint", 1, beats())
        md = self.report()
        self.assertEqual(self.cells(md)[("node-hang", "mint")], [
            "3", "2/2", "2.000 [1.500, 2.500]", "2/2",
            "7.000 [6.000, 8.000]", "2/2", "60.00 [50.00, 70.00]", "1"])
        row = self.runs(md)["node-hang--mint--3"]
        self.assertEqual(row[0], "excluded (rig failure)")
        self.assertTrue(row[-1].startswith("rig failure: QEMU exited: "
                                           "tcg_handle_interrupt"), row)
        self.assertIn("Rig failures: 1 of 4 runs; in the no-fault control "
                      "0 of 1.", md)
        s = read_csv(os.path.join(self.out, "summary.csv"))
        hang = [x for x in s if (x["fault"], x["layout"]) ==
                ("node-hang", "mint")][0]
        self.assertEqual((hang["runs"], hang["valid_runs"],
                          hang["contained"], hang["rig_failures"]),
                         ("3", "2", "2", "1"))
        r = [x for x in read_csv(os.path.join(self.out, "runs.csv"))
             if x["run"] == "node-hang--mint--3"][0]
        self.assertEqual(r["contained"], "excluded")


class Summary(Base):
    def full(self):
        """Two layouts, the control and node-panic, values by hand."""
        write_run(self.res, "none", "mint", 1, beats())
        write_run(self.res, "none", "mint", 2, beats(gaps=[(95.0, 1.5)]))
        write_run(self.res, "none", "single", 1, beats())
        for rep, gap, det, rec in ((1, 1.0, 1.5, 40.0), (2, 1.25, 2.5, 44.0),
                                   (3, 2.0, 4.0, 60.0)):
            write_run(self.res, "node-panic", "mint", rep,
                      beats(gaps=[(103.0, gap)]), **detected(det),
                      **recovered(rec))
        # single: the victim dies with the node; the third run's recovery
        # was given up after 120 s, the second's not attempted
        write_run(self.res, "node-panic", "single", 1,
                  beats(stop=100.75), **detected(2.0), **recovered(45.0))
        write_run(self.res, "node-panic", "single", 2,
                  beats(start=80.25, stop=101.0), **detected(3.0))
        write_run(self.res, "node-panic", "single", 3,
                  beats(start=80.5, stop=101.0), **detected(2.5),
                  **recovered(120.0, ok=False))

    def test_table_values(self):
        self.full()
        md = self.report()
        header, rows = table_rows(md, "fault")
        self.assertEqual(header, [
            "fault", "layout", "runs", "contained", "victim max gap (s)",
            "detected", "detection latency (s)", "recovered",
            "recovery time (s)", "rig failures"])
        by = {(r[0], r[1]): r[2:] for r in rows}
        self.assertEqual(by[("none (no-fault control)", "mint")], [
            "2", "2/2", "1.250 [1.000, 1.500]", "0/2", "n/a",
            "not attempted", "n/a", "0"])
        self.assertEqual(by[("node-panic", "mint")], [
            "3", "3/3", "1.250 [1.000, 2.000]", "3/3",
            "2.500 [1.500, 4.000]", "3/3", "44.00 [40.00, 60.00]", "0"])
        # silent from the last beat (+0, +0.25, +0.5) to the end (+40)
        self.assertEqual(by[("node-panic", "single")], [
            "3", "0/3", "39.75 [39.50, 40.00]", "3/3",
            "2.500 [2.000, 3.000]", "1/2", "45.00 [45.00, 45.00]", "0"])
        self.assertEqual(rows[0][:2], ["none (no-fault control)", "mint"])
        self.assertEqual(rows[1][:2], ["none (no-fault control)", "single"])
        self.assertEqual([r[0] for r in rows[2::2]],
                         list(expreport.FAULTS))
        self.assertEqual(len(rows), 16)
        rr = self.runs(md)
        self.assertEqual(rr["node-panic--single--2"][5], "not attempted")
        self.assertEqual(rr["node-panic--single--3"][5], "120.0 (failed)")

    def test_no_control_row_without_control(self):
        write_run(self.res, "node-panic", "mint", 1, beats())
        md = self.report()
        _h, rows = table_rows(md, "fault")
        self.assertEqual(len(rows), 14)
        self.assertEqual(rows[0][:2], ["node-panic", "mint"])
        self.assertNotIn("no-fault control)", md)
        self.assertIn("no no-fault control ran, so the rig's own failure "
                      "rate is unknown", md)

    def test_missing_cells(self):
        write_run(self.res, "node-panic", "mint", 1, beats(),
                  **detected(2.0), **recovered(30.0))
        md = self.report(plots=True)
        cells = self.cells(md)
        self.assertEqual(cells[("node-panic", "mint")][:2], ["1", "1/1"])
        missing = [k for k in cells if k != ("node-panic", "mint")]
        self.assertEqual(len(missing), 13)
        for k in missing:
            self.assertEqual(cells[k], ["0"] + ["not measured"] * 6 + ["0"],
                             k)
        self.assertIn("Not measured (no runs): node-panic / single, "
                      "node-hang / mint,", md)
        self.assertNotIn("0.000", md)
        s = read_csv(os.path.join(self.out, "summary.csv"))
        self.assertEqual(len(s), 14)
        oom = [x for x in s if x["fault"] == "node-oom"][0]
        self.assertEqual(oom["runs"], "0")
        self.assertEqual({k: v for k, v in oom.items()
                          if k not in ("fault", "layout", "runs",
                                       "rig_failures")},
                         {k: "" for k in oom
                          if k not in ("fault", "layout", "runs",
                                       "rig_failures")})
        pngs = sorted(n for n in os.listdir(self.out)
                      if n.startswith("timeline-") and n.endswith(".png"))
        self.assertEqual(pngs, ["timeline-node-panic--mint.png"])
        with open(os.path.join(self.out, "detection.dat")) as f:
            dat = [ln.rstrip("\n").split("\t") for ln in f
                   if not ln.startswith("#")]
        self.assertEqual(dat[0], ["node-panic", "node panic", "2.0", "2.0",
                                  "2.0", "?", "?", "?"])
        self.assertEqual(dat[2], ["node-oom", "node OOM (not measured)"]
                         + ["?"] * 6)
        self.assertEqual(len(dat), 7)

    def test_summary_csv(self):
        self.full()
        self.report()
        s = read_csv(os.path.join(self.out, "summary.csv"))
        single = [x for x in s if (x["fault"], x["layout"]) ==
                  ("node-panic", "single")][0]
        self.assertEqual(single, {
            "fault": "node-panic", "layout": "single", "runs": "3",
            "valid_runs": "3", "contained": "0", "gap_n": "3",
            "gap_median": "39.75", "gap_min": "39.5", "gap_max": "40.0",
            "detected": "3", "detection_n": "3", "detection_median": "2.5",
            "detection_min": "2.0", "detection_max": "3.0",
            "recovery_attempted": "2", "recovered": "1", "recovery_n": "1",
            "recovery_median": "45.0", "recovery_min": "45.0",
            "recovery_max": "45.0", "rig_failures": "0"})
        runs = read_csv(os.path.join(self.out, "runs.csv"))
        self.assertEqual(len(runs), 9)
        r = [x for x in runs if x["run"] == "node-panic--mint--2"][0]
        self.assertEqual((r["contained"], r["max_gap_s"], r["gap_at_s"],
                          r["detection_latency_s"], r["recovery_s"]),
                         ("yes", "1.25", "3.0", "2.5", "44.0"))

    def test_false_alarm_noted(self):
        write_run(self.res, "none", "mint", 1, beats(), **detected(3.0))
        write_run(self.res, "none", "mint", 2, beats())
        md = self.report()
        self.assertIn("False alarms (node0 reported a failure in a no-fault "
                      "run): none--mint--1.", section(md, "Notes"))
        self.assertEqual(self.cells(md)[("none (no-fault control)",
                                         "mint")][3], "1/2")

    def test_forced_stop_is_not_a_detection(self):
        write_run(self.res, "node-panic", "mint", 1, beats(), **detected(1.0))
        self.assertNotIn("not a detection", self.report())
        write_run(self.res, "node-forced-stop-during-disk-writes", "mint", 1,
                  beats(), **detected(0.3))
        self.assertIn("node-forced-stop-during-disk-writes: node0 stopped "
                      "node1 itself", section(self.report(), "Notes"))

    def test_unknown_names_appended(self):
        write_run(self.res, "node-panic", "mint", 1, beats())
        write_run(self.res, "disk-pull", "mint", 1, beats())
        write_run(self.res, "node-panic", "mint-2cpu", 1, beats())
        md = self.report()
        _h, rows = table_rows(md, "fault")
        keys = [(r[0], r[1]) for r in rows]
        self.assertEqual(keys[:3], [("node-panic", "mint"),
                                    ("node-panic", "single"),
                                    ("node-panic", "mint-2cpu")])
        self.assertEqual(keys[-2:], [("disk-pull", "mint"),
                                     ("disk-pull", "single")])
        notes = section(md, "Notes")
        self.assertIn("Faults not in docs/experiments.md: disk-pull.", notes)
        self.assertIn("Layouts not in docs/experiments.md: mint-2cpu.",
                      notes)


class Control(unittest.TestCase):
    """run.py's no-fault control: what a watcher sees, compared."""

    def test_control_changes(self):
        from bench.experiments import run  # imports the rig
        base = {"node1": "running", "node2": "running",
                "guest1": "running restarts=0", "guest1b": "running restarts=1"}
        self.assertEqual(run.control_changes(base, dict(base)), [])
        self.assertEqual(run.control_changes(
            base, dict(base, node1="hung")), ["node1: running -> hung"])
        self.assertEqual(run.control_changes(
            base, dict(base, guest1="running restarts=1")),
            ["guest1: running restarts=0 -> running restarts=1"])
        gone = dict(base)
        del gone["guest1b"]
        self.assertEqual(run.control_changes(base, gone),
                         ["guest1b: running restarts=1 -> absent"])


class Plots(Base):
    def test_pngs_valid(self):
        write_run(self.res, "none", "mint", 1, beats())
        write_run(self.res, "node-panic", "mint", 1, beats(),
                  **detected(2.0), **recovered(40.0))
        write_run(self.res, "node-panic", "mint", 2,
                  beats(gaps=[(104.0, 3.0)]), **detected(3.0),
                  **recovered(50.0))
        write_run(self.res, "node-panic", "single", 1, beats(stop=101.0),
                  **detected(2.0))
        write_run(self.res, "node-panic", "single", 2, beats(stop=101.0),
                  rig_failure="emulated machine: corrupted stack end")
        write_run(self.res, "guest-panic", "single", 1, [])  # no beats
        md = self.report(plots=True)
        made = ["timeline-none--mint", "timeline-node-panic--mint",
                "timeline-node-panic--single",
                "timeline-guest-panic--single", "detection", "recovery"]
        for base in made:
            path = os.path.join(self.out, base + ".png")
            w, h, size = png_size(path)
            self.assertEqual((w, h), (960, 560), path)
            self.assertGreater(size, 5000, f"{path}: only {size} bytes")
            self.assertIn(f"![{base}]({base}.png)", md)
        self.assertEqual(sorted(n for n in os.listdir(self.out)
                                if n.endswith(".png")),
                         sorted(b + ".png" for b in made))
        # what a plot shows is only checkable in its input
        with open(os.path.join(self.out,
                               "timeline-node-panic--single.gp")) as f:
            gp = f.read()
        self.assertIn("set arrow 1 from 0, graph 0 to 0, graph 1", gp)
        self.assertIn('title "rep 1 (not contained)"', gp)
        self.assertIn('dt 2 title "rep 2 (rig failure)"', gp)
        self.assertIn("set xrange [-20:40]", gp)

    def test_timeline_aligned_on_fault(self):
        # two repetitions, faults at different host times and counters:
        # both start at (0, 0) at their fault
        write_run(self.res, "node-hang", "mint", 1,
                  beats(start=90.0, stop=104.0, n0=7))
        write_run(self.res, "node-hang", "mint", 2,
                  beats(start=190.5, stop=204.0, n0=300),
                  fault_t_host_s=200.0, run_end_t_host_s=240.0)
        self.report(plots=True)
        with open(os.path.join(self.out,
                               "timeline-node-hang--mint.dat")) as f:
            blocks = f.read().split("\n\n\n")
        pts = [[tuple(float(x) for x in ln.split("\t"))
                for ln in b.splitlines() if not ln.startswith("#")]
               for b in blocks if b.strip()]
        self.assertEqual(pts[0][:2], [(-10.0, -10.0), (-9.0, -9.0)])
        self.assertIn((0.0, 0.0), pts[0])
        self.assertEqual(pts[0][-1], (3.0, 3.0))
        self.assertEqual(pts[1][0], (-9.5, -9.0))
        self.assertEqual(pts[1][9:11], [(-0.5, 0.0), (0.5, 1.0)])

    def test_bars_values(self):
        for rep, (det, rec) in enumerate([(1.0, 30.0), (4.0, 36.0),
                                          (2.0, 33.0)], 1):
            write_run(self.res, "vm-qemu-killed", "single", rep, beats(),
                      **detected(det), **recovered(rec))
        self.report(plots=True)
        for part, want in (("detection", ["2.0", "1.0", "4.0"]),
                           ("recovery", ["33.0", "30.0", "36.0"])):
            with open(os.path.join(self.out, part + ".dat")) as f:
                row = [ln.rstrip("\n").split("\t") for ln in f
                       if ln.startswith("vm-qemu-killed\t")][0]
            self.assertEqual(row, ["vm-qemu-killed", "VM's QEMU killed",
                                   "?", "?", "?"] + want)
            with open(os.path.join(self.out, part + ".gp")) as f:
                gp = f.read()
            self.assertIn("errorbars", gp)
            self.assertIn("using 3:4:5 title \"mint\"", gp)
            self.assertIn("using 6:7:8 title \"single\"", gp)


class Records(Base):
    def test_meta_embedded(self):
        write_run(self.res, "none", "mint", 1, beats())
        meta = ("commit=0123abc\nmachine=emulated: QEMU 10 q35 TCG\n"
                "config=configs/mint.conf configs/single.conf smp=4\n"
                "command=make experiments\ndate=2025-01-01T00:00:00Z\n")
        with open(os.path.join(self.res, "meta.txt"), "w") as f:
            f.write(meta)
        os.makedirs(os.path.join(self.res, "configs"))
        for n in ("mint.conf", "single.conf"):
            with open(os.path.join(self.res, "configs", n), "w") as f:
                f.write("[partition]\n")
        md = self.report()
        self.assertIn("```\n" + meta + "```", section(md, "Run (meta.txt)"))
        notes = section(md, "Notes")
        self.assertNotIn("meta.txt", notes)
        self.assertIn("Partition configs recorded in configs/: mint.conf, "
                      "single.conf.", notes)

    def test_meta_missing(self):
        write_run(self.res, "none", "mint", 1, beats())
        md = self.report()
        self.assertNotIn("## Run (meta.txt)", md)
        notes = section(md, "Notes")
        self.assertIn("No meta.txt: commit, machine, config and command",
                      notes)
        self.assertIn("No configs/", notes)
        with open(os.path.join(self.res, "meta.txt"), "w") as f:
            f.write("commit=1\nmachine=x\ncommand=y\n")
        md = self.report()
        self.assertIn("meta.txt lacks: config=, date=.",
                      section(md, "Notes"))

    def test_ignored_files(self):
        write_run(self.res, "none", "mint", 1, beats())
        for n in ("none--mint--1.log", "node-panic--mint.csv",
                  "none--mint--01.csv"):
            with open(os.path.join(self.res, "runs", n), "w") as f:
                f.write("x\n")
        os.makedirs(os.path.join(self.res, "logs", "none--mint--1"))
        md = self.report()
        self.assertIn("Ignored (not <fault>--<layout>--<rep>.csv/.json): "
                      "runs/node-panic--mint.csv, runs/none--mint--01.csv, "
                      "runs/none--mint--1.log.", section(md, "Notes"))
        self.assertEqual(self.cells(md)[("none (no-fault control)",
                                         "mint")][0], "1")

    def test_format_doc_matches(self):
        """FORMAT.md's key table and example are what the report reads."""
        with open(FORMAT_MD) as f:
            doc = f.read()
        example = re.search(r"```json\n(.*?)```", doc, re.S).group(1)
        d = json.loads(example)
        keys = [k for k, _t, _n in expreport.JSON_KEYS]
        self.assertEqual(list(d), keys)
        json_part = doc.split("## `runs/<run>.json`")[1].split("\n## ")[0]
        documented = []
        for line in json_part.splitlines():
            if line.startswith("| `"):
                documented += re.findall(r"`([a-z_]+)`",
                                         line.split(" | ")[0])
        self.assertEqual(sorted(documented), sorted(keys))
        head = re.search(r"```\n(t_host_s,[^\n]*)\n", doc).group(1)
        self.assertEqual(head, ",".join(expreport.CSV_HEADER))
        for f_ in expreport.FAULTS:
            self.assertIn(f"`{f_}`", doc)
        for k in expreport.META_KEYS:
            self.assertIn(f"\n{k}=", doc)
        # the example passes the report's checks
        runs = os.path.join(self.res, "runs")
        os.makedirs(runs)
        with open(os.path.join(runs, "node-panic--mint--1.json"), "w") as f:
            f.write(example)
        with open(os.path.join(runs, "node-panic--mint--1.csv"), "w") as f:
            f.write(HEADER + "\n100.512,41,57.83\n")
        self.report()


class Errors(Base):
    def bad(self, want, csv_text=None, name=("node-panic", "mint", 1),
            **kw):
        shutil.rmtree(self.res)
        write_run(self.res, *name, beats(), csv_text=csv_text, **kw)
        r = self.report(ok=False)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertTrue(r.stderr.startswith("expreport: "), r.stderr)
        self.assertIn(want, r.stderr)

    def test_bad_csv(self):
        f = "runs/node-panic--mint--1.csv"
        self.bad(f"{f}:1: expected the header", "t,n,up\n1,2,3\n")
        self.bad(f"{f}: empty", "")
        self.bad(f"{f}:2: 2 fields, expected 3", HEADER + "\n1.0,2\n")
        self.bad(f"{f}:3: not a number", HEADER + "\n1,2,3\n2,x,4\n")
        self.bad(f"{f}:2: not a number", HEADER + "\n1,2.5,3\n")
        self.bad(f"{f}:2: negative", HEADER + "\n1,-2,3\n")
        self.bad(f"{f}:2: negative or not finite", HEADER + "\nnan,2,3\n")
        self.bad(f"{f}:3: t_host_s 1.5 is before the previous row's 2.0",
                 HEADER + "\n2.0,1,3\n1.5,2,4\n")
        self.bad(f"{f}:2: 0 fields", HEADER + "\n\n")

    def test_bad_json(self):
        f = "runs/node-panic--mint--1.json"
        self.bad(f'{f}: "detected" is 1, expected bool', detected=1)
        self.bad(f'{f}: "rep" is "1", expected int', rep="1")
        self.bad(f'{f}: "fault_t_host_s" is true, expected int/float',
                 fault_t_host_s=True)
        self.bad(f'{f}: "recovery_s" is -1, expected a number >= 0',
                 recovery_s=-1)
        self.bad(f'{f}: "layout" is "single", the file name says "mint"',
                 layout="single")
        self.bad(f'{f}: "rep" is 2, the file name says 1', rep=2)
        self.bad(f"{f}: format 2, this reads 1", format=2)
        self.bad(f'{f}: "victim_records_ok" is "yes", expected bool or null',
                 victim_records_ok="yes")
        self.bad(f"{f}: detection_latency_s must be a number exactly when "
                 "detected is true", detected=True)
        self.bad(f"{f}: detection_latency_s must be a number exactly when "
                 "detected is true", detection_latency_s=2.0)
        self.bad(f"{f}: recovered is true but recovery_s is null",
                 recovered=True)
        self.bad(f"{f}: run_end_t_host_s is before fault_t_host_s",
                 run_end_t_host_s=99.0)
        self.bad(f"{f}: rig_failure is empty", rig_failure=" ")
        self.bad(f'{f}: "notes" is null, expected str', notes=None)
        # a missing key
        shutil.rmtree(self.res)
        write_run(self.res, "node-panic", "mint", 1, beats())
        with open(os.path.join(self.res, f)) as fh:
            d = json.load(fh)
        del d["victim_records_ok"]
        with open(os.path.join(self.res, f), "w") as fh:
            json.dump(d, fh)
        r = self.report(ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f'{f}: no "victim_records_ok"', r.stderr)
        # "format" alone may be left out
        d["victim_records_ok"] = True
        del d["format"]
        with open(os.path.join(self.res, f), "w") as fh:
            json.dump(d, fh)
        self.report()
        with open(os.path.join(self.res, f), "w") as fh:
            fh.write("{")
        r = self.report(ok=False)
        self.assertIn(f"{f}: not JSON", r.stderr)

    def test_missing_sibling(self):
        write_run(self.res, "node-panic", "mint", 1, beats())
        os.remove(os.path.join(self.res, "runs", "node-panic--mint--1.csv"))
        r = self.report(ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("runs/node-panic--mint--1.json: no "
                      "runs/node-panic--mint--1.csv beside it", r.stderr)
        write_run(self.res, "node-hang", "single", 2, beats())
        os.remove(os.path.join(self.res, "runs", "node-hang--single--2.json"))
        os.remove(os.path.join(self.res, "runs", "node-panic--mint--1.json"))
        r = self.report(ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("runs/node-hang--single--2.csv: no "
                      "runs/node-hang--single--2.json beside it", r.stderr)

    def test_no_runs(self):
        r = self.report(ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no runs/ directory", r.stderr)
        os.makedirs(os.path.join(self.res, "runs"))
        r = self.report(ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no runs in runs/", r.stderr)
        r = run_report(os.path.join(self.dir, "nope"), self.out)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not a directory", r.stderr)

    def test_usage(self):
        r = run_report()
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: expreport.py", r.stderr)
        for bad in ("--gap-threshold=0", "--gap-threshold=x",
                    "--gap-threshold=inf"):
            r = run_report(bad, self.res, self.out)
            self.assertEqual(r.returncode, 2, bad)


class LineResult(unittest.TestResult):
    """Prints one PASS:/FAIL: line per test."""

    def _name(self, test):
        return "experiments/" + test._testMethodName.removeprefix("test_")

    def addSuccess(self, test):
        super().addSuccess(test)
        print(f"PASS: {self._name(test)}", flush=True)

    def _bad(self, test, err):
        msg = "".join(traceback.format_exception_only(err[0], err[1]))
        msg = " ".join(msg.split())[:300]
        print(f"FAIL: {self._name(test)}: {msg}", flush=True)
        print("  " + self._exc_info_to_string(err, test)
              .replace("\n", "\n  "), flush=True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._bad(test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self._bad(test, err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        print(f"FAIL: {self._name(test)}: skipped: {reason}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", help="where the synthetic directories go "
                                   "(default: the system's temporary one)")
    ap.parse_args(namespace=OPTS)
    suite = unittest.defaultTestLoader.loadTestsFromModule(
        sys.modules[__name__])
    result = LineResult()
    suite.run(result)
    if result.testsRun == 0:
        print("FAIL: experiments/tests: no tests ran")
        return 1
    return 0 if result.wasSuccessful() and not result.skipped else 1


if __name__ == "__main__":
    sys.exit(main())
