# SPDX-License-Identifier: GPL-2.0
"""What the tests of bench/experiments/expreport.py share: synthetic
result directories (bench/experiments/FORMAT.md) of victims that beat once
a second with gaps placed by hand, reading the report's output, and the
runner that prints one PASS:/FAIL: line per test (test_expreport.py)."""

import argparse
import csv
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import traceback
import unittest

from bench.experiments import expdata

HERE = os.path.dirname(os.path.abspath(__file__))
EXP = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(EXP))
FORMAT_MD = os.path.join(EXP, "FORMAT.md")
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
    return subprocess.run([sys.executable, "-m", "bench.experiments.expreport", *args],
                          cwd=ROOT, capture_output=True, text=True)


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
        root = os.path.abspath(OPTS.work or tempfile.gettempdir())  # the report runs in ROOT
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
        return expdata.evaluate(run, threshold)



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




def main(modules):
    """Runs the tests of the modules, their classes in name order."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", help="where the synthetic directories go "
                                   "(default: the system's temporary one)")
    ap.parse_args(namespace=OPTS)
    classes = {c for m in modules for c in vars(m).values()
               if isinstance(c, type) and issubclass(c, unittest.TestCase)}
    suite = unittest.TestSuite(
        unittest.defaultTestLoader.loadTestsFromTestCase(c)
        for c in sorted(classes, key=lambda c: c.__name__))
    result = LineResult()
    suite.run(result)
    if result.testsRun == 0:
        print("FAIL: experiments/tests: no tests ran")
        return 1
    return 0 if result.wasSuccessful() and not result.skipped else 1
