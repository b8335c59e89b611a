# SPDX-License-Identifier: GPL-2.0
"""The report of the seven-configuration evaluation (docs/benchmarks.md).

  python3 -m bench.report.mintreport [--errorbars=iqr|minmax] [--no-plots]
      RESULTS_DIR OUT_DIR

RESULTS_DIR holds one mintbench CSV per configuration and OS that ran it,
named c<N>-<os>.csv (N = 1..7; e.g. c1-plain.csv, c6-node1-guest2.csv), and
optionally meta.txt (commit, machine, command: copied into the summary).
Other files are listed as ignored. Writes to OUT_DIR:

  summary.md   per configuration and part the median time per iteration
               and its spread (interquartile range, min/max), the ratios
               KVM/no-KVM, node/plain, two nodes/one, c6/c7, each next to
               the paper's finding; missing configurations "not measured"
  summary.csv  the same numbers, machine-readable
  cpu.png, memcpy.png, io.png (+ .dat, .gp)
               bars per configuration with error bars, made with gnuplot

Configurations that ran on two OSes at once (3, 6, 7) pool both OSes'
repetitions. Exit status: 0, 1 on bad input or a failed plot, 2 on usage.

The statistics, number format, tables and gnuplot calls are
bench/report/reportlib.py's, shared with bench/experiments/expreport.py.
"""

import argparse
import csv
import os
import re
import sys

from bench.report.reportlib import (NOT_MEASURED, InputError, describe,
                                    fmt, gnuplot, gnuplot_terminal, md_table,
                                    median_iqr, meta_section, read_meta,
                                    run_gnuplot)

HEADER = ["label", "part", "size_bytes", "rep", "iterations", "cycles", "ns"]

CONFIGS = {
    1: ("plain Linux", ["plain"]),
    2: ("node0 alone", ["node0"]),
    3: ("node0 and node1 at once", ["node0", "node1"]),
    4: ("plain Linux / KVM / one guest", ["plain-guest"]),
    5: ("node0 / KVM / one guest", ["node0-guest"]),
    6: ("node0/KVM/guest1 and node1/KVM/guest2 at once",
        ["node0-guest1", "node1-guest2"]),
    7: ("plain Linux / KVM / guest1 and guest2 at once",
        ["plain-guest1", "plain-guest2"]),
}
# Two-line x labels of the plots.
SHORT = {1: "plain", 2: "node0", 3: "2 nodes", 4: "plain+VM",
         5: "node0+VM", 6: "2 nodes+VMs", 7: "plain+2 VMs"}

FILE_RE = re.compile(r"^c([1-7])-([a-z0-9][a-z0-9_.+-]*)\.csv$")
PARTS = ("cpu", "memcpy", "io", "io-cached")

# The findings of the research this evaluation continues, beside ours.
EQUAL = "1.00 (CPU work equal everywhere)"
MINT_EQUAL = "~1.00 (Mint 2011: nodes perform 'equal to ... Vanilla Linux')"
KVM_FINDINGS = {
    ("cpu", 0): EQUAL,
    ("memcpy", 1048576): "~1.20 (KVM adds ~20% to a 1024 KB memcpy)",
    ("io", None): "~1.16 (KVM adds ~16% to random block reads)",
}
COMPARISONS = [
    # (title, numerator config, denominator config, findings by part)
    ("KVM / no KVM, plain Linux (c4 / c1)", 4, 1, KVM_FINDINGS),
    ("KVM / no KVM, node0 (c5 / c2)", 5, 2, KVM_FINDINGS),
    ("node / plain Linux (c2 / c1)", 2, 1, {
        ("cpu", 0): EQUAL, ("memcpy", None): MINT_EQUAL,
        ("io", None): MINT_EQUAL}),
    ("two nodes busy / one node (c3 / c2)", 3, 2, {("cpu", 0): EQUAL}),
    ("one VM per node / two VMs under one KVM (c6 / c7)", 6, 7, {
        ("cpu", 0): EQUAL,
        ("io", None): "~0.92 (c6 finished I/O ~8% sooner than c7)"}),
]


# ---------------------------------------------------------------- numbers

def fmt_ratio(r):
    return f"{r:.3f} ({(r - 1) * 100:+.1f}%)"


# ---------------------------------------------------------------- parts

def part_sort_key(key):
    part, size = key
    return (PARTS.index(part), size)


def part_name(key):
    part, size = key
    if part == "cpu":
        return "CPU"
    if part == "memcpy":
        return f"memcpy {size // 1024} KiB" if size % 1024 == 0 \
            else f"memcpy {size} B"
    name = "I/O" if part == "io" else "I/O cached"
    return f"{name} ({size // 1024} KiB reads)" if size % 1024 == 0 \
        else f"{name} ({size} B reads)"


def part_unit(key):
    part = key[0]
    if part == "cpu":
        return "ns/increment"
    if part == "memcpy":
        return "us/copy"
    return "us/read"


def per_iteration(key, ns, iterations):
    """Time per iteration in the part's unit (ns for CPU, else us)."""
    v = ns / iterations
    return v if key[0] == "cpu" else v / 1000.0


def plot_group(key):
    return "io" if key[0].startswith("io") else key[0]


def finding(findings, key):
    if key in findings:
        return findings[key]
    return findings.get((key[0], None), "-")


def erms_notes(found):
    """A note per comparison whose two sides ran on CPUs that differ in
    ERMS: glibc's memcpy copies mid-size buffers with `rep movsb` only
    where the CPU has it, so that memcpy ratio compares two routines."""
    notes = []
    for title, num, den, _ in COMPARISONS:
        a, b = (sorted({m.get("erms", "?") for m, _ in
                        found.get(cfg, {}).values()}) for cfg in (num, den))
        if not a or not b or "?" in a + b or a == b:
            continue
        notes.append(f"{title}: memcpy compares different copy code: "
                     f"c{num} ran with erms={'/'.join(a)}, c{den} with "
                     f"erms={'/'.join(b)}; glibc's memcpy uses rep movsb "
                     f"for mid-size copies only with ERMS "
                     f"(docs/benchmarks.md).")
    return notes


# ---------------------------------------------------------------- input

def parse_comment(line):
    words = line[1:].split()
    if len(words) < 2 or words[0] != "mintbench":
        return None
    meta = {"version": words[1]}
    for w in words[2:]:
        k, sep, v = w.partition("=")
        if sep:
            meta[k] = v
    return meta


def read_csv(path):
    """Returns (meta, rows): rows are (key, rep, iterations, ns, label)."""
    meta, rows, header = {}, [], False
    name = os.path.basename(path)
    with open(path, newline="") as f:
        for lineno, line in enumerate(f, 1):
            where = f"{name}:{lineno}"
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            if line.startswith("#"):
                m = parse_comment(line)
                if m is not None:
                    if m["version"] != "v1":
                        raise InputError(f"{where}: mintbench format "
                                         f"{m['version']}, this reads v1")
                    meta = m
                continue
            fields = next(csv.reader([line]))
            if not header:
                if fields != HEADER:
                    raise InputError(f"{where}: expected the header "
                                     f"{','.join(HEADER)}")
                header = True
                continue
            if len(fields) != len(HEADER):
                raise InputError(f"{where}: {len(fields)} fields, "
                                 f"expected {len(HEADER)}")
            label, part = fields[0], fields[1]
            if part not in PARTS:
                raise InputError(f"{where}: unknown part '{part}'")
            try:
                size, rep, iters, _cycles, ns = (int(x) for x in fields[2:])
            except ValueError:
                raise InputError(f"{where}: not a whole number in "
                                 f"{','.join(fields[2:])}") from None
            if min(size, rep, iters, _cycles, ns) < 0 or iters == 0:
                raise InputError(f"{where}: negative number or 0 "
                                 f"iterations")
            rows.append(((part, size), rep, iters, ns, label))
    if not header:
        raise InputError(f"{name}: no CSV header: not a mintbench output")
    return meta, rows


def load(results_dir):
    """{config: {os: (meta, rows)}}, the ignored file names."""
    found, ignored = {}, []
    for name in sorted(os.listdir(results_dir)):
        path = os.path.join(results_dir, name)
        m = FILE_RE.match(name)
        if not m or not os.path.isfile(path):
            if name != "meta.txt":
                ignored.append(name)
            continue
        found.setdefault(int(m.group(1)), {})[m.group(2)] = read_csv(path)
    return found, ignored


# ---------------------------------------------------------------- analysis

def analyse(found):
    """per[config][key] = the pooled samples described (reportlib),
    per_os[config][os][key] = one OS's samples described."""
    per, per_os = {}, {}
    for cfg, oses in found.items():
        pooled = {}
        for os_name, (_meta, rows) in oses.items():
            own = {}
            for key, _rep, iters, ns, _label in rows:
                v = per_iteration(key, ns, iters)
                own.setdefault(key, []).append(v)
                pooled.setdefault(key, []).append(v)
            per_os.setdefault(cfg, {})[os_name] = \
                {k: describe(v) for k, v in own.items()}
        per[cfg] = {k: describe(v) for k, v in pooled.items()}
    return per, per_os


def all_keys(per):
    keys = set()
    for parts in per.values():
        keys.update(parts)
    return sorted(keys, key=part_sort_key)


def ratio(per, a, b, key):
    sa, sb = per.get(a, {}).get(key), per.get(b, {}).get(key)
    if sa is None or sb is None:
        missing = [f"c{c}" for c, s in ((a, sa), (b, sb)) if s is None]
        return None, f"{NOT_MEASURED} ({', '.join(missing)})"
    if sb["median"] == 0:
        return None, "n/a (zero median)"
    r = sa["median"] / sb["median"]
    return r, fmt_ratio(r)


# ---------------------------------------------------------------- output

def summary_md(found, ignored, per, per_os, keys, meta_text, plots):
    L = ["# mint evaluation: seven configurations", ""]
    L += ["Time per iteration (lower is better): CPU in ns per register "
          "increment, memcpy in us per copy, I/O in us per random block "
          "read. Each cell: median [interquartile range] over all "
          "repetitions; configurations 3, 6 and 7 pool the repetitions of "
          "both OSes. Ratios are of medians. What emulated numbers mean and "
          "do not mean: docs/benchmarks.md.", ""]
    L += meta_section(meta_text)

    L += ["## Medians per configuration and part", ""]
    rows = []
    for cfg in range(1, 8):
        desc = CONFIGS[cfg][0]
        rows.append([f"c{cfg}", desc] +
                    [median_iqr(per.get(cfg, {}).get(k), NOT_MEASURED)
                     for k in keys])
    L += md_table(["config", "what ran"] +
                  [f"{part_name(k)} ({part_unit(k)})" for k in keys], rows)
    L.append("")

    L += ["## Ratios beside the paper's findings", ""]
    rows = []
    for title, a, b, findings in COMPARISONS:
        for k in keys:
            _r, text = ratio(per, a, b, k)
            rows.append([title, part_name(k), text, finding(findings, k)])
    L += md_table(["comparison", "part", "ours", "paper"], rows)
    L.append("")

    L += ["## Spread per part", ""]
    for k in keys:
        L += [f"### {part_name(k)} ({part_unit(k)})", ""]
        rows = []
        for cfg in range(1, 8):
            s = per.get(cfg, {}).get(k)
            if s is None:
                rows.append([f"c{cfg}", "all", "0"] + [NOT_MEASURED] * 5)
                continue
            rows.append([f"c{cfg}", "all", str(s["n"])] +
                        [fmt(s[x]) for x in ("median", "q1", "q3",
                                             "min", "max")])
            if len(per_os.get(cfg, {})) > 1:
                for os_name in sorted(per_os[cfg]):
                    t = per_os[cfg][os_name].get(k)
                    if t is None:
                        continue
                    rows.append([f"c{cfg}", os_name, str(t["n"])] +
                                [fmt(t[x]) for x in ("median", "q1", "q3",
                                                     "min", "max")])
        L += md_table(["config", "OS", "n", "median", "q1", "q3", "min",
                       "max"], rows)
        L.append("")

    L += ["## Inputs", ""]
    rows = []
    for cfg in range(1, 8):
        oses = found.get(cfg, {})
        for os_name in sorted(oses):
            meta, data = oses[os_name]
            labels = sorted({r[4] for r in data})
            rows.append([f"c{cfg}-{os_name}.csv", str(len(data)),
                         ", ".join(labels) or "-",
                         meta.get("host", "?"), meta.get("tsc_khz", "?"),
                         meta.get("source", "?"), meta.get("io", "?"),
                         meta.get("erms", "?")])
    L += md_table(["file", "rows", "label", "host", "tsc_khz",
                   "tsc source", "io", "erms"], rows)
    L.append("")
    notes = erms_notes(found)
    for cfg in range(1, 8):
        oses = found.get(cfg, {})
        if not oses:
            notes.append(f"c{cfg} ({CONFIGS[cfg][0]}): not measured (no "
                         f"c{cfg}-*.csv).")
            continue
        expected = CONFIGS[cfg][1]
        missing = [o for o in expected if o not in oses]
        if missing and len(oses) < len(expected):
            notes.append(f"c{cfg}: only {', '.join(sorted(oses))} measured; "
                         f"expected {', '.join(expected)} (missing "
                         + ", ".join(f"c{cfg}-{o}.csv" for o in missing)
                         + ").")
        for os_name, (meta, _rows) in sorted(oses.items()):
            if meta.get("io") == "cached":
                notes.append(f"c{cfg}-{os_name}.csv: I/O ran with "
                             "--allow-cached (io-cached): its reads may "
                             "come from memory, not a disk.")
    if ignored:
        notes.append("Ignored (not c<N>-<os>.csv): " + ", ".join(ignored)
                     + ".")
    notes += plots
    if notes:
        L += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(L)


def summary_csv(path, per, per_os, keys):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["config", "os", "part", "size_bytes", "unit", "n",
                    "median", "q1", "q3", "min", "max"])
        for cfg in range(1, 8):
            for k in keys:
                groups = [("all", per.get(cfg, {}).get(k))]
                if len(per_os.get(cfg, {})) > 1:
                    groups += [(o, per_os[cfg][o].get(k))
                               for o in sorted(per_os[cfg])]
                for os_name, s in groups:
                    if s is None:
                        if os_name == "all":
                            w.writerow([cfg, "all", k[0], k[1],
                                        part_unit(k), 0] + [""] * 5)
                        continue
                    w.writerow([cfg, os_name, k[0], k[1], part_unit(k),
                                s["n"]] + [repr(s[x]) for x in
                                           ("median", "q1", "q3", "min",
                                            "max")])


# ---------------------------------------------------------------- plots

def write_plot(out_dir, group, keys, per, errorbars, terminal,
               gnuplot_path):
    """One bar chart: a cluster per configuration, a bar per part."""
    lo, hi = ("q1", "q3") if errorbars == "iqr" else ("min", "max")
    dat = os.path.join(out_dir, f"{group}.dat")
    with open(dat, "w") as f:
        f.write("# config\tlabel" + "".join(
            f"\t{part_name(k)} median\t{lo}\t{hi}" for k in keys) + "\n")
        for cfg in range(1, 8):
            label = SHORT[cfg]
            row = [f"c{cfg}"]
            vals = []
            for k in keys:
                s = per.get(cfg, {}).get(k)
                vals += ["?"] * 3 if s is None else \
                    [repr(s["median"]), repr(s[lo]), repr(s[hi])]
            if all(v == "?" for v in vals):
                label = NOT_MEASURED
            f.write("\t".join(row + [label] + vals) + "\n")
    units = {part_unit(k) for k in keys}
    title = {"cpu": "CPU: a register incremented M times",
             "memcpy": "memory: memcpy of 256, 512 and 1024 KiB",
             "io": "I/O: random block reads of the own disk"}[group]
    spread = "interquartile range" if errorbars == "iqr" else "min to max"
    plots = []
    for i, k in enumerate(keys):
        c = 3 + 3 * i
        src = f"'{group}.dat'" if i == 0 else "''"
        xt = ':xtic(sprintf("%s\\n%s", strcol(1), strcol(2)))' if i == 0 \
            else ""
        plots.append(f"{src} using {c}:{c + 1}:{c + 2}{xt} "
                     f"title \"{part_name(k)}\"")
    gp = os.path.join(out_dir, f"{group}.gp")
    with open(gp, "w") as f:
        f.write(f"""# made by bench/report/mintreport.py
set terminal {terminal}
set output '{group}.png'
set title "{title}\\nbars: median time per iteration, error bars: {spread}"
set ylabel "{' / '.join(sorted(units))} (lower is better)"
set datafile separator "\\t"
set datafile missing "?"
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.7 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
set key top left
set bmargin 4
plot {", ".join(plots)}
""")
    return run_gnuplot(gnuplot_path, out_dir, group)


def make_plots(out_dir, per, keys, errorbars):
    gnuplot_path = gnuplot()
    terminal = gnuplot_terminal(gnuplot_path)
    made = []
    for group in ("cpu", "memcpy", "io"):
        gkeys = [k for k in keys if plot_group(k) == group]
        if gkeys:
            made.append(write_plot(out_dir, group, gkeys, per, errorbars,
                                   terminal, gnuplot_path))
    return made


# ---------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="mintreport.py",
        description="Tables and plots of mintbench results per "
                    "configuration (docs/benchmarks.md).")
    ap.add_argument("results_dir", metavar="RESULTS_DIR")
    ap.add_argument("out_dir", metavar="OUT_DIR")
    ap.add_argument("--errorbars", choices=("iqr", "minmax"), default="iqr",
                    help="what the plots' error bars show (default iqr)")
    ap.add_argument("--no-plots", action="store_true",
                    help="write summary.md and summary.csv only")
    args = ap.parse_args(argv)

    try:
        if not os.path.isdir(args.results_dir):
            raise InputError(f"{args.results_dir}: not a directory")
        found, ignored = load(args.results_dir)
        if not found:
            raise InputError(f"{args.results_dir}: no c<N>-<os>.csv files "
                             "(see docs/benchmarks.md for the names)")
        meta_text, _keys = read_meta(args.results_dir)
        per, per_os = analyse(found)
        keys = all_keys(per)
        os.makedirs(args.out_dir, exist_ok=True)
        summary_csv(os.path.join(args.out_dir, "summary.csv"), per, per_os,
                    keys)
        notes, error = [], None
        if args.no_plots:
            notes.append("Plots: not made (--no-plots).")
        else:
            try:
                made = make_plots(args.out_dir, per, keys, args.errorbars)
                notes.append("Plots: " + ", ".join(made) + ".")
            except InputError as e:
                error = e
                notes.append(f"Plots: not made ({e}).")
        with open(os.path.join(args.out_dir, "summary.md"), "w") as f:
            f.write(summary_md(found, ignored, per, per_os, keys, meta_text,
                               notes))
        if error:
            raise error
    except (InputError, OSError) as e:
        print(f"mintreport: {e}", file=sys.stderr)
        return 1
    print(os.path.join(args.out_dir, "summary.md"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
