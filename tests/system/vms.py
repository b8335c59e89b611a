"""S8 + S9: KVM in every node (tests/system/configs/vms.conf: node1 runs
guest1 and guest1b (restart on-failure), node2 runs guest2 with node2's
disk, all started by the nodes' VM supervisors from the partition config
that `mintctl start` hands over).

  S8  in node1 kvm_amd is loaded and /dev/kvm works; the stock Debian guest
      boots under KVM (not TCG) and prints its marker; `mintctl status`
      shows node1's guest1 running; each QEMU runs the config's CPU model
      (guest1 the default qemu64, guest2 its cpu_model qemu64,+erms).
  -   guest2 writes checksummed records to its disk (virtio-blk in the guest,
      node2's virtio disk below) and re-reads them all intact.
  -   killing guest1's QEMU in node1 is reported as crashed with a reason;
      guest1b and node2's guest2 go on.
  -   a guest kernel panic and then a real triple fault in guest1b are each
      reported with their reason, and guest1b is restarted by its policy;
      guest2 goes on. Then guest1b powers itself off: reported as exited
      (guest-poweroff), and not restarted (its policy is on-failure); it is
      started again by hand for S9.
  -   mintctl vm stop node2/guest2 from node0: guest2 stopped by-request and
      not restarted; mintctl vm start node2/guest2: running, a new marker,
      heartbeats again (before S9, which needs guest2).
  S9  guest1 (node1) and guest2 (node2) run at the same time with advancing
      heartbeats; a forced stop of node1 with its guests running leaves
      guest2 running with no heartbeat gap longer than GAP_BOUND_S and no
      record lost or corrupted.
"""

import os
import re
import sys
import time

from tests.system.harness import Suite, expect, rig, start_node
from tests.rig import guests

CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs", "vms.conf")
CFG = "/etc/mint/partition.conf"
GUEST_TIMEOUT = 300
GAP_BOUND_S = 10.0  # guest heartbeat every 1 s; emulation jitter is large


def marker(m, uart, vm):
    try:
        _, out = m.console_run(uart, f"grep -m1 GUEST-MARKER /run/mint/vm/{vm}/console.log || true")
    except rig.ConsoleGarbled:
        return None  # typed before a restarted node's shell was up: ask again
    return re.search(r"GUEST-MARKER vm=(\S+) uname=(\S+) hypervisor=(\S+)", out)


def heartbeats(m, uart, vm):
    """(n, guest uptime) of every heartbeat line the guest printed."""
    _, out = m.console_run(uart, f"grep GUEST-HEARTBEAT /run/mint/vm/{vm}/console.log | tail -200",
                           timeout=60)
    return [(int(a), float(b)) for a, b in re.findall(r"n=(\d+) up=([\d.]+)", out)]


def vm_lines(m, node):
    _, st = m.run(f"cat /sys/kernel/mint/{node}/vms")
    return st


def wait_vm_line(m, node, pattern, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        st = vm_lines(m, node)
        if re.search(pattern, st, re.M):
            return st
        expect(time.monotonic() < deadline, f"{what}: no line /{pattern}/ in {timeout}s: {st!r}")
        time.sleep(1)


def last_record(m, uart, vm):
    _, out = m.console_run(uart, f"grep GUEST-HEARTBEAT /run/mint/vm/{vm}/console.log | tail -1")
    mm = re.search(r"rec=(\d+)", out)
    expect(mm, f"{vm}'s heartbeat names no disk record: {out!r}")
    return int(mm.group(1))


def main():
    s = Suite("vms")
    m = s.machine(config=CONFIG, smp=4, mem="4G", vm_autostart=True)

    def boot():
        m.wait_for(r"MINT-AGENT-UP", 180)
        for node, uart in (("node1", "com2"), ("node2", "com3")):
            start_node(m, node, uart, config=CFG, wait=60)
    s.require("boot-and-start-nodes", boot)

    def s8():
        _, out = m.console_run("com2", "test -c /dev/kvm && echo kvm-ok; "
                               "dmesg | grep -c 'kvm_amd: Nested Paging enabled'")
        expect(out.split()[:2] == ["kvm-ok", "1"], f"node1's KVM: {out!r}")
        t0 = time.monotonic()
        found = {}
        while time.monotonic() - t0 < GUEST_TIMEOUT and len(found) < 3:
            for uart, vm in (("com2", "guest1"), ("com2", "guest1b"), ("com3", "guest2")):
                if vm not in found:
                    mk = marker(m, uart, vm)
                    if mk:
                        found[vm] = mk
                        print(f"  {vm}: marker after {time.monotonic() - t0:.0f}s: "
                              f"uname={mk.group(2)} hypervisor={mk.group(3)}", flush=True)
            time.sleep(3)
        expect(len(found) == 3, f"guests without a marker after {GUEST_TIMEOUT}s: "
               f"{sorted({'guest1', 'guest1b', 'guest2'} - set(found))}")
        for vm, mk in found.items():
            expect(mk.group(3) == "KVM", f"{vm} runs under {mk.group(3)}, not KVM")
            expect("deb12" in mk.group(2), f"{vm} is not the stock Debian kernel: {mk.group(2)}")
        for uart, vm, model in (("com2", "guest1", "qemu64"), ("com3", "guest2", "qemu64,+erms")):
            _, out = m.console_run(uart, f"tr '\\0' ' ' < /proc/$(cat /run/mint/vm/{vm}/pid)/cmdline; echo")
            expect(f" -cpu {model} " in out, f"{vm}'s QEMU does not run -cpu {model}: {out!r}")
        _, st = m.run("mintctl status")
        print("  " + st.strip().replace("\n", "\n  "), flush=True)
        expect(re.search(r"^  vm guest1 running", st, re.M), f"status does not show guest1 running: {st}")
        expect(re.search(r"^  vm guest2 running", st, re.M), f"status does not show guest2 running: {st}")
    s.require("s8-debian-guests-under-node-kvm", s8)

    def vm_console():
        rc, out = m.run("mintctl console --timeout=8 node2/guest2 < /dev/null", check=False)
        expect(rc == 0 and "GUEST-HEARTBEAT vm=guest2" in out,
               f"mintctl console node2/guest2 shows no guest output: exit {rc}: {out[-500:]!r}")
    s.check("console-reaches-guest2-in-node2", vm_console)

    def disk_records():
        _, out = m.console_run("com3", "grep -m1 GUEST-MARKER /run/mint/vm/guest2/console.log")
        expect("disk=/dev/vda" in out, f"guest2 sees no virtio disk: {out!r}")
        # its control port is polled: a command cannot wait behind a lost
        # interrupt (docs/timings.md, "Flake classes")
        _, out = m.console_run("com3", "grep -a -m1 GUEST-CONTROL /run/mint/vm/guest2/console.log")
        expect(re.search(r"GUEST-CONTROL vm=guest2 port=ttyS1 irq=\d+->0$", out.strip()),
               f"guest2's control port is not polled: {out!r}")
        r1 = last_record(m, "com3", "guest2")
        time.sleep(4)
        r2 = last_record(m, "com3", "guest2")
        expect(r2 > r1, f"guest2's records do not advance: {r1} then {r2}")
        good, bad, holes, last = guests.verify_records(m, "com3", "guest2")
        print(f"  guest2's disk: {good} good records, {bad} bad, {holes} lost", flush=True)
        expect(bad == 0 and holes == 0 and good == last and last >= r2,
               f"guest2's records: good={good} bad={bad} holes={holes} last={last}, "
               f"heartbeat named {r2}")
    s.check("guest-disk-records-intact", disk_records)

    def kill_qemu():
        m.console_run("com2", "kill -9 $(cat /run/mint/vm/guest1/pid)")
        deadline = time.monotonic() + 30
        while True:
            _, st = m.run("cat /sys/kernel/mint/node1/vms")
            if re.search(r"^guest1 crashed qemu-killed-by-signal-9", st, re.M):
                break
            expect(time.monotonic() < deadline, f"guest1's death not reported: {st!r}")
            time.sleep(1)
        expect(re.search(r"^guest1b running", st, re.M), f"guest1b did not go on: {st!r}")
        h1 = heartbeats(m, "com2", "guest1b")
        h2 = heartbeats(m, "com3", "guest2")
        time.sleep(5)
        expect(heartbeats(m, "com2", "guest1b")[-1][0] > h1[-1][0], "guest1b's heartbeat stopped")
        expect(heartbeats(m, "com3", "guest2")[-1][0] > h2[-1][0], "guest2's heartbeat stopped")
        _, st = m.run("mintctl status")
        expect(re.search(r"^  vm guest1 crashed qemu-killed-by-signal-9", st, re.M),
               f"mintctl status does not show why guest1 died: {st}")
    s.check("killed-qemu-reported-others-go-on", kill_qemu)

    def guest_fault(fault, reason, restarts):
        h2 = heartbeats(m, "com3", "guest2")
        _, out = m.console_run("com2", f"mint-vm inject guest1b {fault}")
        expect(f"sent '{fault}'" in out, f"mint-vm inject guest1b {fault}: {out!r}")
        st = wait_vm_line(m, "node1", rf"^guest1b running pid=\d+ restarts={restarts} last={reason}$",
                          90, f"guest1b's {fault}")
        print(f"  after {fault}: {st.strip()!r}", flush=True)
        expect(re.search(r"^guest1 crashed qemu-killed-by-signal-9", st, re.M),
               f"guest1's state changed: {st!r}")
        t0 = time.monotonic()
        while marker(m, "com2", "guest1b") is None:
            expect(time.monotonic() - t0 < GUEST_TIMEOUT, f"restarted guest1b printed no marker "
                   f"in {GUEST_TIMEOUT}s")
            time.sleep(3)
        print(f"  guest1b back to its marker {time.monotonic() - t0:.0f}s after the restart",
              flush=True)
        expect(heartbeats(m, "com3", "guest2")[-1][0] > h2[-1][0],
               f"guest2's heartbeat stopped during guest1b's {fault}")

    s.check("guest-panic-reported-and-restarted",
            lambda: guest_fault("panic", "guest-kernel-panic", 1))
    s.check("guest-triple-fault-reported-and-restarted",
            lambda: guest_fault("triple-fault", "guest-triple-fault", 2))

    def guest_poweroff():
        h2 = heartbeats(m, "com3", "guest2")
        _, out = m.console_run("com2", "mint-vm inject guest1b poweroff")
        expect("sent 'poweroff'" in out, f"mint-vm inject guest1b poweroff: {out!r}")
        line = r"^guest1b exited guest-poweroff restarts=2 last=guest-triple-fault$"
        st = wait_vm_line(m, "node1", line, 60, "guest1b's poweroff")
        time.sleep(5)
        st = vm_lines(m, "node1")
        expect(re.search(line, st, re.M),
               f"guest1b did not stay exited (restart = on-failure): {st!r}")
        _, st = m.run("mintctl status")
        expect(re.search(r"^  vm guest1b exited guest-poweroff ", st, re.M),
               f"mintctl status does not show guest1b exited: {st}")
        expect(heartbeats(m, "com3", "guest2")[-1][0] > h2[-1][0],
               "guest2's heartbeat stopped during guest1b's poweroff")
        # the operator starts it again, so node1 runs a guest for S9 (which
        # waits for its marker: it boots while guest2 stops and starts)
        _, out = m.console_run("com2", "mint-vm start guest1b --memory 192M "
                               "--kernel /boot/mint/guest/vmlinuz "
                               "--initrd /boot/mint/guest/initrd.gz --cmdline console=ttyS0")
        expect("started 'guest1b'" in out, f"mint-vm start guest1b: {out!r}")
        wait_vm_line(m, "node1", r"^guest1b running pid=\d+ ", 30, "guest1b started again")
    s.check("guest-poweroff-exited-not-restarted", guest_poweroff)

    def vm_verbs_from_node0():
        # mintctl vm in node0 drives guest2 through node2's supervisor: a VM
        # stopped on request stays stopped; a start brings it back (S9 needs
        # guest2 running, so this runs before it and waits for heartbeats)
        rc, out = m.run("mintctl vm stop --timeout=60 node2/guest2", check=False)
        expect(rc == 0, f"mintctl vm stop node2/guest2: exit {rc}: {out}")
        wait_vm_line(m, "node2", r"^guest2 stopped by-request ", 10, "guest2 stopped on request")
        time.sleep(5)
        st = vm_lines(m, "node2")
        expect(re.search(r"^guest2 stopped by-request ", st, re.M),
               f"guest2 did not stay stopped after mintctl vm stop: {st!r}")
        _, out = m.run("mintctl vm status node2/guest2")
        expect(out.strip().startswith("guest2 stopped by-request"),
               f"mintctl vm status node2/guest2: {out!r}")
        rc, out = m.run("mintctl vm start --timeout=60 node2/guest2", check=False)
        expect(rc == 0, f"mintctl vm start node2/guest2: exit {rc}: {out}")
        wait_vm_line(m, "node2", r"^guest2 running pid=\d+ ", 10, "guest2 started on request")
        t0 = time.monotonic()
        # mint-vm start cleared the console log: a marker now is a new one
        while marker(m, "com3", "guest2") is None:
            expect(time.monotonic() - t0 < GUEST_TIMEOUT, f"guest2 started by mintctl vm printed "
                   f"no marker in {GUEST_TIMEOUT}s")
            time.sleep(3)
        while len(heartbeats(m, "com3", "guest2")) < 3:
            expect(time.monotonic() - t0 < GUEST_TIMEOUT, "guest2's heartbeat did not resume")
            time.sleep(2)
        print(f"  guest2 back through mintctl vm start, heartbeat after "
              f"{time.monotonic() - t0:.0f}s", flush=True)
    s.check("mintctl-vm-stop-start-guest2", vm_verbs_from_node0)

    def s9():
        t0 = time.monotonic()
        while marker(m, "com2", "guest1b") is None:
            expect(time.monotonic() - t0 < GUEST_TIMEOUT, f"guest1b started again printed no "
                   f"marker in {GUEST_TIMEOUT}s")
            time.sleep(3)
        st = vm_lines(m, "node1")
        expect(re.search(r"^guest1b running ", st, re.M),
               f"node1 runs no guest before its forced stop: {st!r}")
        before = heartbeats(m, "com3", "guest2")
        t0 = time.monotonic()
        rc, out = m.run("mintctl stop --force node1", check=False)
        expect(rc == 0, f"forced stop of node1 with guests running: exit {rc}: {out}")
        time.sleep(15)
        after = heartbeats(m, "com3", "guest2")
        window = [h for h in after if h[0] >= before[-1][0]]
        gaps = [b[1] - a[1] for a, b in zip(window, window[1:])]
        expect(len(window) >= 5, f"guest2 printed only {len(window)} heartbeats in "
               f"{time.monotonic() - t0:.0f}s after node1's forced stop")
        print(f"  guest2 across node1's forced stop: {len(window)} heartbeats, "
              f"largest gap {max(gaps):.2f}s (bound {GAP_BOUND_S}s)", flush=True)
        expect(max(gaps) <= GAP_BOUND_S, f"guest2's heartbeat gap {max(gaps):.1f}s > {GAP_BOUND_S}s")
        _, st = m.run("cat /sys/kernel/mint/node1/state /sys/kernel/mint/node2/state")
        expect(st.split() == ["stopped", "running"], f"states after the stop: {st.split()}")
        acked = last_record(m, "com3", "guest2")
        good, bad, holes, last = guests.verify_records(m, "com3", "guest2")
        print(f"  guest2's disk after node1's forced stop: {good} good, {bad} bad, {holes} lost",
              flush=True)
        expect(bad == 0 and holes == 0 and good == last and last >= acked,
               f"guest2's records after node1's stop: good={good} bad={bad} holes={holes} "
               f"last={last}, acknowledged {acked}")
    s.check("s9-forced-stop-of-node1-leaves-node2-guest", s9)

    sys.exit(s.finish())


if __name__ == "__main__":
    main()
