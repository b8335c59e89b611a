# SPDX-License-Identifier: GPL-2.0
"""What the two reports share: the seven-configuration evaluation's
(bench/report/mintreport.py) and the fault-isolation experiments'
(bench/experiments/expreport.py). One meaning per name:

  describe(values)      a sample's n, median, quartiles, min and max
  median_iqr(s), median_range(s)
                        a described sample in a table cell
  fmt(v)                a number in a table, four significant digits
  md_table(...)         a markdown table
  read_meta, meta_section
                        a results directory's meta.txt, and as a section
  gnuplot(), gnuplot_terminal(...), run_gnuplot(...)
                        the plots
  InputError            bad input or a failed plot: the report says it
                        and exits with status 1
"""

import math
import os
import shutil
import statistics
import subprocess


class InputError(Exception):
    pass


# a table cell, a row or a plot's label of what has no data
NOT_MEASURED = "not measured"


# ---------------------------------------------------------------- numbers

def quartiles(values):
    """(q1, median, q3), linear interpolation between order statistics
    (statistics.quantiles' "inclusive" method, numpy's default)."""
    if not values:
        raise ValueError("no values")
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, _med, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, statistics.median(values), q3


def describe(values):
    """{n, median, q1, q3, min, max} of the values; None without any."""
    if not values:
        return None
    q1, med, q3 = quartiles(values)
    return {"n": len(values), "median": med, "q1": q1, "q3": q3,
            "min": min(values), "max": max(values)}


def fmt(v):
    """Four significant digits, never an exponent."""
    if v is None or not math.isfinite(v):
        return "n/a"
    if v == 0:
        return "0"
    digits = max(0, 3 - math.floor(math.log10(abs(v))))
    return f"{v:.{digits}f}"


def median_iqr(s, missing="n/a"):
    """'median [q1, q3]' of a described sample, `missing` for None."""
    if s is None:
        return missing
    return f"{fmt(s['median'])} [{fmt(s['q1'])}, {fmt(s['q3'])}]"


def median_range(s, missing="n/a"):
    """'median [min, max]' of a described sample, `missing` for None."""
    if s is None:
        return missing
    return f"{fmt(s['median'])} [{fmt(s['min'])}, {fmt(s['max'])}]"


# ---------------------------------------------------------------- text

def md_table(header, rows):
    """The lines of a markdown table."""
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def read_meta(results_dir):
    """(text, {key: value} of its key=value lines) of results_dir's
    meta.txt; (None, {}) without one."""
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


def meta_section(meta_text):
    """The summary's lines quoting meta.txt; none without it."""
    if meta_text is None:
        return []
    return (["## Run (meta.txt)", "", "```"]
            + meta_text.rstrip("\n").splitlines() + ["```", ""])


# ---------------------------------------------------------------- plots

def gnuplot():
    """gnuplot's path; InputError when it is not installed."""
    path = shutil.which("gnuplot")
    if not path:
        raise InputError("gnuplot not found (Debian: apt-get install "
                         "gnuplot-nox); use --no-plots for tables only")
    return path


def gnuplot_terminal(gnuplot_path):
    """The terminal of every plot: pngcairo where gnuplot has it."""
    r = subprocess.run([gnuplot_path, "-e", "set terminal pngcairo"],
                       capture_output=True, text=True)
    if r.returncode == 0:
        return 'pngcairo size 960,560 font "sans,10"'
    return "png size 960,560"


def run_gnuplot(gnuplot_path, out_dir, base):
    """Runs out_dir/base.gp in out_dir; its PNG's name (base.png), or
    InputError when gnuplot failed or wrote no or an empty PNG."""
    r = subprocess.run([gnuplot_path, base + ".gp"], cwd=out_dir,
                       capture_output=True, text=True)
    png = os.path.join(out_dir, base + ".png")
    if r.returncode != 0 or not os.path.isfile(png) \
            or os.path.getsize(png) == 0:
        raise InputError(f"gnuplot {os.path.join(out_dir, base)}.gp failed: "
                         f"{r.stderr.strip()[:400]}")
    return base + ".png"
