"""The seven-configuration evaluation on the emulated machine
(docs/benchmarks.md): mintbench in plain Linux, node0, node1 and guests,
each configuration set up and torn down here, then the report.

Two boots of the emulated machine (4 CPUs, 4 GiB, disks disk1 and disk2):
  plain  the stock Debian kernel (build/guest/vmlinuz, unmodified) boots
         the machine with node0's initramfs, which loads that kernel's KVM
         and virtio-blk modules: configurations 1, 4, 7
  mint   mint's kernel as node0 with bench/configs/evaluation.conf, node1
         started on CPU 2 with disk2: configurations 2, 3, 5, 6
Every OS measures on 1 CPU (mintbench pinned with taskset; guests have one
vCPU pinned to one CPU) and on a disk of its own: plain Linux and node0
disk1, node1 disk2; a guest gets its host's disk as NVMe (in config 7 the
second guest disk2). Guests have 512 MiB.

  python3 -m bench.evaluation [--spec L:M:N] [--reps N] RESULTS_DIR

writes RESULTS_DIR/c<N>-<os>.csv and meta.txt, then runs
`python3 -m bench.report.mintreport RESULTS_DIR RESULTS_DIR/report`.
"""

import argparse
import os
import re
import subprocess
import sys
import time

from tests.rig import apic
from tests.rig import machine as rig

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

CONFIG = os.path.join(HERE, "configs", "evaluation.conf")
GUEST = "--kernel /boot/mint/guest/vmlinuz --initrd /boot/mint/guest/initrd.gz --memory 512M"
GUEST_TIMEOUT = 900


class Host:
    """Where a command runs: node0 (or plain Linux) through the rig's
    control channel, a node through its UART."""

    def __init__(self, m, uart=None):
        self.m, self.uart = m, uart

    def sh(self, script, timeout=120):
        if self.uart:
            rc, out = self.m.console_run(self.uart, script, timeout=timeout)
        else:
            rc, out = self.m.run(script, timeout=timeout, check=False)
        if rc:
            raise rig.TestFailure(f"'{script[:100]}' exited {rc}: {out[-600:]}")
        return out


def csv_only(text):
    keep = [ln.rstrip("\r") for ln in text.splitlines()
            if ln.startswith("# mintbench") or ln.startswith("label,")
            or re.match(r"^[A-Za-z0-9._+-]+,(cpu|memcpy|io|io-cached),", ln)]
    return "\n".join(keep) + "\n"


def start_native(host, label, disk, spec, reps, cpu):
    """mintbench in the background on one CPU; its CSV in /tmp/LABEL.csv."""
    pin = f"taskset -c {cpu} " if cpu is not None else ""
    host.sh(f"rm -f /tmp/{label}.*; ( {pin}mintbench --label={label} --disk={disk} "
            f"--reps={reps} {spec} > /tmp/{label}.csv 2> /tmp/{label}.err; "
            f"echo $? > /tmp/{label}.done ) < /dev/null > /dev/null 2>&1 &")


def start_guest(host, label, disk, spec, reps, cpus):
    pin = f" --cpus {cpus}" if cpus is not None else ""
    host.sh(f"mint-vm start {label} {GUEST} --disk {disk}{pin} --cmdline "
            f"'console=ttyS0 mint.bench={spec} mint.bench_reps={reps} mint.bench_label={label}'")


def finished(host, label, guest):
    if guest:
        out = host.sh(f"grep -a 'MINTBENCH-END' /run/mint/vm/{label}/console.log || true")
        mm = re.search(r"MINTBENCH-END vm=\S+ status=(\d+)", out)
        return None if not mm else int(mm.group(1))
    out = host.sh(f"cat /tmp/{label}.done 2>/dev/null || true").strip()
    return int(out) if out else None


def collect(host, label, guest):
    if guest:
        out = host.sh(f"sed -n '/MINTBENCH-BEGIN/,/MINTBENCH-END/p' /run/mint/vm/{label}/console.log",
                      timeout=180)
        host.sh(f"mint-vm stop {label}")
    else:
        out = host.sh(f"cat /tmp/{label}.csv", timeout=180)
    return csv_only(out)


def measure(jobs, spec, reps, out_dir):
    """jobs: (host, label, disk, cpu, guest). Starts them all at once, waits
    for all, writes LABEL.csv for each; returns {label: csv text}."""
    t0 = time.monotonic()
    for host, label, disk, cpu, guest in jobs:
        (start_guest if guest else start_native)(host, label, disk, spec, reps, cpu)
    pending = {label: (host, guest) for host, label, _, _, guest in jobs}
    done = {}
    while pending:
        for label, (host, guest) in list(pending.items()):
            st = finished(host, label, guest)
            if st is None:
                continue
            if st != 0:
                err = "" if guest else host.sh(f"cat /tmp/{label}.err || true")
                raise rig.TestFailure(f"{label}: mintbench exited {st} {err.strip()[-300:]}")
            done[label] = collect(host, label, guest)
            with open(os.path.join(out_dir, label + ".csv"), "w") as f:
                f.write(done[label])
            del pending[label]
        if pending and time.monotonic() - t0 > GUEST_TIMEOUT:
            raise rig.TestFailure(f"{sorted(pending)} not done after {GUEST_TIMEOUT}s")
        time.sleep(3)
    return done


def run_config(n, jobs, spec, reps, out_dir):
    """jobs: (host, os_name, disk, cpu, guest); writes c<n>-<os>.csv."""
    t0 = time.monotonic()
    measure([(h, f"c{n}-{osn}", d, c, g) for h, osn, d, c, g in jobs], spec, reps, out_dir)
    print(f"configuration {n}: {len(jobs)} OS(es) measured in {time.monotonic() - t0:.0f}s",
          flush=True)


def boot_plain(run_root):
    # x2APIC (interrupt remapping on): the stock kernel cannot end a lost
    # EOI of the emulator's xAPIC (rig.IOMMU_X2APIC, docs/timings.md).
    m = rig.Machine(os.path.join(run_root, "plain"),
                    kernel=os.path.join(rig.BUILD, "guest", "vmlinuz"), x2apic=True)
    m.start()
    mm = m.wait_for(r"MINT-PLAIN-LINUX kernel=(\S+) kvm=(\S+)", 180)
    if mm.group(2) != "yes":
        raise rig.TestFailure(f"plain Linux {mm.group(1)} has no /dev/kvm")
    if not apic.x2apic_enabled(m.log()):
        raise rig.TestFailure(f"plain Linux did not enable x2APIC (its xAPIC would be exposed "
                              f"to the emulator's lost EOIs); see {m.path('com1.log')}")
    m.wait_for(r"MINT-AGENT-UP", 120)
    return m


def boot_mint(run_root):
    m = rig.Machine(os.path.join(run_root, "mint"), config=CONFIG)
    m.start()
    m.wait_for(r"MINT-AGENT-UP", 180)
    m.run("mintctl start --config=/etc/mint/partition.conf node1", timeout=180)
    m.wait_for(r"MINT-NODE-UP node=node1", 90, log="com2")
    return m


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--spec", default="200:10000000:200", help="mintbench L:M:N")
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--configs", default="1,2,3,4,5,6,7")
    ap.add_argument("results")
    a = ap.parse_args()
    want = {int(c) for c in a.configs.split(",")}
    os.makedirs(a.results, exist_ok=True)
    run_root = rig.new_run_dir("evaluation")
    commit = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty", "--abbrev=40"],
                            capture_output=True, text=True).stdout.strip()
    qemu = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                          text=True).stdout.split("\n")[0]
    with open(os.path.join(a.results, "meta.txt"), "w") as f:
        f.write(f"commit={commit}\nmachine=emulated: {qemu} q35 TCG thread=multi -cpu max, "
                f"4 vCPUs, 4 GiB on {os.cpu_count()} host cores; plain Linux in x2APIC mode "
                f"(intel-iommu intremap=on,eim=on), mint in xAPIC mode\n"
                f"config=plain: build/guest/vmlinuz (stock Debian) + node0 image; mint: "
                f"{os.path.relpath(CONFIG, ROOT)}\ncommand={' '.join(sys.argv)}\n"
                f"spec={a.spec} reps={a.reps}\ndate={time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n"
                f"machine_logs={run_root}\n")
    t0 = time.monotonic()
    if want & {1, 4, 7}:
        print("booting plain Linux (stock Debian kernel)", flush=True)
        m = boot_plain(run_root)
        try:
            p = Host(m)
            if 1 in want:
                run_config(1, [(p, "plain", "/dev/vda", 1, False)], a.spec, a.reps, a.results)
            if 4 in want:
                run_config(4, [(p, "plain-guest", "/dev/vda", 1, True)], a.spec, a.reps, a.results)
            if 7 in want:
                run_config(7, [(p, "plain-guest1", "/dev/vda", 1, True),
                               (p, "plain-guest2", "/dev/vdb", 2, True)], a.spec, a.reps, a.results)
        finally:
            m.stop()
    if want & {2, 3, 5, 6}:
        print("booting mint: node0 and node1", flush=True)
        m = boot_mint(run_root)
        try:
            n0, n1 = Host(m), Host(m, "com2")
            if 2 in want:
                run_config(2, [(n0, "node0", "/dev/vda", 1, False)], a.spec, a.reps, a.results)
            if 3 in want:
                run_config(3, [(n0, "node0", "/dev/vda", 1, False),
                               (n1, "node1", "/dev/vda", None, False)], a.spec, a.reps, a.results)
            if 5 in want:
                run_config(5, [(n0, "node0-guest", "/dev/vda", 1, True)], a.spec, a.reps, a.results)
            if 6 in want:
                run_config(6, [(n0, "node0-guest1", "/dev/vda", 1, True),
                               (n1, "node1-guest2", "/dev/vda", None, True)], a.spec, a.reps,
                           a.results)
        finally:
            m.stop()
    print(f"evaluation: {time.monotonic() - t0:.0f}s; machine logs in {run_root}", flush=True)
    report = os.path.join(a.results, "report")
    p = subprocess.run([sys.executable, "-m", "bench.report.mintreport",
                        os.path.abspath(a.results), os.path.abspath(report)], cwd=ROOT)
    sys.exit(p.returncode)


if __name__ == "__main__":
    main()
