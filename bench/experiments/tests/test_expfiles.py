# SPDX-License-Identifier: GPL-2.0
"""Tests of bench/experiments/expreport.py's files: the plots, what it
records of its inputs, and its errors; run by test_expreport.py."""

import json
import os
import re
import shutil

from bench.experiments import expdata
from bench.experiments.tests.support import (FORMAT_MD, HEADER, Base, beats,
                                             detected, png_size, recovered,
                                             run_report, section, write_run)


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
        keys = [k for k, _t, _n in expdata.JSON_KEYS]
        self.assertEqual(list(d), keys)
        json_part = doc.split("## `runs/<run>.json`")[1].split("\n## ")[0]
        documented = []
        for line in json_part.splitlines():
            if line.startswith("| `"):
                documented += re.findall(r"`([a-z_]+)`",
                                         line.split(" | ")[0])
        self.assertEqual(sorted(documented), sorted(keys))
        head = re.search(r"```\n(t_host_s,[^\n]*)\n", doc).group(1)
        self.assertEqual(head, ",".join(expdata.CSV_HEADER))
        for f_ in expdata.FAULTS:
            self.assertIn(f"`{f_}`", doc)
        for k in expdata.META_KEYS:
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
