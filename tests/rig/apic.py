# SPDX-License-Identifier: GPL-2.0
"""The signatures of the emulator's own interrupt faults (docs/timings.md,
"Flake classes") in what QEMU's monitor prints for `info registers -a` and
`info lapic N`. Pure functions of that text; a fault counts only when
every one of three readings a second apart shows it (persistent())."""

import re


def lapics(text):
    """{cpu: (in_service, pending, ppr)} from `info lapic` blocks."""
    out = {}
    for m in re.finditer(r"dumping local APIC state for CPU (\d+)(.*?)PPR 0x([0-9a-f]+)", text, re.S):
        body = m.group(2)
        isr = re.search(r"^ISR\s+(.*)$", body, re.M)
        irr = re.search(r"^IRR\s+(.*)$", body, re.M)
        out[int(m.group(1))] = ([int(v) for v in isr.group(1).split() if v.isdigit()] if isr else [],
                                [int(v) for v in irr.group(1).split() if v.isdigit()] if irr else [],
                                int(m.group(3), 16))
    return out


def cpu_states(text):
    """{cpu: (halted, interrupts_enabled, rip)} from `info registers -a`."""
    out = {}
    for m in re.finditer(r"^CPU#(\d+)\s*\n(.*?)(?=^CPU#\d+|\Z)", text, re.S | re.M):
        regs = re.search(r"[RE]IP=([0-9a-f]+) [RE]FL=([0-9a-f]+) .*?HLT=(\d)", m.group(2))
        if regs:
            out[int(m.group(1))] = (regs.group(3) == "1", bool(int(regs.group(2), 16) & 0x200),
                                    regs.group(1))
    return out


def lost_eoi(text):
    """(cpu, vector, ppr, pending) for every local APIC that has a vector
    both in service and pending again while its processor priority holds
    that vector's class: a CPU that never takes that class again."""
    out = []
    for cpu, (in_service, pending, ppr) in sorted(lapics(text).items()):
        for v in in_service:
            if v in pending and ppr >= (v & 0xF0):
                out.append((cpu, v, ppr, pending))
    return out


def lost_wakeup(text):
    """(cpu, vector, ppr, rip) for every CPU halted with interrupts enabled
    while its local APIC holds a pending vector above its processor
    priority: the hardware must wake it, so a CPU still asleep on it 2 s
    later lost its wakeup (no operating system can cause that)."""
    out = []
    states = cpu_states(text)
    for cpu, (in_service, pending, ppr) in sorted(lapics(text).items()):
        halted, ie, rip = states.get(cpu, (False, False, "?"))
        if not (halted and ie):
            continue
        for v in pending:
            if v >> 4 > ppr >> 4 and v not in in_service:
                out.append((cpu, v, ppr, rip))
                break
    return out


def halted_in_service(text):
    """(cpu, vectors, rip) for every CPU halted with interrupts enabled
    while its local APIC still has a vector in service: Linux ends every
    interrupt before it halts in idle, so the emulator lost that vector's
    EOI or its delivery (the reschedule vector, 0xfd, shows so without
    being pending again, which lost_eoi() needs)."""
    out = []
    states = cpu_states(text)
    for cpu, (in_service, _, _) in sorted(lapics(text).items()):
        halted, ie, rip = states.get(cpu, (False, False, "?"))
        if halted and ie and in_service:
            out.append((cpu, tuple(in_service), rip))
    return out


def x2apic_enabled(console):
    """Whether the kernel whose boot log is @console switched its local
    APICs to x2APIC mode (Linux's "x2apic enabled" line)."""
    return bool(re.search(r"\] x2apic enabled", console))


def ended_stale_isr(console):
    """[(cpu, vector)] for every lost EOI the kernel ended at idle
    (apic_end_stale_isr, kernel-patches/0014) in @console, a kernel log,
    leaving out the ones a test made on purpose: a CPU's first ending
    after its "skipped one EOI (apic_skip_eoi)" line."""
    out = []
    skipped = set()
    for m in re.finditer(r"APIC: CPU (\d+) (?:(skipped one EOI)|entered idle with vector "
                         r"0x([0-9a-f]+) in service)", console):
        cpu = int(m.group(1))
        if m.group(2):
            skipped.add(cpu)
        elif cpu in skipped:
            skipped.discard(cpu)
        else:
            out.append((cpu, int(m.group(3), 16)))
    return out


def persistent(*readings):
    """The emulator faults seen in every one of @readings (QEMU's view of
    the CPUs, taken about a second apart): [message]. One reading is not
    evidence: `info registers` and `info lapic` are separate commands, so
    a CPU caught halted in one may have woken by the other."""
    first, rest = readings[0], readings[1:]
    msgs = []
    eoi = [lost_eoi(r) for r in rest]
    first_eoi = lost_eoi(first)
    for cpu, vec, ppr, irr in first_eoi:
        if all(any(x[:3] == (cpu, vec, ppr) for x in e) for e in eoi):
            msgs.append(f"CPU {cpu}'s local APIC lost an EOI (vector {vec} in service and "
                        f"pending again, PPR {ppr:#x}, IRR {' '.join(map(str, irr))})")
    wake = [[x[:3] for x in lost_wakeup(r)] for r in rest]
    for cpu, vec, ppr, rip in lost_wakeup(first):
        if all((cpu, vec, ppr) in w for w in wake):
            msgs.append(f"CPU {cpu} lost a wakeup (halted with interrupts on at {rip}, vector "
                        f"{vec} pending above PPR {ppr:#x} in {len(readings)} readings)")
    named = {cpu for cpu, _, _, _ in first_eoi}
    held = [[x[:2] for x in halted_in_service(r)] for r in rest]
    for cpu, vecs, rip in halted_in_service(first):
        if cpu not in named and all((cpu, vecs) in h for h in held):
            msgs.append(f"CPU {cpu}'s local APIC lost an EOI (halted with interrupts on at {rip}, "
                        f"vector {' '.join(map(str, vecs))} in service in {len(readings)} "
                        f"readings)")
    return msgs
