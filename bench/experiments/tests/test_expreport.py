# SPDX-License-Identifier: GPL-2.0
"""Tests of bench/experiments/expreport.py, one line each:
"PASS: experiments/NAME" or "FAIL: experiments/NAME: why".

  python3 -m bench.experiments.tests.test_expreport [--work=DIR]

Synthetic result directories (bench/experiments/FORMAT.md): victims that
beat once a second with gaps placed by hand, so every gap, count, median
and range below was worked out by hand, exactly. Here the judging of runs
and the tables; in test_expfiles.py the plots, inputs and errors; the
helpers and the runner in support.py.
"""

import os
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

from bench.experiments import expdata
from bench.experiments.tests import test_expfiles
from bench.experiments.tests.support import (END_T, Base, beats, detected,
                                             main, read_csv, recovered,
                                             section, table_rows, write_run)


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
                         list(expdata.FAULTS))
        self.assertEqual(len(rows), 2 * (len(expdata.FAULTS) + 1))
        rr = self.runs(md)
        self.assertEqual(rr["node-panic--single--2"][5], "not attempted")
        self.assertEqual(rr["node-panic--single--3"][5], "120.0 (failed)")

    def test_no_control_row_without_control(self):
        write_run(self.res, "node-panic", "mint", 1, beats())
        md = self.report()
        _h, rows = table_rows(md, "fault")
        self.assertEqual(len(rows), 2 * len(expdata.FAULTS))
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
        self.assertEqual(len(missing), 2 * len(expdata.FAULTS) - 1)
        for k in missing:
            self.assertEqual(cells[k], ["0"] + ["not measured"] * 6 + ["0"],
                             k)
        self.assertIn("Not measured (no runs): node-panic / single, "
                      "node-hang / mint,", md)
        self.assertNotIn("0.000", md)
        s = read_csv(os.path.join(self.out, "summary.csv"))
        self.assertEqual(len(s), 2 * len(expdata.FAULTS))
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
        self.assertEqual(len(dat), len(expdata.FAULTS))

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

    def test_update_note(self):
        write_run(self.res, "node-panic", "mint", 1, beats(), **detected(1.0))
        self.assertNotIn("node-kernel-update:", self.report())
        write_run(self.res, "node-kernel-update", "single", 1, beats(),
                  **detected(0.5))
        notes = section(self.report(), "Notes")
        self.assertIn("node-kernel-update: two injections per repetition",
                      notes)
        self.assertIn("single is node1 stopped and started on the new "
                      "kernel", notes)

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


class MovedVictim(unittest.TestCase):
    """run.py's merge of a moving victim's reads from several consoles."""

    def test_merge_reads(self):
        from bench.experiments import run  # imports the rig
        node1 = (10.0, [(5.0, 1, 1), (6.0, 2, 2), (7.0, 3, 3)])
        node1_later = (12.0, [(6.0, 2, 2), (7.0, 3, 3), (8.0, 4, 4)])
        node2 = (30.0, [(9.1, 5, 5), (10.1, 6, 6)])
        back = (50.0, [(20.0, 16, 16), (21.0, 17, 17)])
        t, lines = run.merge_reads([node1, None, node1_later, (40.0, []),
                                    node2, back])
        # the newest line's read time, every heartbeat once, in order
        self.assertEqual(t, 50.0)
        self.assertEqual([n for _, n, _ in lines], [1, 2, 3, 4, 5, 6, 16, 17])
        self.assertIsNone(run.merge_reads([None, (1.0, [])]))
        # a read holding the newest heartbeat decides the time, whatever
        # the order of the reads
        self.assertEqual(run.merge_reads([back, node1])[0], 50.0)

    def test_stop_latency(self):
        from bench.experiments import run  # imports the rig
        dmesg = ("[  106.27] mint: node node1: panic: sysrq triggered crash\n"
                 "[  107.51] mint: node node1: stopped (forced), every CPU parked\n"
                 "[  246.29] mint: node node2: stopped, every CPU parked\n"
                 "[  246.30] mint: node node1: stopped, every CPU parked\n"
                 "[  316.37] mint: node node1: stopped, every CPU parked\n")
        # the first stop of that node at or after the uptime given
        self.assertEqual(run.stop_latency(dmesg, "node1", 224.0), 22.3)
        self.assertEqual(run.stop_latency(dmesg, "node2", 224.0), 22.29)
        self.assertEqual(run.stop_latency(dmesg, "node1", 100.0), 7.51)
        self.assertIsNone(run.stop_latency(dmesg, "node1", 400.0))
        self.assertIsNone(run.stop_latency("[ 1.0] booted\n", "node1", 0.0))

    def test_bystander_gap(self):
        from bench.experiments import run  # imports the rig
        before = (10.0, [(5.0, 1, 1), (6.0, 2, 2)])
        after = (40.0, [(5.0, 1, 1), (6.0, 2, 2), (7.0, 3, 3), (10.5, 4, 4),
                        (11.5, 5, 5)])
        self.assertEqual(run.bystander_gap(before, after),
                         {"vm": "guest2", "beats": 4, "max_gap_s": 3.5})
        self.assertIsNone(run.bystander_gap(None, after))
        self.assertIsNone(run.bystander_gap(before, (40.0, [])))
        self.assertEqual(run.bystander_gap(before, (40.0, [(6.0, 2, 2)])),
                         {"vm": "guest2", "beats": 1, "max_gap_s": None})


if __name__ == "__main__":
    sys.exit(main([sys.modules[__name__], test_expfiles]))
