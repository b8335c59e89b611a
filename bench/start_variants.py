"""What a node start spends its time on, variant by variant.

On the emulated machine with configs/demo.conf, node1 is started REPS times
in each variant, the variants interleaved (one start of each, then again),
each start cold (a forced stop after it), and each start's timeline read
from `mintctl status --json` (kernel-patches/0027). Variants:
  split        the image as built: an uncompressed newc cpio whose VM
               payload (QEMU, its libraries, the guest) is one packed file
               that mint-vm unpacks at the first VM start
  whole-gzip   everything in one gzip -1 archive, the payload unpacked by
               the node kernel at every start (the image before 2026-12-06)
  whole-none   the same, uncompressed
  quiet        split, with `quiet` on the node's command line (kernel
               messages below warnings stay in the node's log buffer)
The whole-* images are made in node0 from the built one.
Prints, per variant, the median of every phase (ms since the phase before)
and of mintctl to running and to the node's init services. It measures;
the choices it informed are in docs/benchmarks.md.

  python3 -m bench.start_variants [--reps N] [--variants split,whole-gzip,...]
      [--out FILE.csv]
"""

import argparse
import os
import statistics

from tests.rig import machine as rig
from tests.rig.timeline import stamped_ms

CFG = "/etc/mint/partition.conf"


def start_once(m, args):
    m.run(f"mintctl start --config={CFG} {args} node1", timeout=240)
    tl = stamped_ms(m, "node1", "agent")
    m.run("mintctl stop --force node1", timeout=120)
    return tl


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--variants", default="split,whole-gzip,whole-none,quiet")
    ap.add_argument("--out")
    a = ap.parse_args()
    run_dir = rig.new_run_dir("bench-start-variants")
    m = rig.Machine(run_dir, config=rig.config_without_vm_autostart(
        os.path.join(rig.ROOT, "configs", "demo.conf"), run_dir))
    m.start()
    variants = a.variants.split(",")
    results = {v: [] for v in variants}
    try:
        m.wait_for(r"MINT-AGENT-UP", 180)
        _, cmdline = m.run(f"mintctl show {CFG} node1 | "
                           "sed -n '/^\\[node node1\\]/,/^\\[/s/^cmdline = //p'")
        whole = [v for v in variants if v.startswith("whole-")]
        _, size = m.run("true" if not whole else "rm -rf /tmp/w && mkdir /tmp/w && cd /tmp/w && cpio -idm < /boot/mint/node.cpio && "
                        "zcat boot/mint/vm-payload.cpio.gz | cpio -idmu && rm boot/mint/vm-payload.cpio.gz && "
                        "find . | cpio -o -H newc > /tmp/whole.cpio && gzip -1 -c /tmp/whole.cpio > "
                        "/tmp/whole.cpio.gz && cd / && rm -rf /tmp/w && "
                        "stat -c %s /boot/mint/node.cpio /tmp/whole.cpio.gz /tmp/whole.cpio", timeout=600)
        if whole:
            sizes = [int(x) >> 20 for x in size.split()[-3:]]
            print(f"images: split {sizes[0]} MiB, whole-gzip {sizes[1]} MiB, whole-none {sizes[2]} MiB",
                  flush=True)
        args = {"split": "", "whole-gzip": "--initrd=/tmp/whole.cpio.gz", "whole-none": "--initrd=/tmp/whole.cpio",
                "quiet": f"--cmdline='{cmdline.strip()} quiet'"}
        for rep in range(a.reps):
            for v in variants:
                tl = start_once(m, args[v])
                results[v].append(tl)
                print(f"rep {rep + 1} {v:>6}: running {tl['initcalls'] - tl['mintctl']:8.1f} ms, "
                      f"init services {tl['agent'] - tl['mintctl']:8.1f} ms", flush=True)
    finally:
        m.stop()
    phases = list(results[variants[0]][0])
    print(f"\nmedian ms per phase (since the one before), {a.reps} starts each:")
    print(f"  {'phase':>14}" + "".join(f" {v:>9}" for v in variants))
    for prev, ph in zip(phases, phases[1:]):
        row = [statistics.median(t[ph] - t[prev] for t in results[v]) for v in variants]
        print(f"  {ph:>14}" + "".join(f" {x:9.1f}" for x in row))
    for label, end in (("to running", "initcalls"), ("to init services", "agent")):
        row = [statistics.median(t[end] - t["mintctl"] for t in results[v]) for v in variants]
        print(f"  {label:>14}" + "".join(f" {x:9.1f}" for x in row))
    if a.out:
        with open(a.out, "w") as f:
            f.write("variant,rep," + ",".join(phases) + "\n")
            for v in variants:
                for i, t in enumerate(results[v]):
                    f.write(f"{v},{i + 1}," + ",".join(f"{t.get(p, float('nan')):.1f}" for p in phases) + "\n")


if __name__ == "__main__":
    main()
