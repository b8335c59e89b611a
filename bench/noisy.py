"""Noisy neighbour: a victim VM measured alone, next to a busy VM under the
same node's KVM, and with the busy VM in another node (docs/benchmarks.md).

Emulated machine, 6 CPUs, 8 GiB, bench/configs/noisy.conf: the victim runs
mintbench in node1 (pinned to node1's CPU 0, its disk is node1's disk1);
the busy VM runs an endless memcpy loop (mintbench 0:0:N), pinned to
node1's CPU 1 ("same node") or in node2 ("other node"). The three cases
alternate, REPS rounds, in one boot; printed: the victim's medians per part
and the ratios busy/alone. On the emulated machine every emulated CPU shares
the host's 2 cores, so a busy VM anywhere takes time from the victim: read
the two ratios against each other, not against 1.

  python3 -m bench.noisy [--spec L:M:N] [--reps N] [--rounds N] RESULTS_DIR
"""

import argparse
import csv
import io
import os
import statistics
import time

from bench import evaluation as ev
from bench.evaluation import rig

HERE = os.path.dirname(os.path.abspath(__file__))

CONFIG = os.path.join(HERE, "configs", "noisy.conf")
BUSY_SPEC = "0:0:1000000000"
CASES = ("alone", "same-node", "other-node")


def start_busy(host, cpus):
    pin = f" --cpus {cpus}" if cpus is not None else ""
    host.sh(f"mint-vm start busy {ev.GUEST}{pin} --cmdline "
            f"'console=ttyS0 mint.bench={BUSY_SPEC} mint.bench_reps=1000 mint.bench_label=busy'")
    t0 = time.monotonic()
    while "MINTBENCH-BEGIN" not in host.sh("grep -a MINTBENCH-BEGIN /run/mint/vm/busy/console.log "
                                           "|| true"):
        if time.monotonic() - t0 > ev.GUEST_TIMEOUT:
            raise rig.TestFailure("the busy VM did not start its loop")
        time.sleep(3)


def victim(host, label, spec, reps, out_dir):
    return ev.measure([(host, label, "/dev/vda", 0, True)], spec, reps, out_dir)[label]


def per_iteration(text):
    """{(part, size): [ns per iteration of each repetition]}"""
    out = {}
    rows = csv.DictReader(io.StringIO("\n".join(l for l in text.splitlines()
                                                if not l.startswith("#"))))
    for r in rows:
        out.setdefault((r["part"], r["size_bytes"]), []).append(int(r["ns"]) / int(r["iterations"]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--spec", default="200:10000000:200")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("results")
    a = ap.parse_args()
    os.makedirs(a.results, exist_ok=True)
    run_dir = rig.new_run_dir("noisy")
    m = rig.Machine(run_dir, config=CONFIG, smp=6, mem="8G")
    m.start()
    samples = {c: {} for c in CASES}
    try:
        m.wait_for(r"MINT-AGENT-UP", 180)
        for node, uart in (("node1", "com2"), ("node2", "com3")):
            m.run(f"mintctl start --config=/etc/mint/partition.conf {node}", timeout=180)
            m.wait_for(rf"MINT-NODE-UP node={node}", 90, log=uart)
        n1, n2 = ev.Host(m, "com2"), ev.Host(m, "com3")
        for rnd in range(1, a.rounds + 1):
            for case in CASES:
                busy = {"same-node": (n1, 1), "other-node": (n2, None)}.get(case)
                if busy:
                    start_busy(*busy)
                label = f"victim-{case}-{rnd}"
                t0 = time.monotonic()
                text = victim(n1, label, a.spec, a.reps, a.results)
                if busy:
                    busy[0].sh("mint-vm stop busy")
                for k, v in per_iteration(text).items():
                    samples[case].setdefault(k, []).extend(v)
                print(f"round {rnd} {case}: victim measured in {time.monotonic() - t0:.0f}s",
                      flush=True)
    finally:
        m.stop()
    lines = ["part,size_bytes,case,n,median_ns_per_iteration,ratio_to_alone"]
    print(f"\n{'part':8} {'size':>8} {'alone':>12} {'same node':>12} {'other node':>12} "
          f"{'same/alone':>10} {'other/alone':>11}")
    for key in sorted(samples["alone"]):
        med = {c: statistics.median(samples[c][key]) for c in CASES if key in samples[c]}
        for c in CASES:
            lines.append(f"{key[0]},{key[1]},{c},{len(samples[c].get(key, []))},{med[c]:.3f},"
                         f"{med[c] / med['alone']:.3f}")
        print(f"{key[0]:8} {key[1]:>8} {med['alone']:12.1f} {med['same-node']:12.1f} "
              f"{med['other-node']:12.1f} {med['same-node'] / med['alone']:10.2f} "
              f"{med['other-node'] / med['alone']:11.2f}")
    with open(os.path.join(a.results, "noisy.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"\nns per iteration (median); results in {a.results}; machine logs in {run_dir}")


if __name__ == "__main__":
    main()
