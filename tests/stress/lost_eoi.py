"""Stress the emulator's lost EOI (docs/timings.md, "Flake classes" 2):
the kernel changes the machine's memory map as fast as a shell can (a PCI
device's memory decoding and bus mastering turned off and on again, what
BAR sizing at every boot and node start does) while every CPU takes its
timer ticks and IPIs.

One 4-CPU multi-threaded machine per mode, no nodes, SECONDS of toggling
the command register of 00:09.0 (a NIC that no test uses there):

  mint-xapic    node0's kernel in xAPIC mode (nox2apic), apic_end_stale_isr:
                every lost EOI is ended at idle and logged, so the events
                are counted;
  mint-x2apic   the same kernel as the rig boots it, x2APIC mode without
                interrupt remapping (x2apic_noir, kernel-patches/0035);
  stock-xapic   the stock Debian kernel (plain Linux of the evaluation),
                xAPIC, nothing to end a lost EOI: the run ends at the first
                CPU QEMU's monitor shows stuck (a lost EOI in three readings
                a second apart, tests/rig/apic.py persistent());
  stock-x2apic  the same kernel in x2APIC mode (rig.IOMMU_X2APIC): its EOIs
                are MSR writes, not writes to the xAPIC's MMIO page.

Prints per mode the toggles made, the events and the toggles per event
(--csv appends one row per mode). The xAPIC modes measure the fault; the
x2APIC modes, the rig's, are checked: "PASS:" without a lost EOI,
"FAIL:" with one (or when no toggle was made). A mint-x2apic event is
counted the way mint-xapic's are: a line of apic_end_stale_isr.

  python3 -m tests.stress.lost_eoi [--seconds S] [--modes M,M] [--csv FILE]
"""

import argparse
import os
import re
import sys
import time

from tests.rig import apic
from tests.rig import machine as rig
from tests.stress import results

MODES = ("mint-xapic", "mint-x2apic", "stock-xapic", "stock-x2apic")
CHECKED = ("mint-x2apic", "stock-x2apic")  # the rig's modes; the others measure the fault
DEVICE = "/sys/bus/pci/devices/0000:00:09.0/config"
# Command register (offset 4): off, then memory decoding + bus mastering.
TOGGLER = f"""cat > /tmp/toggle.sh <<'EOF'
n=0
while :; do
  printf '\\000\\000' | dd of={DEVICE} bs=1 seek=4 count=2 conv=notrunc 2>/dev/null
  printf '\\006\\000' | dd of={DEVICE} bs=1 seek=4 count=2 conv=notrunc 2>/dev/null
  n=$((n+1))
  [ $((n % 100)) = 0 ] && echo "MINT-TOGGLES $n" > /dev/kmsg
done
EOF
setsid sh /tmp/toggle.sh > /dev/null 2>&1 < /dev/null &
echo started
"""


def per_event(toggles, events):
    """Toggles per event, or None without an event."""
    return round(toggles / events, 1) if events else None


def apic_mode_problem(mode, console):
    """Why the kernel of @mode did not run the APIC mode @mode names (its
    boot log @console), or None."""
    x2 = apic.x2apic_enabled(console)
    if mode.endswith("-x2apic") and not x2:
        return f"{mode}: the kernel did not enable x2APIC mode"
    if mode.endswith("-xapic") and x2:
        return f"{mode}: the kernel enabled x2APIC mode"
    return None


def toggles_logged(console):
    """The last toggle count the toggler wrote to the kernel log (every 100
    toggles; a console line gets out even when a CPU is stuck): 0 if none."""
    counts = re.findall(r"MINT-TOGGLES (\d+)", console)
    return int(counts[-1]) if counts else 0


def run_mode(mode, seconds, run_root):
    """(toggles, events, note) of one mode."""
    stock = mode.startswith("stock")
    m = rig.Machine(os.path.join(run_root, mode),
                    kernel=os.path.join(rig.BUILD, "guest", "vmlinuz") if stock else None,
                    x2apic=mode == "stock-x2apic",
                    append_extra="nox2apic" if mode == "mint-xapic" else "")
    m.start()
    try:
        m.wait_for(r"MINT-AGENT-UP", 240)
        problem = apic_mode_problem(mode, m.log())
        if problem:
            raise rig.TestFailure(problem)
        m.run(TOGGLER, timeout=60)
        t0 = time.monotonic()
        readings, stuck = [], []
        while time.monotonic() - t0 < seconds and not stuck:
            time.sleep(1)
            if stock:
                readings = (readings + [m.dump_cpus()])[-3:]
                stuck = apic.persistent(*readings) if len(readings) == 3 else []
        elapsed = time.monotonic() - t0
        log = m.log()
        if stuck:
            return toggles_logged(log), 1, f"stuck after {elapsed:.0f}s: {stuck[0]}"
        return (toggles_logged(log), 0 if stock else len(apic.ended_stale_isr(log)),
                f"{elapsed:.0f}s")
    finally:
        m.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=int, default=240)
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--csv")
    a = ap.parse_args()
    modes = a.modes.split(",")
    bad = [x for x in modes if x not in MODES]
    if bad:
        ap.error(f"unknown mode(s) {bad}; modes: {', '.join(MODES)}")
    run_root = rig.new_run_dir("stress-lost-eoi")
    failed = 0
    for mode in modes:
        print(f"  {mode}: {a.seconds}s of PCI decode toggles", flush=True)
        try:
            toggles, events, note = run_mode(mode, a.seconds, run_root)
        except (rig.TestFailure, rig.RigFailure) as e:
            failed += 1
            print(f"FAIL: stress/lost-eoi/{mode}: {e}")
            continue
        pe = per_event(toggles, events)
        print(f"  {mode}: {toggles} toggles, {events} lost EOI(s)"
              + (f", one per {pe} toggles" if pe else "") + f" ({note})", flush=True)
        if a.csv:
            results.append_row(a.csv, ["date", "mode", "seconds", "toggles", "events",
                                       "toggles_per_event", "note"],
                               [time.strftime('%Y-%m-%dT%H:%M:%S'), mode, a.seconds, toggles,
                                events, pe or "", note])
        if mode not in CHECKED:
            continue  # a measurement of the fault, not a check
        if events or not toggles:
            failed += 1
            print(f"FAIL: stress/lost-eoi/{mode}: {events} lost EOI(s) in {toggles} toggles")
        else:
            print(f"PASS: stress/lost-eoi/{mode}: no lost EOI in {toggles} toggles")
    print(f"machine logs in {run_root}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
