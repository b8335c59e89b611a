"""Links between kernels over shared memory (issue 19), on
tests/system/configs/links.conf: node1 and node2 have no device of their
own, only a 4 MiB link region each to node0; node0's bridge mintbr0 has
10.77.0.1, node1 10.77.0.11, node2 10.77.0.12, node1's guest1 10.77.0.21.

  - both links come up at the nodes' start; no node has a NIC;
  - node0 pings each node, each node pings node0 and the other node;
  - ssh from node0 (dbclient with node0's key, installed at the start)
    runs a command in each node; mintctl status shows the links;
  - 64 MiB of random data go node0 -> node1 (ssh) -> node2 (nc) and
    arrive with the same SHA-256;
  - a guest of node1 attached to the link (net = mint) is reached by node0;
  - node1 writes random indices and records into its region (debugfs
    mint_link_fuzz) while node0 receives from it: node0 counts errors,
    resets the link, logs no oops or warning; node2's link never notices;
    node1's link works again;
  - node1 force-stopped and node2 panicking, each in the middle of a
    transfer from node0: node0's side goes down at once, node0 still
    reaches the other node, no task of node0 hangs, the dropped frames are
    counted; after a restart the link works again.
"""

import os
import re
import sys
import time

from tests.system.harness import Suite, expect, rig, start_node, wait_node_state

CONFIG = os.path.join(rig.ROOT, "tests", "system", "configs", "links.conf")
NODES = {"node1": ("com2", "10.77.0.11"), "node2": ("com3", "10.77.0.12")}
NODE0_ADDR = "10.77.0.1"
GUEST_ADDR = "10.77.0.21"
SSH = "mint-ssh"  # dbclient with node0's key, without its host-key chatter
BAD_KERNEL_LINES = r"BUG:|Oops|WARNING:|general protection|blocked for more than|Call Trace"


def link_file(m, node):
    _, out = m.run(f"cat /sys/kernel/mint/{node}/link")
    return dict(line.split(" ", 1) for line in out.strip().splitlines() if " " in line)


def wait_link(m, node, want, timeout):
    t0 = time.monotonic()
    while link_file(m, node).get("state") != want:
        expect(time.monotonic() - t0 < timeout,
               f"{node}'s link not {want} within {timeout}s: {link_file(m, node)}; "
               f"node0's log ends: {m.log('com1')[-500:]!r}")
        time.sleep(0.5)
    return time.monotonic() - t0


def wait_forwarding(m, node, uart, timeout=10):
    """Until both ends' bridge ports forward (a carrier change reaches the
    bridge through linkwatch, up to a second later): before that, frames
    are dropped by the bridge, as with any NIC."""
    t0 = time.monotonic()
    while True:
        _, a = m.run(f"cat /sys/class/net/mint-{node}/brport/state")
        _, b = m.console_run(uart, "cat /sys/class/net/mint0/brport/state")
        if a.strip() == "3" and b.strip() == "3":  # BR_STATE_FORWARDING
            return
        expect(time.monotonic() - t0 < timeout,
               f"{node}'s bridge ports not forwarding {timeout}s after the link came up: "
               f"node0 {a.strip()}, {node} {b.strip()}")
        time.sleep(0.5)


def netstat(m, ifname, what):
    _, out = m.run(f"cat /sys/class/net/{ifname}/statistics/{what}")
    return int(out.strip())


def ping(m, where, addr, count=3):
    """@count pings from node0 (@where None) or a node's console to @addr;
    every one must come back."""
    cmd = f"ping -c {count} -W 5 {addr}"
    rc, out = m.run(cmd, timeout=60, check=False) if where is None else \
        m.console_run(where, cmd, timeout=60)
    mm = re.search(r"(\d+) packets transmitted, (\d+) (?:packets )?received", out)
    expect(rc == 0 and mm and mm.group(2) == str(count),
           f"{where or 'node0'}: {cmd}: exit {rc}: {out!r}")


def kernel_clean(m, since_line):
    """node0's kernel log after line @since_line: no oops, warning or hung task."""
    _, log = m.run(f"dmesg | tail -n +{since_line + 1}")
    bad = [l for l in log.splitlines() if re.search(BAD_KERNEL_LINES, l)]
    expect(not bad, f"node0's kernel log: {bad[:5]}")


def node_log_clean(m, node):
    """@node's kernel log of its current boot, as node0 keeps it: no oops,
    warning or hung task (KASAN and lockdep reports begin with BUG: and
    WARNING:)."""
    _, log = m.run(f"mintctl log {node}", timeout=60)
    bad = [l for l in log.splitlines() if re.search(BAD_KERNEL_LINES, l)]
    expect(not bad, f"{node}'s kernel log: {bad[:5]}")


def dmesg_lines(m):
    _, out = m.run("dmesg | wc -l")
    return int(out.strip())


def main():
    s = Suite("links")
    m = s.machine(config=CONFIG, smp=4, mem="4G")

    def boot():
        m.wait_for(r"MINT-AGENT-UP", 180)
        for node, (uart, addr) in NODES.items():
            since = len(m.log(uart))
            start_node(m, node, uart)
            m.wait_for(rf"MINT-LINK-UP ifname=mint0 address={re.escape(addr)}/24", 60, log=uart, since=since)
        for node, (uart, _) in NODES.items():
            took = wait_link(m, node, "up", 30)
            wait_forwarding(m, node, uart)
            print(f"  {node}: link up {took:.1f}s after its services", flush=True)
    s.require("boot-and-links-up", boot)

    def no_nics():
        for node, (uart, _) in NODES.items():
            _, out = m.console_run(uart, "ls /sys/class/net")
            expect(sorted(out.split()) == ["lo", "mint0", "mintbr0"],
                   f"{node}'s network devices: {out.split()}")
        _, out = m.run("ls /sys/class/net/mintbr0/brif")
        expect(sorted(out.split()) == ["mint-node1", "mint-node2"], f"node0's bridge ports: {out.split()}")
    s.check("nodes-have-no-nic-node0-bridges-links", no_nics)

    def pings():
        for node, (uart, addr) in NODES.items():
            ping(m, None, addr)
            ping(m, uart, NODE0_ADDR)
            other = [a for n, (_, a) in NODES.items() if n != node][0]
            ping(m, uart, other)
    s.check("ping-node0-and-nodes-every-way", pings)

    def ssh_and_status():
        for node, (_, addr) in NODES.items():
            # node0's image has mint-ssh also as ssh: `ssh ADDRESS` works
            rc, out = m.run(f"ssh {addr} 'cat /etc/mint/node; ls /sys/class/net/mint0'", timeout=90,
                            check=False)
            expect(rc == 0 and out.split()[:1] == [node], f"ssh {addr}: exit {rc}: {out!r}")
        _, st = m.run("mintctl status")
        for node, (_, addr) in NODES.items():
            expect(f"link: up {addr}/24 on mint-{node}" in st, f"mintctl status shows no link up for {node}: {st}")
    s.check("ssh-from-node0-and-status", ssh_and_status)

    def copy():
        _, out = m.run("dd if=/dev/urandom of=/tmp/big bs=1M count=64 2>/dev/null; sha256sum /tmp/big")
        want = out.split()[0]
        m.console_run("com3", "rm -f /tmp/big /tmp/big.done; printf '#!/bin/sh\\ncat > /tmp/big\\n"
                      "touch /tmp/big.done\\n' > /tmp/recv.sh; chmod +x /tmp/recv.sh; "
                      "(nc -l -p 5001 -e /tmp/recv.sh &)")
        t0 = time.monotonic()
        rc, out = m.run(f"{SSH} root@10.77.0.11 'cat > /tmp/big' < /tmp/big", timeout=300, check=False)
        expect(rc == 0, f"ssh copy node0 -> node1: exit {rc}: {out!r}")
        t1 = time.monotonic()
        rc, out = m.console_run("com2", "nc 10.77.0.12 5001 < /tmp/big && sha256sum /tmp/big", timeout=300)
        expect(rc == 0 and out.split()[:1] == [want], f"node1's copy: exit {rc}: {out!r}, want {want}")
        t2 = time.monotonic()
        deadline = t2 + 60
        while True:
            rc, out = m.console_run("com3", "test -e /tmp/big.done && sha256sum /tmp/big")
            if rc == 0:
                break
            expect(time.monotonic() < deadline, "node2 never finished receiving")
            time.sleep(1)
        expect(out.split()[:1] == [want], f"node2's copy: {out!r}, want {want}")
        print(f"  64 MiB node0->node1 (ssh) {t1 - t0:.1f}s, node1->node2 (nc) {t2 - t1:.1f}s", flush=True)
    s.check("64mib-node0-node1-node2-same-sha256", copy)

    def guest():
        rc, out = m.run("mintctl vm start node1/guest1", timeout=240, check=False)
        expect(rc == 0, f"mintctl vm start node1/guest1: exit {rc}: {out}")
        deadline = time.monotonic() + 300
        while True:
            _, out = m.console_run("com2", "grep -h MINT-GUEST-NET /run/mint/vm/guest1/console.log")
            if f"{GUEST_ADDR}/24" in out:
                break
            expect(time.monotonic() < deadline, f"guest1 never configured its network: {out!r}")
            time.sleep(3)
        ping(m, None, GUEST_ADDR)
    s.check("guest-of-node1-on-the-link-reached-from-node0", guest)

    def fuzz():
        since = dmesg_lines(m)
        before = link_file(m, "node1")
        m.run("(ping -c 400 -i 0.05 -W 1 10.77.0.11 > /tmp/fuzzping.log 2>&1 &)")
        # node1's link messages in its log only, not amid the console's commands
        m.console_run("com2", "dmesg -n 1")
        for _ in range(5):
            rc, out = m.console_run("com2", "echo 200 > /sys/kernel/debug/mint_link_fuzz", timeout=60)
            expect(rc == 0, f"node1's fuzz hook: exit {rc}: {out!r}")
            time.sleep(1)
        after = link_file(m, "node1")
        expect(int(after["resets"]) > int(before["resets"]) or int(after["epoch"]) > int(before["epoch"]),
               f"node0 never reset node1's link: before {before}, after {after}")
        took = wait_link(m, "node1", "up", 30)
        wait_forwarding(m, "node1", "com2")
        print(f"  node1's link up again {took:.1f}s after the fuzz: {after}", flush=True)
        time.sleep(2)
        ping(m, None, "10.77.0.11")
        ping(m, None, "10.77.0.12")
        expect(link_file(m, "node2")["resets"] == "0", f"node2's link was reset: {link_file(m, 'node2')}")
        kernel_clean(m, since)
        node_log_clean(m, "node1")
    s.check("fuzzed-ring-node0-survives-link-recovers", fuzz)

    def loss(node, how):
        uart, addr = NODES[node]
        other = [a for n, (_, a) in NODES.items() if n != node][0]
        since = dmesg_lines(m)
        m.console_run(uart, "printf '#!/bin/sh\\ncat > /dev/null\\n' > /tmp/sink.sh; chmod +x /tmp/sink.sh; "
                      "(nc -l -p 5002 -e /tmp/sink.sh &)")
        m.run(f"(dd if=/dev/zero bs=64k count=1000000 2>/dev/null | nc {addr} 5002 > /dev/null 2>&1 &)")
        tx0 = netstat(m, f"mint-{node}", "tx_packets")
        time.sleep(3)
        expect(netstat(m, f"mint-{node}", "tx_packets") > tx0 + 10, f"no transfer to {node} is running")
        drops0 = netstat(m, f"mint-{node}", "tx_dropped")
        if how == "panic":
            m.console_send(uart, "echo c > /proc/sysrq-trigger")
            wait_node_state(m, node, "panic", 30)
        else:
            m.run(f"mintctl stop --force {node}", timeout=120)
        took = wait_link(m, node, "down", 5)
        ping(m, None, other)
        _, log = m.run(f"dmesg | tail -n +{since + 1} | grep 'mint-{node}: link down'")
        mm = re.search(r"link down \((\d+) queued frames dropped\)", log)
        expect(mm, f"node0 logged no link down for {node}: {log!r}")
        drops = netstat(m, f"mint-{node}", "tx_dropped") - drops0
        expect(drops >= int(mm.group(1)), f"tx_dropped grew by {drops}, the log says {mm.group(1)} dropped")
        m.run("pkill -f 'nc 10.77' ; true")
        if how == "panic":
            m.run(f"mintctl stop --force {node}", timeout=120)
        since_start = len(m.log(uart))
        start_node(m, node, uart)
        m.wait_for(r"MINT-LINK-UP", 60, log=uart, since=since_start)
        wait_link(m, node, "up", 30)
        wait_forwarding(m, node, uart)
        ping(m, None, addr)
        ping(m, uart, other)
        kernel_clean(m, since)
        print(f"  {node} ({how}): link down {took:.1f}s after, {drops} frames dropped", flush=True)
    s.check("force-stop-mid-transfer-node0-unharmed", lambda: loss("node1", "stop"))
    s.check("panic-mid-transfer-node0-unharmed", lambda: loss("node2", "panic"))

    def logs():
        kernel_clean(m, 0)
        for node in NODES:
            node_log_clean(m, node)
    s.check("kernel-logs-clean", logs)

    sys.exit(s.finish())


if __name__ == "__main__":
    main()
