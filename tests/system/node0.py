"""S0 + node0 as a KVM host.

Boots node0 on the emulated machine (4 vCPUs, 4 GiB) with configs/demo.conf,
whose reservations come from `mintctl bootargs`, and checks:
  - 4 CPUs online; /dev/kvm present;
  - no_ipi_broadcast=1 on the command line and "IPI shorthand broadcast:
    disabled" in dmesg;
  - every memmap=SIZE$BASE reservation is a Reserved range in /proc/iomem;
  - the config passes `mintctl check --system` inside node0;
  - CPU 3 goes offline and online again and runs work;
  - CPU 3 made to skip one EOI (the emulator's lost EOI, on purpose) ends
    the stale vector when it enters idle and keeps ticking;
  - the stock Debian guest boots under node0's KVM: node0's VM supervisor
    starts guest0 of the config (autostart) pinned to CPU 1, the one CPU
    node0 keeps besides CPU 0 (nodes take 2 and 3); marker with Debian's
    `uname -r` (not ours), "Hypervisor detected: KVM", KVM reports the VM in
    debugfs while it runs, `mintctl status` lists it under node0, and its
    heartbeat advances;
  - a guest given a disk image (a file in node0's tmpfs, `mint-vm --disk`,
    the config's `disk =`) sees it as NVMe, writes its checksummed records
    into the file and re-reads them all intact.
"""

import os
import re
import sys
import time

from tests.system.harness import Suite, expect, rig
from tests.rig import apic, guests

CONFIG = os.path.join(rig.ROOT, "configs", "demo.conf")
GUEST_BOOT_TIMEOUT = 300  # ~15 s measured; emulation is noisy, keep it finite


def parse_memmap(bootargs):
    out = []
    for m in re.finditer(r"memmap=(\d+)([KMG])\$0x([0-9a-f]+)", bootargs):
        size = int(m.group(1)) << {"K": 10, "M": 20, "G": 30}[m.group(2)]
        base = int(m.group(3), 16)
        out.append((base, base + size - 1))
    return out


def main():
    s = Suite("node0")
    m = s.machine(config=CONFIG, smp=4, mem="4G", vm_autostart=True)
    bootargs = rig.mintctl_bootargs(CONFIG)

    s.require("boots", lambda: m.wait_for(r"MINT-AGENT-UP", 180))

    def cpus():
        _, out = m.run("cat /sys/devices/system/cpu/online")
        expect(out.strip() == "0-3", f"online CPUs are '{out.strip()}', expected 0-3")
    s.check("four-cpus-online", cpus)

    def kvm():
        m.run("test -c /dev/kvm")
        _, out = m.run("dmesg | grep -E 'kvm_amd: (Nested Paging enabled|.*)' | head -5")
        expect("Nested Paging enabled" in out, f"kvm_amd did not enable nested paging: {out!r}")
    s.check("dev-kvm", kvm)

    def ipi():
        _, cmdline = m.run("cat /proc/cmdline")
        expect("no_ipi_broadcast=1" in cmdline.split(), f"no_ipi_broadcast=1 missing: {cmdline}")
        rc, _ = m.run("dmesg | grep -q 'IPI shorthand broadcast: disabled'", check=False)
        expect(rc == 0, "dmesg lacks 'IPI shorthand broadcast: disabled'")
    s.check("ipi-broadcast-disabled", ipi)

    def x2apic():
        """x2apic_noir (kernel-patches/0035): x2APIC mode without interrupt
        remapping, so no EOI goes through the emulator's xAPIC MMIO page."""
        log = m.log()
        expect("x2apic: without IRQ remapping (x2apic_noir)" in log and apic.x2apic_enabled(log),
               "node0's log lacks the x2apic_noir or the 'x2apic enabled' line: its APICs are "
               "in xAPIC mode")
        _, out = m.run("dmesg | grep -c 'APIC routing to: physical x2apic' || true")
        expect(out.strip() == "1", f"node0 does not route in x2APIC physical mode: {out!r}")
    s.check("x2apic-without-remapping", x2apic)

    def no_sleep_states():
        """node0 has no way to suspend or hibernate the machine under its
        nodes: its kernel has no sleep states (configs/kernel/base.config)."""
        _, out = m.run("cat /sys/power/state 2>/dev/null; "
                       "test -e /sys/kernel/kexec_crash_loaded && echo crash-loadable; true")
        expect(out.strip() == "", f"node0 offers sleep states or a crash kernel: {out.strip()!r}")
    s.check("no-sleep-states-no-crash-kernel", no_sleep_states)

    def reservations():
        ranges = parse_memmap(bootargs)
        expect(len(ranges) == 3, f"expected 3 memmap= reservations in '{bootargs}'")
        _, cmdline = m.run("cat /proc/cmdline")
        expect(bootargs in cmdline, f"node0 did not boot with the config's bootargs: {cmdline}")
        _, iomem = m.run("cat /proc/iomem")
        reserved = [(int(a, 16), int(b, 16)) for a, b in
                    re.findall(r"^([0-9a-f]+)-([0-9a-f]+) : Reserved$", iomem, re.M)]
        for lo, hi in ranges:
            expect(any(a <= lo and hi <= b for a, b in reserved),
                   f"{lo:#x}-{hi:#x} is not inside a top-level Reserved range of /proc/iomem")
            _, out = m.run("grep -i 'System RAM' /proc/iomem | grep -v '^ '")
            for a, b in re.findall(r"^([0-9a-f]+)-([0-9a-f]+) : System RAM$", out, re.M):
                expect(int(b, 16) < lo or int(a, 16) > hi,
                       f"{lo:#x}-{hi:#x} overlaps node0's System RAM {a}-{b}")
    s.check("memmap-reserved", reservations)

    def config_ok():
        m.wait_for(r"MINT-CONFIG-OK demo", 10)
    s.check("config-check-system", config_ok)

    def hotplug():
        m.run("echo 0 > /sys/devices/system/cpu/cpu3/online")
        _, out = m.run("cat /sys/devices/system/cpu/online /sys/devices/system/cpu/offline")
        expect(out.split() == ["0-2", "3"], f"after offlining CPU 3: {out.split()}")
        m.run("echo 1 > /sys/devices/system/cpu/cpu3/online")
        _, out = m.run("cat /sys/devices/system/cpu/online; taskset -c 3 sh -c 'grep -c ^processor /proc/cpuinfo'")
        expect(out.split()[0] == "0-3", f"CPU 3 did not come back: {out}")
    s.check("cpu3-offline-online", hotplug)

    def loc(cpu):
        _, out = m.run("grep LOC: /proc/interrupts")
        return int(out.split()[1 + cpu])

    def lost_eoi_ended():
        # The emulator's lost EOI made on purpose (kernel-patches/0014):
        # CPU 3 skips the EOI of its next interrupt, which leaves the
        # timer vector in service and the CPU without its tick, exactly
        # the state QEMU's fault leaves (docs/timings.md). With
        # apic_end_stale_isr on node0's command line (tests/rig/machine.py)
        # the CPU ends it when it enters idle and keeps ticking; without
        # it, the commands below time out and the rig names the lost EOI.
        m.run("taskset -c 3 sh -c 'echo 1 > /sys/kernel/debug/x86/apic_skip_eoi'", timeout=30)
        _, out = m.run("dmesg | grep -E 'APIC: CPU 3 (skipped one EOI|entered idle with vector)'")
        expect(re.search(r"skipped one EOI.*\n.*CPU 3 entered idle with vector 0x[0-9a-f]+ in service",
                         out), f"CPU 3 skipped an EOI but did not end it at idle: {out!r}")
        first = loc(3)
        m.run("timeout 20 taskset -c 3 sleep 1", timeout=40)
        ticks = loc(3) - first
        expect(ticks >= 25, f"CPU 3 took {ticks} timer interrupts in a 1 s sleep on it "
                            f"(a periodic tick: about 250)")
        return ticks
    s.check("lost-eoi-ended-at-idle", lost_eoi_ended)

    def guest():
        _, release = m.run("cat /boot/mint/guest/release")
        _, ours = m.run("uname -r")
        # started by node0's supervisor (mint-vmd) from the config
        deadline = time.monotonic() + GUEST_BOOT_TIMEOUT
        t0 = time.monotonic()
        marker = None
        while time.monotonic() < deadline:
            _, out = m.run("cat /run/mint/vm/guest0/console.log 2>/dev/null | grep GUEST-MARKER; "
                           "mint-vm list")
            mm = re.search(r"GUEST-MARKER vm=guest0 uname=(\S+) hypervisor=(\S+)", out)
            if mm:
                marker = mm
                break
            expect("guest0 running" in out or "guest0" not in out,
                   f"guest QEMU exited before its marker: {out}")
            time.sleep(2)
        if not marker:
            _, tail = m.run("cat /run/mint/vmd.log; tail -5 /run/mint/vm/guest0/console.log; "
                            "cat /run/mint/vm/guest0/qemu.err", check=False)
            expect(False, f"no GUEST-MARKER within {GUEST_BOOT_TIMEOUT}s; last lines: {tail}")
        print(f"  guest marker after {time.monotonic() - t0:.1f}s: {marker.group(0)}", flush=True)
        expect(marker.group(1) == release.strip(),
               f"guest uname -r {marker.group(1)} is not the Debian kernel {release.strip()}")
        expect(marker.group(1) != ours.strip(), "guest runs our kernel, not Debian's")
        expect(marker.group(2) == "KVM", f"guest sees hypervisor '{marker.group(2)}', not KVM")
        _, out = m.run("cat /run/mint/vm/guest0/pid; ls /sys/kernel/debug/kvm/")
        pid = out.split()[0]
        expect(any(d.startswith(pid + "-") for d in out.split()[1:]),
               f"KVM debugfs shows no VM of QEMU pid {pid}: {out.split()[1:]}")
        _, out = m.run(f"taskset -pc {pid}")
        expect(out.strip().endswith(": 1"),
               f"guest0's QEMU is not pinned to CPU 1 (node0 keeps 0-1, CPU 0 excluded): {out!r}")
        _, st = m.run("mintctl status")
        print("  " + st.strip().replace("\n", "\n  "), flush=True)
        expect(re.search(r"^node0 .*\n  vm guest0 running pid=" + pid + " ", st, re.M),
               f"mintctl status does not list guest0 running under node0: {st}")
    s.check("debian-guest-under-kvm", guest)

    def heartbeat():
        def last():
            _, out = m.run("grep GUEST-HEARTBEAT /run/mint/vm/guest0/console.log | tail -1")
            mm = re.search(r"n=(\d+)", out)
            expect(mm, f"no heartbeat line: {out!r}")
            return int(mm.group(1))
        a = last()
        time.sleep(5)
        b = last()
        expect(b > a, f"heartbeat did not advance in 5 s ({a} -> {b})")
    s.check("guest-heartbeat-advances", heartbeat)

    class Node0Shell:
        """guests.verify_records() through node0's control channel."""
        def console_run(self, where, script, timeout=60):
            return m.run(script, timeout=timeout, check=False)

    def disk_image():
        img = "/tmp/guest0d.img"
        m.run(f"truncate -s 64M {img} && mint-vm start guest0d --kernel /boot/mint/guest/vmlinuz "
              f"--initrd /boot/mint/guest/initrd.gz --cmdline console=ttyS0 --disk {img} --cpus 2")
        log = "/run/mint/vm/guest0d/console.log"
        deadline = time.monotonic() + GUEST_BOOT_TIMEOUT
        rec = 0
        while rec < 3:
            _, out = m.run(f"grep -a -m1 GUEST-MARKER {log}; grep -a GUEST-HEARTBEAT {log} | tail -1; "
                           "mint-vm list", check=False)
            mm = re.search(r"rec=(\d+)", out)
            rec = int(mm.group(1)) if mm else 0
            if "GUEST-MARKER" in out:
                expect("disk=/dev/vda" in out, f"guest0d does not see its image as a virtio disk: {out!r}")
            expect(time.monotonic() < deadline and ("guest0d running" in out or "guest0d" not in out),
                   f"guest0d wrote no 3 records in {GUEST_BOOT_TIMEOUT}s: {out[-600:]!r}")
            time.sleep(2)
        good, bad, holes, last = guests.verify_records(Node0Shell(), "node0", "guest0d")
        print(f"  guest0d's image: {good} good records, {bad} bad, {holes} lost", flush=True)
        expect(bad == 0 and holes == 0 and good == last and last >= rec,
               f"guest0d's records: good={good} bad={bad} holes={holes} last={last}, "
               f"heartbeat named {rec}")
        _, n = m.run(f"grep -a -c guest0d {img} || true")
        expect(int(n.strip() or 0) >= 1, f"no record of guest0d in the image file {img}")
        m.run("mint-vm stop guest0d")
    s.check("guest-disk-image-file", disk_image)

    sys.exit(s.finish())


if __name__ == "__main__":
    main()
