"""Node start against node RAM size: GiB-scale nodes without slow start.

On the emulated machine (4 CPUs, 12 GiB, single-threaded TCG: no nested
guests here) with bench/configs/node-ram.conf,
three one-CPU nodes that differ only in their RAM (256 MiB, 1 GiB, 8 GiB,
all above 4 GiB, entered through the 64-bit trampoline) are started one
after the other, REPS rounds (after one warm-up start, each round in a
rotated order): `mintctl start` in node0 until the node's
init prints its marker on its UART, then a forced stop, so every start is
cold; the node's init must report about its configured RAM as MemTotal.
Prints each sample, the medians per size and the ratio of the
largest node's median to the smallest's, measured side by side in one run
(this machine is shared and noisy: only the ratios mean much).

  python3 -m bench.node_ram [--reps N] [--out FILE.csv]
"""

import argparse
import os
import statistics
import sys
import time

from tests.rig import machine as rig

CFG = "/etc/mint/partition.conf"
CONFIG = os.path.join(rig.ROOT, "bench", "configs", "node-ram.conf")
NODES = [("node1", "com2", 256), ("node2", "com3", 1024), ("node3", "com4", 8192)]


def start_once(m, node, uart, mib):
    since = len(m.log(uart))
    t0 = time.monotonic()
    m.run(f"mintctl start --config={CFG} {node}", timeout=300)
    up = m.wait_for(rf"MINT-NODE-UP node={node} .*mem_kb=(\d+)", 300, log=uart, since=since)
    dt = time.monotonic() - t0
    mem_kb = int(up.group(1))
    # the node must really have its RAM (MemTotal is a little less)
    if not mib * 1024 * 0.85 < mem_kb <= mib * 1024:
        raise rig.TestFailure(f"{node} reports MemTotal {mem_kb} kB, not about {mib} MiB")
    m.run(f"mintctl stop --force {node}")
    return dt, mem_kb


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out")
    a = ap.parse_args()
    run_dir = rig.new_run_dir("bench-node-ram")
    print(f"node_ram: config {CONFIG}; machine logs in {run_dir}", flush=True)
    # no nested guests here: single-threaded TCG, which does not show the
    # emulator's lost EOIs (docs/timings.md; one struck this run on 2026-12-04)
    m = rig.Machine(run_dir, config=CONFIG, smp=4, mem="12G", tcg_threads="single")
    m.start()
    rows = []
    try:
        m.wait_for(r"MINT-AGENT-UP", 180)
        # the first start of a boot also reads the image files into node0's
        # page cache: a warm-up start, not counted
        dt, _ = start_once(m, *NODES[1])
        print(f"warm-up: {NODES[1][2]} MiB node started in {dt:.2f}s (not counted)", flush=True)
        for rep in range(1, a.reps + 1):
            # each round in another order, so no size is always first
            for node, uart, mib in NODES[rep % 3:] + NODES[:rep % 3]:
                dt, mem_kb = start_once(m, node, uart, mib)
                rows.append((rep, mib, dt, mem_kb))
                print(f"rep {rep}: {mib:5d} MiB node ({node}): start to init marker {dt:.2f}s "
                      f"(MemTotal {mem_kb} kB)", flush=True)
    finally:
        m.stop()
    med = {mib: statistics.median(r[2] for r in rows if r[1] == mib) for _, _, mib in NODES}
    for _, _, mib in NODES:
        vals = [r[2] for r in rows if r[1] == mib]
        print(f"{mib:5d} MiB: median {med[mib]:.2f}s (min {min(vals):.2f}, max {max(vals):.2f})")
    small, large = NODES[0][2], NODES[-1][2]
    print(f"ratio {large} MiB / {small} MiB node start: {med[large] / med[small]:.2f}x "
          f"for {large // small}x the RAM ({a.reps} rounds, one run)")
    if a.out:
        with open(a.out, "w") as f:
            f.write("rep,node_mib,start_s,mem_total_kb\n")
            for rep, mib, dt, mem_kb in rows:
                f.write(f"{rep},{mib},{dt:.3f},{mem_kb}\n")


if __name__ == "__main__":
    try:
        main()
    except (rig.TestFailure, rig.RigFailure) as e:
        sys.exit(f"node_ram: {e}")
