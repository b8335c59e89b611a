"""Tests of the rig's pure helpers (tests/rig/machine.py) and of how the
checkout's Python imports (tests/rig/test_package.py); one PASS:/FAIL:
line per test."""

import base64
import os
import re
import struct
import sys
import tempfile

from tests.rig import apic, disks, footprint, guests, machine, test_package
from tests.stress import console_kmsg, lifecycle_ops, lost_eoi, results


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


def regs(cpu, rfl, hlt):
    """A CPU's block of QEMU's `info registers -a`."""
    return (f"CPU#{cpu}\nRAX=0000000000000000 RBX=ffffffff82a0a940 RCX=0000000000000001\n"
            f"RIP=ffffffff81e0c3eb RFL={rfl:08x} [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT={hlt}\n"
            "ES =0000 0000000000000000 ffffffff 00c00000\n")


WAKEUP = [
    # name, dump, expected lost_wakeup() CPUs
    ("halted-with-deliverable-vector", regs(1, 0x246, 1) + lapic(1, "(none)", "236", "0x00"), [1]),
    ("halted-interrupts-off-is-not-lost", regs(1, 0x046, 1) + lapic(1, "(none)", "236", "0x00"), []),
    ("running-cpu-is-not-lost", regs(1, 0x246, 0) + lapic(1, "(none)", "236", "0x00"), []),
    ("vector-below-priority-is-not-lost", regs(2, 0x246, 1) + lapic(2, "(none)", "34", "0xe0"), []),
    ("in-service-is-the-eoi-class", regs(2, 0x246, 1) + lapic(2, "236", "236", "0xe0"), []),
]

# lost_command_evidence(before, after, nbytes): which layer lost a command
LOST = [
    ("reached-the-driver", (10, 0), (60, 13), 13, "in our reader"),
    ("never-reached-the-driver", (10, 26), (60, 26), 13, "never reached the guest's UART driver"),
    ("partly-received", (10, 26), (60, 30), 13, "never reached the guest's UART driver"),
    ("guest-stalled", (10, 0), (11, 0), 13, "stopped beating"),
    ("no-counts", None, (60, 13), 13, "no control-port counts"),
]


class FakeConsole:
    """A node's console socket: the typed line is answered in the UART's log
    by @reply(cid), as the node's shell would."""

    def __init__(self, path, reply):
        self.path, self.reply, self.typed = path, reply, b""

    def sendall(self, data):
        self.typed += data
        if self.typed.endswith(b"\n"):
            cid = re.search(rb"@@BE''GIN (\S+)'", self.typed).group(1).decode()
            with open(self.path, "a") as f:
                f.write(self.reply(cid))


def console_case(reply):
    """console_run("com2", "true") against a console answering with @reply:
    ('ok', output) or ('failed', message)."""
    with tempfile.TemporaryDirectory() as d:
        m = machine.Machine(d)
        open(m.path("com2.log"), "w").close()
        m.uart_socks = {"com2": FakeConsole(m.path("com2.log"), reply)}
        m.alive = lambda: True
        try:
            return "ok", m.console_run("com2", "true", timeout=5)[1]
        except machine.TestFailure as e:
            return "failed", str(e)


def b64(text):
    return base64.b64encode(text.encode()).decode()


KMSG = "[    4.033359] mintbr0: port 1(mint0) entered forwarding state\r\n"
CONSOLE = [
    ("answered", lambda c: f"$ typed\n@@BEGIN {c}\n{b64('out')}\n@@END {c} 0\n", ("ok", "out\n")),
    # the begin marker lost: never read as empty output (an "absent" check
    # would pass on it)
    ("begin-lost-is-a-failure", lambda c: f"$ typed\n{b64('out')}\n@@END {c} 0\n", ("failed", "begin marker")),
    # a kernel message on the same UART right after the status, complete
    # (the shell's line end follows it) or still arriving
    ("kernel-line-after-end", lambda c: f"$ typed\n@@BEGIN {c}\n{b64('0')}\n@@END {c} 3[    3.368496] "
     "mintbr0: port 1(mint0) entered blocking state\r\n\r\n", ("ok", "0\n")),
    ("kernel-line-arriving-after-end", lambda c: f"$ typed\n@@BEGIN {c}\n{b64('0')}\n@@END {c} 3[    3.36",
     ("ok", "0\n")),
    # a status whose end has not arrived yet is not read (it may be "12")
    ("status-unfinished-not-read", lambda c: f"$ typed\n@@BEGIN {c}\n{b64('x')}\n@@END {c} 1",
     ("failed", "timed out")),
    # the kernel writes its messages between two chunks of the shell's
    # output, anywhere in a line: in a marker (stop 30's CI), in the
    # output, in the status
    ("kernel-line-splits-begin", lambda c: f"$ typed\r\n@@BEG{KMSG}IN {c}\r\n{b64('3')}\r\n@@END {c} 0\r\n",
     ("ok", "3\n")),
    ("kernel-line-splits-output", lambda c: f"@@BEGIN {c}\r\n{b64('forwarding 3')[:5]}{KMSG}"
     f"{b64('forwarding 3')[5:]}\r\n@@END {c} 0\r\n", ("ok", "forwarding 3\n")),
    ("kernel-line-splits-status", lambda c: f"@@BEGIN {c}\r\n{b64('x')}\r\n@@END {c} 1{KMSG}2\r\n",
     ("ok", "x\n")),
    # output that looks like a kernel message is the command's, kept
    ("kernel-like-output-kept", lambda c: f"@@BEGIN {c}\r\n{b64(KMSG)}\r\n@@END {c} 0\r\n",
     ("ok", KMSG.replace("\r\n", "\r"))),
    # what is not base64 was not printed by the command's base64
    ("output-not-base64", lambda c: f"@@BEGIN {c}\r\nsh: can't create /tmp/x: No space left on device\r\n"
     f"@@END {c} 1\r\n", ("failed", "not the base64")),
]


def same(group, name, got, want):
    """One PASS:/FAIL: line for rig/GROUP/NAME; 1 when @got is not @want."""
    if got == want:
        print(f"PASS: rig/{group}/{name}")
        return 0
    print(f"FAIL: rig/{group}/{name}: got {got!r}, want {want!r}")
    return 1


def main():
    failed = 0
    for name, reply, (want, text) in CONSOLE:
        got, out = console_case(reply)
        if got == want and text in out:
            print(f"PASS: rig/console-run/{name}")
        else:
            failed += 1
            print(f"FAIL: rig/console-run/{name}: got {got} {out!r}, want {want} {text!r}")
    for name, text, want in CASES:
        got = apic.lost_eoi(text)
        failed += same("lost-eoi", name, got, want)
    for name, text, want in WAKEUP:
        got = [c for c, _, _, _ in apic.lost_wakeup(text)]
        failed += same("lost-wakeup", name, got, want)
    # a fault counts only when every reading shows it
    stuck = regs(1, 0x246, 1) + lapic(1, "236", "34 236", "0xe0")
    woke = regs(1, 0x246, 0) + lapic(1, "(none)", "(none)", "0x00")
    lost = WAKEUP[0][1]
    for name, text, want in (
            ("reschedule-vector-held", regs(2, 0x246, 1) + lapic(2, "253", "(none)", "0xf0"),
             [(2, (253,))]),
            ("interrupts-off-is-not-held", regs(2, 0x046, 1) + lapic(2, "248", "(none)", "0xf0"),
             []),
            ("running-is-not-held", regs(2, 0x246, 0) + lapic(2, "236", "(none)", "0xe0"), []),
            ("halted-clean", regs(2, 0x246, 1) + lapic(2, "(none)", "236", "0x00"), [])):
        got = [x[:2] for x in apic.halted_in_service(text)]
        failed += same("halted-in-service", name, got, want)
    held = regs(2, 0x246, 1) + lapic(2, "253", "(none)", "0xf0")
    for name, readings, want in (("eoi-thrice", (stuck, stuck, stuck), 1),
                                 ("held-thrice", (held, held, held), 1),
                                 ("held-ended-in-between", (held, woke, held), 0),
                                 ("eoi-gone-in-the-last", (stuck, stuck, woke), 0),
                                 ("wakeup-thrice", (lost, lost, lost), 1),
                                 ("wakeup-gone-in-between", (lost, woke, lost), 0)):
        got = len(apic.persistent(*readings))
        failed += same("persistent", name, got, want)
    skip = "[ 5.7] APIC: CPU 3 skipped one EOI (apic_skip_eoi)\n"
    ended = "[ 5.8] APIC: CPU {} entered idle with vector 0x{} in service; sent its EOI\n"
    for name, text, want in (("none", "[ 1.0] booted\n", []),
                             ("one-lost", ended.format(2, "ec"), [(2, 0xec)]),
                             ("made-by-the-test", skip + ended.format(3, "ec"), []),
                             ("test-then-lost", skip + ended.format(3, "ec") + ended.format(3, "ec"),
                              [(3, 0xec)]),
                             ("test-on-another-cpu", skip + ended.format(1, "fb"), [(1, 0xfb)])):
        got = apic.ended_stale_isr(text)
        failed += same("ended-stale-isr", name, got, want)
    node = {"cpus": {1, 2, 3}, "apic_ids": {1, 2, 3}, "uart": 0x2F8,
            "functions": {(0, 6, 0)}, "bars": [(0xFEBC1000, 0xFEBC1FFF)]}

    def acc(cpu, addr, name, value=0, kind="write"):
        return (f"memory_region_ops_{kind} cpu {cpu} mr 0x55aa addr {addr:#x} value {value:#x} "
                f"size 4 name '{name}'\n")
    hi = acc(2, footprint.ICR_HI, "apic-msi", 3 << 24)
    # node0 (CPU 0) starts CPU 1, which starts CPUs 2 and 3
    sipis = "".join(acc(s, footprint.ICR_HI, "apic-msi", d << 24) + acc(s, footprint.ICR_LO, "apic-msi", 0x69A)
                    for s, d in ((0, 1), (1, 2), (1, 3)))
    stop = "".join(acc(0, footprint.ICR_HI, "apic-msi", d << 24) + acc(0, footprint.ICR_LO, "apic-msi", 0xC500)
                   for d in (1, 2, 3))
    # (trace before the case, name, case's trace, regions it adds, problem):
    # the window cases start from nothing, the rest with CPUs 1-3 started
    for before, name, trace, want_regions, want_problem in (
            ("", "before-start-is-node0s", acc(1, 0xFEC00000, "ioapic") + sipis, {"IPIs sent", "local APIC"}, None),
            ("", "after-stop-is-node0s", sipis + stop + acc(3, 0xFEC00000, "ioapic"),
             {"IPIs sent", "local APIC"}, None),
            ("", "inside-the-window", sipis + acc(3, 0xFEC00000, "ioapic") + stop, {"IPIs sent", "local APIC", "ioapic"},
             "'ioapic'"),
            ("", "node-init-of-its-own-cpu-keeps-it", sipis + acc(1, footprint.ICR_HI, "apic-msi", 2 << 24)
             + acc(1, footprint.ICR_LO, "apic-msi", 0xC500) + acc(2, 0x2F8, "serial"),
             {"IPIs sent", "local APIC", "own UART"}, None),
            (sipis, "own-uart-apic-bar-config",
             acc(1, 0x2F8, "serial") + acc(1, 0xFEE000B0, "apic-msi") + acc(2, 0xFEBC1010, "msix-table")
             + acc(3, 0xB0030000, "pcie-mmcfg-mmio", kind="read"),
             {"own UART", "local APIC", "own device (msix-table)", "own PCI config"}, None),
            (sipis, "node0-cpu-ignored", acc(0, 0x3F8, "serial") + acc(0, 0xFEC00000, "ioapic"), set(), None),
            (sipis, "other-uart", acc(1, 0x3F8, "serial"), {"serial"}, "'serial' at 0x3f8"),
            (sipis, "ioapic", acc(3, 0xFEC00010, "ioapic"), {"ioapic"}, "'ioapic'"),
            (sipis, "other-function-config", acc(1, 0xB0040000, "pcie-mmcfg-mmio", kind="read"),
             {"PCI config"}, "00:08.0's config"),
            (sipis, "ipi-inside", hi + acc(2, footprint.ICR_LO, "apic-msi", 0x4FB), {"local APIC", "IPIs sent"},
             None),
            (sipis, "ipi-to-self", acc(2, footprint.ICR_LO, "apic-msi", (1 << 18) | 0xF6),
             {"local APIC", "IPIs sent"}, None),
            (sipis, "ipi-all-but-self", hi + acc(2, footprint.ICR_LO, "apic-msi", (3 << 18) | 0xFC),
             {"local APIC", "IPIs sent"}, "'all but self' shorthand"),
            (sipis, "ipi-outside", acc(2, footprint.ICR_HI, "apic-msi", 0) + acc(2, footprint.ICR_LO, "apic-msi", 0xFD),
             {"local APIC", "IPIs sent"}, "APIC ID 0 outside"),
            (sipis, "ipi-logical", hi + acc(2, footprint.ICR_LO, "apic-msi", 0x8FD), {"local APIC", "IPIs sent"},
             "logical")):
        regions, problems = footprint.footprint(before + trace, node)
        base = footprint.footprint(before, node)[0]  # e.g. CPU 1 starting CPUs 2 and 3
        regions = {r: n - base.get(r, 0) for r, n in regions.items() if n > base.get(r, 0)}
        ok = set(regions) == want_regions and (
            (not problems) if want_problem is None else (len(problems) == 1 and want_problem in problems[0]))
        if ok:
            print(f"PASS: rig/footprint/{name}")
        else:
            failed += 1
            print(f"FAIL: rig/footprint/{name}: regions {regions}, problems {problems}")
    res = "0x00000000febc1000 0x00000000febc1fff 0x0000000000040200\n" + \
          "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
    if footprint.bars(res) == [(0xFEBC1000, 0xFEBC1FFF)]:
        print("PASS: rig/footprint/bars-from-sysfs-resource")
    else:
        failed += 1
        print(f"FAIL: rig/footprint/bars-from-sysfs-resource: {footprint.bars(res)}")
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "r.csv")
        results.append_row(path, ["n", "note"], [1, "60s"])
        results.append_row(path, ["n", "note"], [2, "stuck: CPU 3, vector 236"])
        with open(path) as f:
            got = f.read()
    want = 'n,note\n1,60s\n2,"stuck: CPU 3, vector 236"\n'
    if got == want:
        print("PASS: rig/stress-results/header-once-and-quoting")
    else:
        failed += 1
        print(f"FAIL: rig/stress-results/header-once-and-quoting: {got!r}")
    kmsg = "[ 9.1] MINT-TOGGLES 100\r\n[ 9.9] MINT-TOGGLES 200\r\n"
    for name, got, want in (("toggles-last-count", lost_eoi.toggles_logged(kmsg), 200),
                            ("toggles-none-logged", lost_eoi.toggles_logged("[ 1.0] x\n"), 0),
                            ("per-event", lost_eoi.per_event(16572, 50), 331.4),
                            ("per-event-without-events", lost_eoi.per_event(16013, 0), None),
                            ("x2apic-mode-seen", lost_eoi.apic_mode_problem(
                                "mint-x2apic", "[ 0.4] x2apic enabled\n"), None),
                            ("x2apic-mode-missing", bool(lost_eoi.apic_mode_problem(
                                "stock-x2apic", "[ 0.4] x2apic: IRQ remapping doesn't support\n")),
                             True),
                            ("xapic-mode-but-x2apic", bool(lost_eoi.apic_mode_problem(
                                "mint-xapic", "[ 0.4] x2apic enabled\n")), True)):
        failed += same("stress-lost-eoi", name, got, want)
    plan = lifecycle_ops.plan(10, 3, 14)
    words = [w for ws in plan for w in ws]
    for name, got, want in (("plan-every-op-once", len(words), 10),
                            ("plan-round-robin", [len(ws) for ws in plan], [4, 3, 3]),
                            ("plan-seeded", lifecycle_ops.plan(10, 3, 14), plan),
                            ("plan-known-ops-and-nodes", all(
                                w.split(":")[0] in lifecycle_ops.OPS and
                                w.split(":")[1] in lifecycle_ops.NODES for w in words), True),
                            ("result-refused", lifecycle_ops.op_result(
                                "undefine:node1 rc=1 sh: write error: Device or resource busy "),
                             (1, "sh: write error: Device or resource busy")),
                            ("result-silent", lifecycle_ops.op_result("stop:node2 rc=4 "), (4, "")),
                            ("result-ok", lifecycle_ops.op_result("start:node1 rc=0 "), (0, ""))):
        failed += same("stress-lifecycle-ops", name, got, want)
    # the console stress's count of answers the old parser misread
    intact = "@@BEGIN 3x1\r\nAA==\r\n@@END 3x1 0\r\n"
    for name, raw, want in (("intact", "echo\r\n" + intact, False),
                            ("begin-cut", intact.replace("BEG", "BEG" + KMSG), True),
                            ("output-cut", intact.replace("AA", "A" + KMSG + "A"), True),
                            ("end-cut", intact.replace("@@EN", "@@EN" + KMSG), True)):
        got = console_kmsg.old_parser_fails(raw)
        failed += same("stress-console-kmsg", name, got, want)
    for name, before, after, nbytes, want in LOST:
        got = guests.lost_command_evidence(before, after, nbytes)
        if want in got:
            print(f"PASS: rig/lost-command/{name}")
        else:
            failed += 1
            print(f"FAIL: rig/lost-command/{name}: got {got!r}, want {want!r}")
    failed += stalled_guest()
    failed += partition_tables()
    failed += test_package.main()
    sys.exit(1 if failed else 0)


class FakeNode:
    """console_run() answers with what a node's shell printed; with
    @cpus, dump_cpus()/emulator_faults() as the rig's Machine has them."""

    def __init__(self, out, cpus=None):
        self.out, self.scripts = out, []
        if cpus is not None:
            self.dump_cpus = lambda: cpus
            self.emulator_faults = lambda first: [f"fault in {first}"] if first else []

    def console_run(self, where, script, timeout=30):
        self.scripts.append((where, script))
        return 0, self.out


def stalled_guest():
    """stalled_guest_evidence() runs its script for the right VM in the
    right node and reports the threads, and the emulator's faults only
    where the target can read the CPUs."""
    failed = 0
    out = "pid=812 exit=\nqemu-system-x86: S 10 4 do_select\nCPU 0/KVM: R 900 30 0\n"
    node = FakeNode(out)
    got = guests.stalled_guest_evidence(node, "com3", "guest2")
    checks = [("names-the-vm", "/run/mint/vm/guest2" in node.scripts[0][1] and node.scripts[0][0] == "com3"),
              ("threads", "CPU 0/KVM: R 900 30 0" in got and "pid=812" in got),
              ("no-cpus-no-fault-line", "emulator faults" not in got)]
    rig_node = FakeNode(out, cpus="CPU#3 halted")
    got = guests.stalled_guest_evidence(rig_node, "com3", "guest2")
    checks.append(("emulator-faults", "emulator faults: fault in CPU#3 halted" in got))
    quiet = FakeNode(out, cpus="")
    checks.append(("none-seen", "emulator faults: none seen" in guests.stalled_guest_evidence(quiet, "com3", "g")))
    for name, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}: rig/stalled-guest/{name}")
        failed += not ok
    return failed


def partition_tables():
    """disks.partition_table(): equal, aligned, in-disk partitions that the
    kernel's msdos parser reads (signature, type, LBA and size fields)."""

    failed = 0
    size = 64 << 20
    mbr = disks.partition_table(size, 2)
    ents = [struct.unpack("<B3sB3sII", mbr[446 + 16 * i:462 + 16 * i]) for i in range(4)]
    (s1, n1), (s2, n2) = (ents[0][4], ents[0][5]), (ents[1][4], ents[1][5])
    checks = [("signature", len(mbr) == 512 and mbr[510:] == b"\x55\xaa"),
              ("type-linux", ents[0][2] == 0x83 and ents[1][2] == 0x83 and ents[2][2] == 0),
              ("aligned-1mib", s1 == 2048 and s2 % 2048 == 0 and n1 % 2048 == 0),
              ("equal-adjacent", n1 == n2 and s2 == s1 + n1),
              ("inside-disk", (s2 + n2) * 512 <= size and size // 512 - (s2 + n2) < 2 * 2048),
              ("one-part", disks.partition_table(size, 1)[446 + 16 + 4] == 0)]
    for bad in ((size, 0), (size, 5), (1 << 20, 2)):
        try:
            disks.partition_table(*bad)
            checks.append((f"refuses-{bad[0]}-{bad[1]}", False))
        except ValueError:
            checks.append((f"refuses-{bad[0]}-{bad[1]}", True))
    for name, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}: rig/partition-table/{name}")
        failed += not ok
    return failed


if __name__ == "__main__":
    main()
