"""Live migration between nodes (issue 20), on
tests/system/configs/migrate.conf: guest1 (stock Debian kernel, 128 MiB,
its disk /dev/vda of its node, on the links with 10.77.0.21) starts in
node1 and writes one checksummed record a second.

  - refusals change nothing: a VM that does not exist, a target without
    room (a config where guest1 needs more RAM than node2 has), a target
    that is not a node of the config, a source the VM does not run on;
  - guest1 moves node1 -> node2 with `mintctl migrate` (disk mirrored,
    RAM and devices migrated over the links): it runs in node2, its
    heartbeat count and uptime go on (not a reboot), every record it
    acknowledged verifies on node2's disk, the longest gap in node0's
    pings of it is measured and bounded, `mintctl status` shows it under
    node2 (and "moved" under node1);
  - node1 restarted meanwhile: node0 hands it the placement, it does not
    start guest1 a second time and reports it "moved to=node2";
  - `mintctl update node2 --kernel=/boot/mint/bzImage-update
    --cmdline=...` (a second build of the node kernel, another release):
    guest1 moves to node1 (home: its placement line goes) and back, node2
    restarts on the new kernel (uname -r changes, node1's does not),
    guest1's heartbeats, uptime and records go on, the longest gap in
    node0's pings of it is bounded, status places it in node2;
  - `mintctl update node2 --cmdline='... rdinit=/nonexistent
    init=/nonexistent'` (the node's kernel runs, then finds no init:
    panic): undone, node2 starts on the config's image, guest1 comes back
    to it without a reboot, exit 1;
  - node1 force-stopped while guest1 moves to it: mintctl migrate fails
    with the reason, guest1 keeps running in node2 with its records
    intact, and the placement still says node2.
"""

import os
import re
import sys
import time

from tests.system.harness import Suite, expect, rig, start_node
from tests.rig import guests

CONFIG = os.path.join(rig.ROOT, "tests", "system", "configs", "migrate.conf")
CFG = "/etc/mint/partition.conf"
UART = {"node1": "com2", "node2": "com3"}
GUEST_ADDR = "10.77.0.21"
GUEST_TIMEOUT = 300
# the longest gap in node0's pings of the guest across a move; the guest
# is paused from QEMU's switch-over until mintctl has the target resume it
# (docs/migration.md); emulation is 10-50x slower than a server
PING_GAP_BOUND_S = 15.0
PINGER = ("while :; do if ping -c 1 -W 1 {a} >/dev/null 2>&1; then "
          "cut -d' ' -f1 /proc/uptime; fi; sleep 0.2; done > /tmp/pings.{tag} 2>&1 & "
          "echo $! > /tmp/pinger.{tag}")


def heartbeats(m, node):
    """(n, uptime, record) of the guest's heartbeats in @node's console log."""
    _, out = m.console_run(UART[node], "grep -a GUEST-HEARTBEAT /run/mint/vm/guest1/console.log "
                           "| tail -50 || true", timeout=60)
    return [(int(n), float(up), int(rec)) for n, up, rec in
            re.findall(r"GUEST-HEARTBEAT vm=guest1 n=(\d+) up=([\d.]+) rec=(\d+)", out)]


def wait_beating(m, node, after_n=0, timeout=GUEST_TIMEOUT):
    t0 = time.monotonic()
    while True:
        hb = [h for h in heartbeats(m, node) if h[0] > after_n]
        if len(hb) >= 2:
            return hb
        if time.monotonic() - t0 >= timeout:
            # the evidence (a dump of the emulated CPUs) takes seconds: only
            # when the wait has failed
            expect(False, f"guest1 not beating in {node} after heartbeat {after_n} within "
                   f"{timeout}s; {guests.stalled_guest_evidence(m, UART[node], 'guest1')}")
        time.sleep(2)


def placed(m):
    """{node: (state, detail)} of guest1 in each node's supervisor report and
    `mintctl status`'s view: the nodes whose rows list guest1 running."""
    rows = {}
    _, st = m.run("mintctl status")
    cur = None
    for line in st.splitlines():
        if line and not line.startswith(" "):
            cur = line.split()[0]
        mm = re.match(r"^\s+vm guest1 (\S+)\s*(\S*)", line)
        if mm and cur:
            rows[cur] = (mm.group(1), mm.group(2))
    return rows, st


def evidence(m, node):
    """What the VM's supervisor and QEMU in @node say about the move."""
    _, out = m.console_run(UART[node], "d=/run/mint/vm/guest1; tail -n 8 $d/migrate.log; "
                           "tail -n 5 $d/qemu.err; cat $d/migrate-error; tail -n 8 /run/mint/vmd.log",
                           timeout=60)
    return f"{node} says: {out[-1500:]!r}"


def ping_gap(m, tag):
    """The longest gap between node0's answered pings of the guest."""
    m.run(f"kill $(cat /tmp/pinger.{tag}) 2>/dev/null; sleep 0.3")
    _, out = m.run(f"cat /tmp/pings.{tag}")
    t = [float(x) for x in out.split()]
    expect(len(t) >= 5, f"node0's pings of guest1 hardly ever answered: {out!r}")
    return max(b - a for a, b in zip(t, t[1:])), len(t)


def main():
    s = Suite("migrate")
    # 64 MiB disks: every move copies the whole disk (docs/migration.md)
    m = s.machine(config=CONFIG, smp=4, mem="4G", vm_autostart=True, disk_size=64 << 20)
    last = {}

    def boot():
        m.wait_for(r"MINT-AGENT-UP", 180)
        for node in ("node1", "node2"):
            start_node(m, node, UART[node], config=CFG, wait=90)
        for node in ("node1", "node2"):
            m.wait_for(r"MINT-LINK-UP ifname=mint0", 60, log=UART[node])
        hb = wait_beating(m, "node1")
        last["hb"] = hb[-1]
        print(f"  guest1 beats in node1: n={hb[-1][0]} rec={hb[-1][2]}", flush=True)
    s.require("boot-nodes-and-guest1-in-node1", boot)

    def refusals():
        cases = [
            ("mintctl migrate node1/nosuch node2", 4, "no VM 'nosuch' in the config"),
            ("mintctl migrate node1/guest1 node9", 4, "no node 'node9' in the config"),
            ("mintctl migrate node2/guest1 node1", 4, "guest1 runs on node1, not on node2"),
            ("mintctl migrate node1/guest1 node1", 4, "runs on node1 already"),
            ("mintctl migrate node1/guest1 node0", 4, "migration is between nodes"),
            ("mintctl migrate --config=/tmp/big.conf node1/guest1 node2", 4,
             "cannot move to node2: node2 has 640M of RAM; its VMs would need 528M with vm 'guest1'"),
        ]
        # node2 (640M) holds a 400M VM in this config: 400M + 128M and the
        # 128M a node keeps do not fit
        m.run(f"cp {CFG} /tmp/big.conf; printf '%s\\n' '[vm filler]' 'node = node2' "
              "'memory = 400M' 'kernel = /boot/mint/guest/vmlinuz' 'autostart = no' "
              ">> /tmp/big.conf; mintctl check /tmp/big.conf")
        for cmd, want_rc, want in cases:
            rc, out = m.run(cmd, check=False, timeout=60)
            expect(rc == want_rc and want in out, f"{cmd}: exit {rc} (want {want_rc}), "
                   f"output lacks {want!r}: {out!r}")
        rows, st = placed(m)
        expect(rows.get("node1", ("",))[0] == "running" and "node2" not in rows,
               f"after the refusals guest1 is not (only) running under node1: {st}")
    s.check("refusals-change-nothing", refusals)

    def move(src, dst):
        before = last["hb"]
        m.run(PINGER.format(a=GUEST_ADDR, tag=dst))
        time.sleep(3)
        t0 = time.monotonic()
        rc, out = m.run(f"mintctl migrate {src}/guest1 {dst}", check=False, timeout=900)
        took = time.monotonic() - t0
        expect(rc == 0, f"mintctl migrate {src}/guest1 {dst}: exit {rc}: {out[-1500:]}; "
               f"{evidence(m, src)}; {evidence(m, dst)}")
        print("  " + out.strip().replace("\n", "\n  "), flush=True)
        hb = wait_beating(m, dst, after_n=before[0], timeout=60)
        time.sleep(3)
        gap, answered = ping_gap(m, dst)
        first = hb[0]
        print(f"  {src} -> {dst} in {took:.1f}s; heartbeat n={before[0]} up={before[1]} in {src}, "
              f"then n={first[0]} up={first[1]} in {dst}; longest ping gap {gap:.1f}s "
              f"({answered} answers)", flush=True)
        expect(first[0] > before[0] and first[1] >= before[1],
               f"guest1 restarted instead of moving: n={before[0]} up={before[1]} in {src}, "
               f"n={first[0]} up={first[1]} in {dst}")
        expect(gap <= PING_GAP_BOUND_S, f"guest1 unreachable for {gap:.1f}s across the move "
               f"(bound {PING_GAP_BOUND_S}s)")
        good, bad, holes, lastrec = guests.verify_records(m, UART[dst], "guest1")
        print(f"  guest1's disk in {dst}: {good} good records, {bad} bad, {holes} lost, "
              f"last {lastrec}", flush=True)
        expect(bad == 0 and holes == 0 and good == lastrec and lastrec >= before[2],
               f"guest1's records in {dst}: good={good} bad={bad} holes={holes} last={lastrec}, "
               f"acknowledged before the move: {before[2]}")
        rows, st = placed(m)
        expect(rows.get(dst, ("",))[0] == "running" and rows.get(src, ("",))[0] == "moved"
               and rows[src][1] == f"to={dst}",
               f"status does not show guest1 running under {dst} and moved under {src}: {st}")
        _, pl = m.run("cat /run/mint/placement 2>/dev/null || true")
        want = "guest1 node2 node1" if dst == "node2" else ""
        expect(pl.strip() == want, f"/run/mint/placement: {pl!r}, want {want!r}")
        last["hb"] = wait_beating(m, dst, after_n=first[0], timeout=60)[-1]

    s.check("move-node1-to-node2", lambda: move("node1", "node2"))

    def source_restarts():
        """node1 restarted while guest1 runs in node2: node0 hands node1
        the placement, so node1 does not start guest1 again (two QEMUs
        would write one VM's disk) and reports it moved."""
        before = last["hb"]
        since = len(m.log("com2"))
        rc, out = m.run(f"mintctl restart --config={CFG} node1", check=False, timeout=240)
        expect(rc == 0, f"mintctl restart node1: exit {rc}: {out}")
        m.wait_for(r"MINT-NODE-UP node=node1", 90, log="com2", since=since)
        m.wait_for(r"MINT-LINK-UP ifname=mint0", 60, log="com2", since=since)
        t0 = time.monotonic()
        while True:
            _, v = m.run("cat /sys/kernel/mint/node1/vms")
            if v.strip():
                break
            expect(time.monotonic() - t0 < 60, "node1's VM supervisor did not report within 60s")
            time.sleep(1)
        _, ps = m.console_run("com2", "cat /etc/mint/placement; pidof qemu-system-x86_64 || echo no-qemu")
        expect(re.match(r"^guest1 moved to=node2 ", v) and "no-qemu" in ps
               and "guest1 node2 node1" in ps,
               f"node1 after its restart: report {v!r}, placement and QEMUs {ps!r}")
        last["hb"] = wait_beating(m, "node2", after_n=before[0], timeout=60)[-1]
    s.check("restarted-source-leaves-moved-vm-alone", source_restarts)

    def update_node2():
        """mintctl update node2 onto the second kernel build (release
        -mint-update, make's bzImage-update) with another command line:
        guest1 goes to node1 and back, node2 restarts on the new kernel
        (uname -r), the guest never stops."""
        before = last["hb"]
        _, rel0 = m.console_run("com3", "uname -r")
        rel0 = rel0.strip()
        new = "nohz=off highres=off apic_end_stale_isr mint.update=1"
        image = f"--config={CFG} --kernel=/boot/mint/bzImage-update --cmdline='{new}'"
        rc, out = m.run(f"mintctl update {image} --dry-run node2", check=False)
        expect(rc == 0 and "  migrate node2/guest1 -> node1\n  stop node2\n" in out
               and "  migrate node1/guest1 -> node2" in out, f"update --dry-run: exit {rc}: {out!r}")
        since = len(m.log("com3"))
        m.run(PINGER.format(a=GUEST_ADDR, tag="update"))
        time.sleep(3)
        rc, out = m.run(f"mintctl update {image} node2", check=False, timeout=1200)
        print("  " + out.strip().replace("\n", "\n  "), flush=True)
        expect(rc == 0 and re.search(r"node2: updated in [\d.]+ s: 1 VM\(s\) away", out),
               f"mintctl update node2: exit {rc}: {out[-1500:]}; {evidence(m, 'node2')}")
        m.wait_for(r"MINT-NODE-UP node=node2 kernel=\S+-mint-update ", 5, log="com3", since=since)
        _, cl = m.console_run("com3", "uname -r; cat /proc/cmdline")
        rel, cl = (cl.strip().split("\n", 1) + [""])[:2]
        print(f"  node2: uname -r {rel0} -> {rel}", flush=True)
        expect(rel.endswith("-mint-update") and rel != rel0,
               f"node2 does not run the second kernel build: uname -r {rel0!r} -> {rel!r}")
        expect("mint.update=1" in cl, f"node2 does not run the new command line: {cl!r}")
        _, rel1 = m.console_run("com2", "uname -r")
        expect(rel1.strip() == rel0, f"node1's kernel changed too: {rel1.strip()!r}")
        hb = wait_beating(m, "node2", after_n=before[0], timeout=60)
        expect(hb[0][1] >= before[1], f"guest1 rebooted across the update: up={before[1]} "
               f"before, up={hb[0][1]} after")
        time.sleep(3)
        gap, answered = ping_gap(m, "update")
        print(f"  across the update: longest ping gap {gap:.1f}s ({answered} answers)", flush=True)
        expect(gap <= PING_GAP_BOUND_S, f"guest1 unreachable for {gap:.1f}s across the update "
               f"(bound {PING_GAP_BOUND_S}s)")
        good, bad, holes, lastrec = guests.verify_records(m, "com3", "guest1")
        expect(bad == 0 and holes == 0 and good == lastrec and lastrec >= before[2],
               f"guest1's records after the update: good={good} bad={bad} holes={holes} "
               f"last={lastrec}, acknowledged before: {before[2]}")
        rows, st = placed(m)
        expect(rows.get("node2", ("",))[0] == "running" and rows.get("node1", ("",))[0] == "moved",
               f"status after the update does not show guest1 running under node2: {st}")
        _, pl = m.run("cat /run/mint/placement")
        expect(pl.strip() == "guest1 node2 node1", f"/run/mint/placement: {pl!r}")
        last["hb"] = hb[-1]
    s.check("update-node2-guest1-keeps-running", update_node2)

    def update_falls_back():
        """an update onto an image whose userspace dies (rdinit= and init=
        /nonexistent: the node's kernel runs, then panics) is undone: node2
        starts on the config's image, guest1 comes back to it, never
        stopped."""
        before = last["hb"]
        bad = "nohz=off highres=off apic_end_stale_isr rdinit=/nonexistent init=/nonexistent"
        rc, out = m.run(f"mintctl update --config={CFG} --cmdline='{bad}' node2",
                        check=False, timeout=1200)
        print("  " + out.strip().replace("\n", "\n  "), flush=True)
        expect(rc == 1 and "node2: did not come up on the new image" in out
               and re.search(r"node2: NOT updated \(the config's image runs\) in", out),
               f"mintctl update onto a dying image: exit {rc}: {out[-1500:]}; "
               f"{evidence(m, 'node2')}")
        _, st = m.run("cat /sys/kernel/mint/node2/state")
        expect(st.strip() == "running", f"node2 is {st.strip()} after the fallback")
        _, cl = m.console_run("com3", "cat /proc/cmdline")
        expect("init=/nonexistent" not in cl and "mint.update" not in cl,
               f"node2 does not run the config's image: {cl!r}")
        hb = wait_beating(m, "node2", after_n=before[0], timeout=120)
        expect(hb[0][1] >= before[1], f"guest1 rebooted across the failed update: "
               f"up={before[1]} before, up={hb[0][1]} after")
        good, bad_, holes, lastrec = guests.verify_records(m, "com3", "guest1")
        expect(bad_ == 0 and holes == 0 and good == lastrec and lastrec >= before[2],
               f"guest1's records after the failed update: good={good} bad={bad_} "
               f"holes={holes} last={lastrec}, acknowledged before: {before[2]}")
        _, pl = m.run("cat /run/mint/placement")
        expect(pl.strip() == "guest1 node2 node1", f"/run/mint/placement: {pl!r}")
        last["hb"] = hb[-1]
    s.check("update-onto-a-dying-image-falls-back", update_falls_back)

    def target_dies():
        before = last["hb"]
        m.run("(mintctl migrate node2/guest1 node1 > /tmp/migrate.out 2>&1; "
              "echo $? > /tmp/migrate.rc) &")
        t0 = time.monotonic()
        while True:
            _, v = m.run("cat /sys/kernel/mint/node2/vms")
            if re.search(r"^guest1 migrating ", v, re.M):
                break
            expect(time.monotonic() - t0 < 240, f"guest1 never started migrating: {v!r}; "
                   f"mintctl: {m.run('cat /tmp/migrate.out')[1]!r}")
            time.sleep(0.5)
        rc, out = m.run("mintctl stop --force node1", check=False, timeout=60)
        expect(rc == 0, f"mintctl stop --force node1: exit {rc}: {out}")
        t0 = time.monotonic()
        while True:
            rc, out = m.run("cat /tmp/migrate.rc 2>/dev/null || true")
            if out.strip():
                break
            expect(time.monotonic() - t0 < 120, "mintctl migrate did not end within 120s of "
                   f"node1's forced stop: {m.run('cat /tmp/migrate.out')[1]!r}")
            time.sleep(1)
        _, mo = m.run("cat /tmp/migrate.out")
        print("  " + mo.strip().replace("\n", "\n  "), flush=True)
        expect(out.strip() == "1" and "the migration to node1 failed: node1 stopped running" in mo,
               f"mintctl migrate with node1 stopped half-way: exit {out.strip()}: {mo!r}")
        hb = wait_beating(m, "node2", after_n=before[0], timeout=90)
        _, v = m.run("cat /sys/kernel/mint/node2/vms")
        expect(re.search(r"^guest1 running ", v, re.M), f"guest1 is not running in node2: {v!r}")
        good, bad, holes, lastrec = guests.verify_records(m, "com3", "guest1")
        expect(bad == 0 and holes == 0 and good == lastrec and lastrec >= hb[-1][2],
               f"guest1's records after the failed move: good={good} bad={bad} holes={holes} "
               f"last={lastrec}")
        rows, st = placed(m)
        expect(rows.get("node2", ("",))[0] == "running", f"status lost guest1 in node2: {st}")
        _, pl = m.run("cat /run/mint/placement 2>/dev/null || true")
        expect(pl.strip() == "guest1 node2 node1",
               f"a failed move changed /run/mint/placement: {pl!r}")
    s.check("target-force-stopped-mid-move", target_dies)
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
