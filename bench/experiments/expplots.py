# SPDX-License-Identifier: GPL-2.0
"""The plots of bench/experiments/expreport.py, made with gnuplot: per
fault and layout the victim's heartbeats of every repetition aligned on
the fault (timeline-<fault>--<layout>.png), and the detection latency and
recovery time per fault and layout (detection.png, recovery.png)."""

import math
import os

from bench.experiments.expdata import (CONTROL, FAULTS, LAYOUTS,
                                       WINDOW_AFTER_S, WINDOW_BEFORE_S,
                                       order, seconds)
from bench.report.reportlib import fmt, gnuplot, gnuplot_terminal, run_gnuplot

# The timelines start this long before the fault.
PLOT_BEFORE_S = 20.0
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
    "node-kernel-update": "node kernel\\nupdate",
}


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
                   gnuplot_path):
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
    return run_gnuplot(gnuplot_path, out_dir, base)


def write_bars(out_dir, part, cells, faults, layouts, terminal,
               gnuplot_path):
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
    return run_gnuplot(gnuplot_path, out_dir, base)


def make_plots(out_dir, cells, keys, threshold):
    gnuplot_path = gnuplot()
    terminal = gnuplot_terminal(gnuplot_path)
    made = []
    for fault, layout in keys:
        c = cells.get((fault, layout))
        if c is not None:
            made.append(write_timeline(out_dir, fault, layout, c["reps"],
                                       threshold, terminal,
                                       gnuplot_path))
    faults = order({f for f, _ in keys} - {CONTROL}, list(FAULTS))
    layouts = order({lay for _, lay in keys}, list(LAYOUTS))
    for part in ("detection", "recovery"):
        made.append(write_bars(out_dir, part, cells, faults, layouts,
                               terminal, gnuplot_path))
    return made
