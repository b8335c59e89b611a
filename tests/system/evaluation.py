"""The seven-configuration evaluation, reduced so it cannot rot (`make bench`
runs it in full): bench/evaluation.py with a small L:M:N and 3 repetitions,
then the report.

  - plain Linux is the stock Debian kernel (unmodified), with KVM from its
    own modules, its local APICs in x2APIC mode (the emulator loses xAPIC
    EOIs, docs/timings.md); the mint configurations run on node0 and node1;
  - every configuration's OSes produce a complete mintbench CSV (every part,
    every size, every repetition), guests measured under KVM on their virtio
    disk, the native OSes with O_DIRECT on their own virtio disk;
  - the report measures every configuration and computes every ratio;
  - the noisy-neighbour run (bench/noisy.py, one round) measures the victim
    alone, next to a busy VM in its node and with the busy VM in another.
"""

import csv
import os
import re
import subprocess
import sys

from tests.rig import apic
from tests.system.harness import Suite, expect, rig

SPEC, REPS = "20:1000000:20", 3
FILES = ["c1-plain", "c2-node0", "c3-node0", "c3-node1", "c4-plain-guest", "c5-node0-guest",
         "c6-node0-guest1", "c6-node1-guest2", "c7-plain-guest1", "c7-plain-guest2"]
# cpu, memcpy x 3 sizes, io: one line each per repetition
ROWS = {("cpu", "0"), ("memcpy", "262144"), ("memcpy", "524288"), ("memcpy", "1048576"),
        ("io", "4096")}


def main():
    s = Suite("evaluation")
    results = rig.new_run_dir("evaluation-results")
    state = {}

    def run():
        p = subprocess.run([sys.executable, "-m", "bench.evaluation",
                            "--spec", SPEC, "--reps", str(REPS), results],
                           cwd=rig.ROOT, capture_output=True, text=True, timeout=2400)
        print("  " + p.stdout.strip().replace("\n", "\n  "), flush=True)
        state["out"] = p.stdout
        expect(p.returncode == 0, f"evaluation.py exited {p.returncode}: {p.stderr.strip()[-800:]}")
    s.require("seven-configurations-run", run)

    def csvs():
        for name in FILES:
            path = os.path.join(results, name + ".csv")
            expect(os.path.exists(path), f"{name}.csv missing")
            with open(path) as f:
                text = f.read()
            head = text.splitlines()[0]
            expect(head.startswith("# mintbench") and "io=direct" in head,
                   f"{name}: not an O_DIRECT mintbench run: {head!r}")
            rows = list(csv.DictReader(l for l in text.splitlines() if not l.startswith("#")))
            got = {}
            for r in rows:
                expect(r["label"] == name, f"{name}: a row labelled {r['label']}")
                got[(r["part"], r["size_bytes"])] = got.get((r["part"], r["size_bytes"]), 0) + 1
                expect(int(r["ns"]) > 0, f"{name}: a zero time in {r}")
            expect(got == {k: REPS for k in ROWS}, f"{name}: rows per part {got}")
    s.check("every-os-measured-completely", csvs)

    def plain_is_stock():
        logs = re.search(r"machine logs in (\S+)", state.get("out", ""))
        expect(logs, "no machine logs path printed")
        with open(os.path.join(logs.group(1), "plain", "com1.log"), errors="replace") as f:
            mm = re.search(r"MINT-PLAIN-LINUX kernel=(\S+) kvm=(\S+)", f.read())
        expect(mm and "deb12" in mm.group(1) and mm.group(2) == "yes",
               f"plain Linux was not the stock Debian kernel with KVM: {mm and mm.group(0)}")
    s.check("plain-linux-is-the-stock-debian-kernel", plain_is_stock)

    def plain_x2apic():
        # The stock kernel has no apic_end_stale_isr: its local APICs must be
        # in x2APIC mode, whose EOIs the emulator does not lose.
        logs = re.search(r"machine logs in (\S+)", state.get("out", ""))
        expect(logs, "no machine logs path printed")
        with open(os.path.join(logs.group(1), "plain", "com1.log"), errors="replace") as f:
            text = f.read()
        expect("DMAR-IR: Enabled IRQ remapping in x2apic mode" in text and apic.x2apic_enabled(text),
               "plain Linux's log lacks the remapping or the 'x2apic enabled' line: its local "
               "APICs are in xAPIC mode, exposed to the emulator's lost EOIs")
    s.check("plain-linux-runs-x2apic", plain_x2apic)

    def report():
        with open(os.path.join(results, "report", "summary.md")) as f:
            md = f.read()
        table = md.split("## Medians per configuration and part")[1].split("##")[0]
        expect("not measured" not in table, "a configuration is not measured:\n" + table)
        for ratio in ("c4 / c1", "c5 / c2", "c2 / c1", "c3 / c2", "c6 / c7"):
            expect(ratio in md, f"ratio {ratio} missing from summary.md")
        for png in ("cpu.png", "memcpy.png", "io.png"):
            expect(os.path.getsize(os.path.join(results, "report", png)) > 1000, f"{png} missing")
    s.check("report-has-every-configuration-and-ratio", report)

    def noisy():
        out = rig.new_run_dir("noisy-results")
        p = subprocess.run([sys.executable, "-m", "bench.noisy",
                            "--spec", SPEC, "--reps", str(REPS), "--rounds", "1", out],
                           cwd=rig.ROOT, capture_output=True, text=True, timeout=1800)
        print("  " + p.stdout.strip().replace("\n", "\n  "), flush=True)
        expect(p.returncode == 0, f"noisy.py exited {p.returncode}: {p.stderr.strip()[-800:]}")
        with open(os.path.join(out, "noisy.csv")) as f:
            rows = list(csv.DictReader(f))
        got = {(r["part"], r["size_bytes"], r["case"]) for r in rows if int(r["n"]) == REPS}
        want = {(p_, sz, c) for p_, sz in ROWS for c in ("alone", "same-node", "other-node")}
        expect(got == want, f"noisy.csv lacks {sorted(want - got)}")
        expect(all(float(r["ratio_to_alone"]) > 0 for r in rows), "a zero ratio in noisy.csv")
    s.check("noisy-neighbour-reduced", noisy, needs_machine=False)

    sys.exit(s.finish())


if __name__ == "__main__":
    main()
