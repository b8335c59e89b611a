# SPDX-License-Identifier: GPL-2.0
"""Tests of bench/report/mintreport.py and of what it shares with
bench/experiments/expreport.py (bench/report/reportlib.py), one line each:
"PASS: bench/report/NAME" or "FAIL: bench/report/NAME: why".

  python3 -m bench.report.tests.test_mintreport [--mintbench=PATH]
      [--work=DIR]

Synthetic CSVs for the seven configurations have per-iteration times built
from a base value and ten factors that are binary fractions, so every
median, quartile and ratio below was worked out by hand, exactly. With
--mintbench, one test also reports on real mintbench output.
"""

import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import traceback
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

from bench.report import mintreport, reportlib

OPTS = argparse.Namespace(mintbench=None, work=None)

# sorted: q1 = 0.9375 + 0.25 * 0.03125 = 0.9453125, median 1,
# q3 = 1.03125 + 0.75 * 0.03125 = 1.0546875, min 0.75, max 1.5
FACTORS = [1.0, 0.75, 1.5, 0.875, 1.0625, 0.9375, 1.0, 0.96875, 1.125,
           1.03125]
KIB = 1024
# base time per iteration: CPU in ns, memcpy and I/O in us
BASE = {
    "c1-plain": (0.5, 20, 40, 100, 128),
    "c2-node0": (0.5, 20, 40, 96, 124),
    "c3-node0": (0.5, 22, 44, 110, 136),
    "c3-node1": (0.5, 22, 44, 110, 136),
    "c4-plain-guest": (0.5, 22, 44, 120, 148.48),
    "c5-node0-guest": (0.5, 22, 44, 115.2, 143.84),
    "c6-node0-guest1": (0.5, 24, 48, 130, 88),
    "c6-node1-guest2": (0.5, 24, 48, 130, 96),
    "c7-plain-guest1": (0.5, 24, 48, 130, 100),
    "c7-plain-guest2": (0.5, 24, 48, 130, 100),
}
ITERS = {"cpu": 1000000, "memcpy": 50, "io": 100}


def csv_text(label, bases, io_part="io", comment=True, erms=None):
    cpu, m256, m512, m1024, io = bases
    lines = []
    if comment:
        lines.append("# mintbench v1 tsc_khz=2994000 source=calibrated "
                     "seed=0x6d696e7462656e63 host=test block=4096 reps=10 "
                     f"io={'cached' if io_part == 'io-cached' else 'direct'}"
                     " disk=/dev/vda rdtscp=1 invariant_tsc=1" +
                     ("" if erms is None else f" erms={erms} fsrm={erms}"))
    lines.append("label,part,size_bytes,rep,iterations,cycles,ns")
    parts = [("cpu", 0, cpu, 1), ("memcpy", 256 * KIB, m256, 1000),
             ("memcpy", 512 * KIB, m512, 1000),
             ("memcpy", 1024 * KIB, m1024, 1000), (io_part, 4096, io, 1000)]
    for part, size, base, to_ns in parts:
        iters = ITERS["io" if part.startswith("io") else part]
        for rep, f in enumerate(FACTORS, 1):
            ns = round(base * to_ns * f * iters)
            lines.append(f"{label},{part},{size},{rep},{iters},{ns * 3},{ns}")
    return "\n".join(lines) + "\n"


def write_results(d, names=None, **kw):
    os.makedirs(d, exist_ok=True)
    for name, bases in BASE.items():
        if names is None or name in names:
            with open(os.path.join(d, name + ".csv"), "w") as f:
                f.write(csv_text(name, bases, **kw))


def run_report(*args):
    return subprocess.run([sys.executable, "-m", "bench.report.mintreport", *args],
                          cwd=ROOT, capture_output=True, text=True)


def table_rows(md, first_header):
    """The rows (lists of cells) of the markdown table whose header row
    starts with first_header."""
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("| " + first_header + " |"):
            rows = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                rows.append([c.strip() for c in row.strip("|").split("|")])
            header = [c.strip() for c in line.strip("|").split("|")]
            return header, rows
    raise AssertionError(f"no table starting with {first_header}")


def section(md, title):
    """The text of the section '## title' or '### title'."""
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.lstrip("#").strip() == title and line.startswith("#"):
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
    if not data.rstrip(b"\0").endswith(b"IEND\xaeB`\x82"):
        raise AssertionError(f"{path}: no IEND chunk (truncated)")
    w, h = struct.unpack(">II", data[16:24])
    return w, h, len(data)


class Base(unittest.TestCase):
    def setUp(self):
        root = os.path.abspath(OPTS.work or tempfile.gettempdir())  # the report runs in ROOT
        os.makedirs(root, exist_ok=True)
        self.dir = tempfile.mkdtemp(prefix=self._testMethodName + ".",
                                    dir=root)
        self.res = os.path.join(self.dir, "results")
        self.out = os.path.join(self.dir, "out")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def report(self, *extra, ok=True):
        r = run_report(*extra, self.res, self.out)
        if ok:
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(self.out, "summary.md")) as f:
                return f.read()
        return r


class Numbers(Base):
    """bench/report/reportlib.py, which both reports use."""

    def test_quartiles_inclusive(self):
        self.assertEqual(reportlib.quartiles([3.0]), (3.0, 3.0, 3.0))
        self.assertEqual(reportlib.quartiles([4.0, 1.0, 3.0, 2.0]),
                         (1.75, 2.5, 3.25))
        self.assertEqual(reportlib.quartiles(sorted(FACTORS)),
                         (0.9453125, 1.0, 1.0546875))
        self.assertEqual(reportlib.quartiles([5.0, 1.0, 9.0]),
                         (3.0, 5.0, 7.0))
        with self.assertRaises(ValueError):
            reportlib.quartiles([])

    def test_describe(self):
        self.assertIsNone(reportlib.describe([]))
        self.assertEqual(reportlib.describe([3.0]),
                         {"n": 1, "median": 3.0, "q1": 3.0, "q3": 3.0,
                          "min": 3.0, "max": 3.0})
        self.assertEqual(reportlib.describe(FACTORS),
                         {"n": 10, "median": 1.0, "q1": 0.9453125,
                          "q3": 1.0546875, "min": 0.75, "max": 1.5})

    def test_format(self):
        self.assertEqual(reportlib.fmt(128.0), "128.0")
        self.assertEqual(reportlib.fmt(0.5), "0.5000")
        self.assertEqual(reportlib.fmt(12345.6), "12346")
        self.assertEqual(reportlib.fmt(0.0), "0")
        self.assertEqual(reportlib.fmt(None), "n/a")
        self.assertEqual(reportlib.fmt(float("nan")), "n/a")
        self.assertEqual(mintreport.fmt_ratio(1.16), "1.160 (+16.0%)")
        self.assertEqual(mintreport.fmt_ratio(0.91875), "0.919 (-8.1%)")

    def test_cells(self):
        s = reportlib.describe(FACTORS)
        self.assertEqual(reportlib.median_iqr(s), "1.000 [0.9453, 1.055]")
        self.assertEqual(reportlib.median_range(s), "1.000 [0.7500, 1.500]")
        self.assertEqual(reportlib.median_iqr(None), "n/a")
        self.assertEqual(reportlib.median_range(None, "-"), "-")
        self.assertEqual(reportlib.md_table(["a", "b"], [["1", "2"]]),
                         ["| a | b |", "|---|---|", "| 1 | 2 |"])


class Report(Base):
    def test_medians_exact(self):
        write_results(self.res)
        md = self.report()
        header, rows = table_rows(md, "config")
        self.assertEqual(header, [
            "config", "what ran", "CPU (ns/increment)",
            "memcpy 256 KiB (us/copy)", "memcpy 512 KiB (us/copy)",
            "memcpy 1024 KiB (us/copy)", "I/O (4 KiB reads) (us/read)"])
        by = {r[0]: r for r in rows}
        self.assertEqual([r[0] for r in rows],
                         [f"c{i}" for i in range(1, 8)])
        self.assertEqual(by["c1"][1], "plain Linux")
        # median [q1, q3]: 128 * (1, 0.9453125, 1.0546875)
        self.assertEqual(by["c1"][6], "128.0 [121.0, 135.0]")
        self.assertEqual(by["c1"][2], "0.5000 [0.4727, 0.5273]")
        self.assertEqual(by["c1"][5], "100.0 [94.53, 105.5]")
        self.assertEqual(by["c4"][6], "148.5 [140.4, 156.6]")
        # c6 pools guest1 (88) and guest2 (96): the 10th and 11th of 20
        # sorted values are 88 * 1.03125 = 90.75 and 96 * 0.96875 = 93
        self.assertEqual(by["c6"][6].split(" ")[0], "91.88")
        self.assertEqual(by["c7"][6].split(" ")[0], "100.0")
        self.assertEqual(by["c3"][3].split(" ")[0], "22.00")

    def test_spread_table(self):
        write_results(self.res)
        md = self.report()
        text = section(md, "I/O (4 KiB reads) (us/read)")
        _h, rows = table_rows(text, "config")
        by = {(r[0], r[1]): r[2:] for r in rows}
        self.assertEqual(by[("c1", "all")],
                         ["10", "128.0", "121.0", "135.0", "96.00", "192.0"])
        self.assertEqual(by[("c6", "all")][0], "20")
        self.assertEqual(by[("c6", "node0-guest1")],
                         ["10", "88.00", "83.19", "92.81", "66.00", "132.0"])
        self.assertEqual(by[("c6", "node1-guest2")][1], "96.00")
        self.assertNotIn(("c1", "plain"), by)  # one OS: no per-OS row

    def test_ratios_beside_paper(self):
        write_results(self.res)
        md = self.report()
        _h, rows = table_rows(md, "comparison")
        by = {(r[0].split(" (")[-1].rstrip(")"), r[1]): r[2:] for r in rows}
        io, m1024, cpu = ("I/O (4 KiB reads)", "memcpy 1024 KiB", "CPU")
        self.assertEqual(by[("c4 / c1", io)][0], "1.160 (+16.0%)")
        self.assertIn("~1.16", by[("c4 / c1", io)][1])
        self.assertEqual(by[("c4 / c1", m1024)][0], "1.200 (+20.0%)")
        self.assertIn("~1.20", by[("c4 / c1", m1024)][1])
        self.assertEqual(by[("c4 / c1", cpu)],
                         ["1.000 (+0.0%)", mintreport.EQUAL])
        self.assertEqual(by[("c5 / c2", io)][0], "1.160 (+16.0%)")
        self.assertEqual(by[("c5 / c2", m1024)][0], "1.200 (+20.0%)")
        self.assertEqual(by[("c4 / c1", "memcpy 256 KiB")],
                         ["1.100 (+10.0%)", "-"])
        self.assertEqual(by[("c2 / c1", io)][0], "0.969 (-3.1%)")
        self.assertEqual(by[("c2 / c1", m1024)][0], "0.960 (-4.0%)")
        self.assertIn("Vanilla Linux", by[("c2 / c1", io)][1])
        self.assertEqual(by[("c3 / c2", io)][0], "1.097 (+9.7%)")
        # 91.875 / 100
        self.assertEqual(by[("c6 / c7", io)][0], "0.919 (-8.1%)")
        self.assertIn("~0.92", by[("c6 / c7", io)][1])
        self.assertIn("8% sooner", by[("c6 / c7", io)][1])

    def test_missing_config_not_measured(self):
        write_results(self.res, names=[n for n in BASE
                                       if not n.startswith("c5-")
                                       and n != "c6-node1-guest2"])
        md = self.report()
        _h, rows = table_rows(md, "config")
        by = {r[0]: r for r in rows}
        self.assertEqual(by["c5"][2:], ["not measured"] * 5)
        _h, rows = table_rows(md, "comparison")
        c5 = [r for r in rows if "(c5 / c2)" in r[0]]
        self.assertEqual(len(c5), 5)
        for r in c5:
            self.assertEqual(r[2], "not measured (c5)")
        self.assertNotIn("0.000", md)
        self.assertIn("c5 (node0 / KVM / one guest): not measured", md)
        self.assertIn("missing c6-node1-guest2.csv", md)
        # c6 now is guest1 alone: 88
        self.assertEqual(by["c6"][6].split(" ")[0], "88.00")
        text = section(md, "CPU (ns/increment)")
        _h, rows = table_rows(text, "config")
        self.assertEqual([r for r in rows if r[0] == "c5"],
                         [["c5", "all", "0"] + ["not measured"] * 5])
        with open(os.path.join(self.out, "io.dat")) as f:
            c5 = [ln for ln in f if ln.startswith("c5\t")]
        self.assertEqual(c5, ["c5\tnot measured\t?\t?\t?\n"])

    def test_pngs_valid(self):
        write_results(self.res, names=[n for n in BASE
                                       if not n.startswith("c3-")])
        self.report()
        for group in ("cpu", "memcpy", "io"):
            path = os.path.join(self.out, group + ".png")
            self.assertTrue(os.path.isfile(path), path)
            w, h, size = png_size(path)
            self.assertGreaterEqual(w, 600)
            self.assertGreaterEqual(h, 400)
            self.assertGreater(size, 5000, f"{path}: only {size} bytes")
        with open(os.path.join(self.out, "memcpy.gp")) as f:
            gp = f.read()
        self.assertEqual(gp.count(" title \"memcpy "), 3)
        self.assertIn("errorbars", gp)

    def test_errorbars_minmax(self):
        write_results(self.res, names=["c1-plain"])
        self.report("--errorbars=minmax")
        with open(os.path.join(self.out, "io.dat")) as f:
            row = [ln.split("\t") for ln in f if ln.startswith("c1\t")][0]
        self.assertEqual([float(x) for x in row[2:5]], [128.0, 96.0, 192.0])
        self.report()
        with open(os.path.join(self.out, "io.dat")) as f:
            row = [ln.split("\t") for ln in f if ln.startswith("c1\t")][0]
        self.assertEqual([float(x) for x in row[2:5]], [128.0, 121.0, 135.0])

    def test_summary_csv(self):
        write_results(self.res)
        self.report()
        with open(os.path.join(self.out, "summary.csv")) as f:
            rows = [ln.rstrip("\n").split(",") for ln in f]
        self.assertEqual(rows[0], ["config", "os", "part", "size_bytes",
                                   "unit", "n", "median", "q1", "q3",
                                   "min", "max"])
        io1 = [r for r in rows if r[:4] == ["1", "all", "io", "4096"]]
        self.assertEqual(io1, [["1", "all", "io", "4096", "us/read", "10",
                                "128.0", "121.0", "135.0", "96.0",
                                "192.0"]])
        six = [r[1] for r in rows if r[0] == "6" and r[2] == "io"]
        self.assertEqual(six, ["all", "node0-guest1", "node1-guest2"])

    def test_meta_recorded(self):
        write_results(self.res, names=["c1-plain"])
        meta = ("commit=0123abc\nmachine=QEMU 10 q35 TCG, 4 vCPUs\n"
                "command=make bench\n")
        with open(os.path.join(self.res, "meta.txt"), "w") as f:
            f.write(meta)
        md = self.report()
        text = section(md, "Run (meta.txt)")
        self.assertIn("```\n" + meta + "```", text)
        self.assertNotIn("meta.txt", section(md, "Notes"))

    def test_no_meta_no_section(self):
        write_results(self.res, names=["c1-plain"])
        md = self.report()
        self.assertNotIn("## Run", md)

    def test_cached_and_ignored_noted(self):
        write_results(self.res, names=["c1-plain"], io_part="io-cached")
        with open(os.path.join(self.res, "node_start.csv"), "w") as f:
            f.write("kind,seconds\n")
        md = self.report()
        _h, rows = table_rows(md, "config")
        self.assertEqual(_h[-1], "I/O cached (4 KiB reads) (us/read)")
        notes = section(md, "Notes")
        self.assertIn("c1-plain.csv: I/O ran with --allow-cached", notes)
        self.assertIn("Ignored (not c<N>-<os>.csv): node_start.csv", notes)


class Erms(Base):
    def test_erms_difference_noted(self):
        # native OSes with ERMS, guests (a -cpu qemu64 model) without
        os.makedirs(self.res)
        for name, bases in BASE.items():
            with open(os.path.join(self.res, name + ".csv"), "w") as f:
                f.write(csv_text(name, bases,
                                 erms=0 if "guest" in name else 1))
        md = self.report()
        h, rows = table_rows(md, "file")
        self.assertEqual(h[-1], "erms")
        self.assertEqual({r[0]: r[-1] for r in rows}["c4-plain-guest.csv"],
                         "0")
        self.assertEqual({r[0]: r[-1] for r in rows}["c1-plain.csv"], "1")
        notes = section(md, "Notes")
        self.assertIn("KVM / no KVM, plain Linux (c4 / c1): memcpy compares "
                      "different copy code: c4 ran with erms=0, c1 with "
                      "erms=1", notes)
        self.assertIn("KVM / no KVM, node0 (c5 / c2): memcpy compares", notes)
        # same CPU model on both sides: no note
        self.assertNotIn("(c2 / c1): memcpy", notes)
        self.assertNotIn("(c6 / c7): memcpy", notes)

    def test_no_erms_key_no_note(self):
        write_results(self.res)
        md = self.report()
        h, rows = table_rows(md, "file")
        self.assertEqual({r[-1] for r in rows}, {"?"})
        self.assertNotIn("compares different copy code", md)


class Errors(Base):
    def bad(self, text, want, name="c1-plain.csv"):
        os.makedirs(self.res, exist_ok=True)
        with open(os.path.join(self.res, name), "w") as f:
            f.write(text)
        r = self.report(ok=False)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(want, r.stderr)
        self.assertTrue(r.stderr.startswith("mintreport: "), r.stderr)

    def test_bad_inputs(self):
        good = csv_text("c1-plain", BASE["c1-plain"]).splitlines()
        h = "label,part,size_bytes,rep,iterations,cycles,ns"
        self.bad("\n".join(good[:5] + ["x,cpu,0,1,10,5"]) + "\n",
                 "c1-plain.csv:6: 6 fields, expected 7")
        self.bad("\n".join(good[:3] + ["x,disk,0,1,10,5,5"]) + "\n",
                 "c1-plain.csv:4: unknown part 'disk'")
        self.bad(h + "\nx,cpu,0,1,ten,5,5\n",
                 "c1-plain.csv:2: not a whole number")
        self.bad(h + "\nx,cpu,0,1,0,5,5\n", "c1-plain.csv:2: negative")
        self.bad("x,cpu,0,1,10,5,5\n", "c1-plain.csv:1: expected the header")
        self.bad("", "c1-plain.csv: no CSV header")
        self.bad("# mintbench v2 tsc_khz=1\n" + h + "\n",
                 "c1-plain.csv:1: mintbench format v2")

    def test_no_results(self):
        os.makedirs(self.res)
        r = self.report(ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no c<N>-<os>.csv files", r.stderr)
        r = run_report(os.path.join(self.dir, "nope"), self.out)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not a directory", r.stderr)

    def test_usage(self):
        r = run_report()
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: mintreport.py", r.stderr)
        r = run_report("--errorbars=sd", "a", "b")
        self.assertEqual(r.returncode, 2)


class RealMintbench(Base):
    def test_report_of_real_mintbench(self):
        if not OPTS.mintbench:
            self.skipTest("no --mintbench")
        os.makedirs(self.res)
        disk = os.path.join(self.dir, "disk.img")
        with open(disk, "wb") as f:
            f.write(os.urandom(1 << 20))
        for name in ("c1-plain", "c2-node0"):
            with open(os.path.join(self.res, name + ".csv"), "w") as f:
                r = subprocess.run([OPTS.mintbench, "--reps=3",
                                    f"--label={name}", f"--disk={disk}",
                                    "--allow-cached", "20:100000:2"],
                                   stdout=f, stderr=subprocess.PIPE,
                                   text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
        md = self.report()
        _h, rows = table_rows(md, "config")
        by = {r[0]: r for r in rows}
        for cfg in ("c1", "c2"):
            for c in by[cfg][2:]:
                self.assertRegex(c, r"^[0-9.]+ \[[0-9.]+, [0-9.]+\]$")
        self.assertEqual(by["c3"][2:], ["not measured"] * 5)
        _h, rows = table_rows(md, "comparison")
        c21 = [r[2] for r in rows if "(c2 / c1)" in r[0]]
        self.assertEqual(len(c21), 5)
        for c in c21:
            self.assertRegex(c, r"^[0-9]+\.[0-9]{3} \([+-][0-9.]+%\)$")
        for g in ("cpu", "memcpy", "io"):
            png_size(os.path.join(self.out, g + ".png"))


class LineResult(unittest.TestResult):
    """Prints one PASS:/FAIL:/SKIP: line per test."""

    def _name(self, test):
        return "bench/report/" + test._testMethodName.removeprefix("test_")

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
        print(f"SKIP: {self._name(test)}: {reason}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mintbench")
    ap.add_argument("--work")
    ap.parse_args(namespace=OPTS)
    suite = unittest.defaultTestLoader.loadTestsFromModule(
        sys.modules[__name__])
    result = LineResult()
    suite.run(result)
    if result.testsRun == 0:
        print("FAIL: bench/report: no tests ran")
        return 1
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
