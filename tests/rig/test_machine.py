#!/usr/bin/env python3
"""Tests of the rig's pure helpers (tests/rig/machine.py); one PASS:/FAIL:
line per test."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guests  # noqa: E402
import machine  # noqa: E402


def lapic(cpu, isr, irr, ppr):
    """A CPU's block of QEMU's `info lapic`, as the monitor prints it."""
    return (f"dumping local APIC state for CPU {cpu} \n\n"
            "LVTT\t 0x000200ec active-hi edge                 periodic     Fixed  (vec 236)\n"
            f"ISR\t {isr} \nIRR\t {irr} \n\nAPR 0x0{cpu} TPR 0x10 DFR 0x0f LDR 0x00 PPR {ppr}\n"
            "(qemu) info lapic \n")


CASES = [
    # name, dump, expected lost_eoi()
    ("healthy-cpus", lapic(0, "(none)", "(none)", "0x10") + lapic(1, "(none)", "34", "0x10"), []),
    # the signature seen on 2026-12-04 (tests/system/vms.py): timer vector
    # in service and pending again, PPR held at its class
    ("timer-eoi-lost", lapic(0, "(none)", "(none)", "0x10") + lapic(1, "236", "34 236", "0xe0"),
     [(1, 236, 0xE0, [34, 236])]),
    # a CPU caught inside its timer handler: in service, not pending again
    ("in-handler-is-not-stuck", lapic(2, "236", "(none)", "0xe0"), []),
    # pending again but the priority does not hold it back
    ("priority-not-held", lapic(3, "236", "236", "0x10"), []),
    ("empty-dump", "", []),
]


# lost_command_evidence(before, after, nbytes): which layer lost a command
LOST = [
    ("reached-the-driver", (10, 0), (60, 13), 13, "in our reader"),
    ("never-reached-the-driver", (10, 26), (60, 26), 13, "never reached the guest's UART driver"),
    ("partly-received", (10, 26), (60, 30), 13, "never reached the guest's UART driver"),
    ("guest-stalled", (10, 0), (11, 0), 13, "stopped beating"),
    ("no-counts", None, (60, 13), 13, "no control-port counts"),
]


def main():
    failed = 0
    for name, text, want in CASES:
        got = machine.lost_eoi(text)
        if got == want:
            print(f"PASS: rig/lost-eoi/{name}")
        else:
            failed += 1
            print(f"FAIL: rig/lost-eoi/{name}: got {got}, want {want}")
    for name, before, after, nbytes, want in LOST:
        got = guests.lost_command_evidence(before, after, nbytes)
        if want in got:
            print(f"PASS: rig/lost-command/{name}")
        else:
            failed += 1
            print(f"FAIL: rig/lost-command/{name}: got {got!r}, want {want!r}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
