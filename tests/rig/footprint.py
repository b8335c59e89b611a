# SPDX-License-Identifier: GPL-2.0
"""The shared-hardware footprint of a node (issue 14 item 13, ARCHITECTURE
stage S2): what the CPUs of a node touched outside RAM, read from QEMU's
memory-region access trace (`memory_region_ops_read/write` events, the
"log" trace backend, one line per access with the CPU, the absolute
address and the region's name). Pure functions of that text.

A node's CPU may touch only
  - its own UART (the 8 ports at its console's I/O base),
  - its local APIC (the 4 KiB page at 0xfee00000); an IPI it sends (a
    write of the ICR's low half) must name a destination APIC ID of the
    node, in physical mode, or be sent to itself (never "all" or "all but
    self"),
  - its own PCI functions: their BARs (MSI-X tables included) and their
    configuration space through ECAM.
Everything else is a violation: another UART, the IOAPIC, HPET, PIT, the
PIC, the RTC, the legacy PCI configuration ports, another node's or
node0's devices, the firmware's interfaces.
"""

import re

APIC_BASE, APIC_SIZE = 0xFEE00000, 0x1000
ICR_LO, ICR_HI = APIC_BASE + 0x300, APIC_BASE + 0x310
ECAM_BASE, ECAM_SIZE = 0xB0000000, 0x10000000
SHORTHANDS = {1: "self", 2: "all including self", 3: "all but self"}

LINE = re.compile(r"memory_region_ops_(read|write) cpu (-?\d+) mr 0x[0-9a-f]+ addr 0x([0-9a-f]+) "
                  r"value 0x([0-9a-f]+) size (\d+) name '([^']*)'")


def accesses(trace):
    """[(kind, cpu, addr, value, size, name)] of every access in @trace."""
    return [(m.group(1), int(m.group(2)), int(m.group(3), 16), int(m.group(4), 16),
             int(m.group(5)), m.group(6)) for m in LINE.finditer(trace)]


def bars(resource):
    """[(start, end)] of the assigned regions in a PCI function's sysfs
    `resource` file (one "start end flags" line per BAR, zeros when unused)."""
    out = []
    for line in resource.splitlines():
        f = line.split()
        if len(f) == 3 and int(f[0], 16) and int(f[1], 16):
            out.append((int(f[0], 16), int(f[1], 16)))
    return out


def ecam_function(addr):
    """(bus, device, function) an ECAM address configures."""
    off = addr - ECAM_BASE
    return (off >> 20) & 0xFF, (off >> 15) & 0x1F, (off >> 12) & 0x7


def classify(acc, node):
    """What access @acc is for @node, a dict with uart (I/O base), apic_ids
    (set), functions (set of (bus, dev, fn)) and bars ([(start, end)]):
    (region, problem or None)."""
    kind, _, addr, value, _, name = acc
    if name == "serial" and node["uart"] <= addr < node["uart"] + 8:
        return "own UART", None
    if APIC_BASE <= addr < APIC_BASE + APIC_SIZE and name == "apic-msi":
        return "local APIC", None
    if ECAM_BASE <= addr < ECAM_BASE + ECAM_SIZE:
        fn = ecam_function(addr)
        if fn in node["functions"]:
            return "own PCI config", None
        return "PCI config", f"{kind} of PCI function {fn[0]:02x}:{fn[1]:02x}.{fn[2]}'s config space"
    for start, end in node["bars"]:
        if start <= addr <= end:
            return f"own device ({name})", None
    return name, f"{kind} of '{name}' at {addr:#x}"


def ipi_problem(value, dest, apic_ids):
    """The problem with an ICR low write of @value after an ICR high write
    of @dest (None if none): IPIs leave the node never."""
    shorthand = (value >> 18) & 3
    if shorthand == 1:
        return None  # to itself
    if shorthand:
        return f"IPI with the '{SHORTHANDS[shorthand]}' shorthand (ICR {value:#x})"
    if value & (1 << 11):
        return f"IPI in logical destination mode (ICR {value:#x}, destination {dest:#x})"
    if dest not in apic_ids:
        return f"IPI to APIC ID {dest} outside the node (ICR {value:#x})"
    return None


def footprint(trace, node):
    """({region: count}, [problem]) of the accesses in @trace by @node's
    CPUs (node["cpus"], QEMU's CPU indexes, equal to their APIC IDs on the
    emulated machine) while they belong to the node: a CPU belongs to it
    from a STARTUP IPI to it (node0's to the node's first CPU, the node's
    to its others) until an INIT IPI to it from a CPU outside the node
    (node0 stopping it); before and after, it is node0's. The IPIs are
    writes of the xAPIC's ICR, which the trace shows. A trace must not
    go on past a CPU's return to node0: node0's STARTUP IPI that brings
    it online again would read as a node's start. Problems are listed
    once per kind with their count."""
    counts, problems, dest = {}, {}, {}
    owned = set()
    for acc in accesses(trace):
        kind, cpu, addr, value, _, _ = acc
        if kind == "write" and addr == ICR_HI and cpu >= 0:
            dest[cpu] = value >> 24
        if kind == "write" and addr == ICR_LO and cpu >= 0 and not (value >> 18) & 3:
            mode, to = (value >> 8) & 7, dest.get(cpu, -1)
            if mode == 6 and to in node["cpus"]:
                owned.add(to)
            elif mode == 5 and cpu not in owned:
                owned.discard(to)
        if cpu not in owned:
            continue
        region, problem = classify(acc, node)
        counts[region] = counts.get(region, 0) + 1
        if region == "local APIC" and kind == "write" and addr == ICR_LO:
            counts["IPIs sent"] = counts.get("IPIs sent", 0) + 1
            problem = ipi_problem(value, dest.get(cpu, -1), node["apic_ids"])
        if problem:
            key = f"CPU {cpu}: {problem}"
            problems[key] = problems.get(key, 0) + 1
    return counts, [f"{p} (x{n})" if n > 1 else p for p, n in problems.items()]
