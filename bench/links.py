"""Link against NIC: throughput and round trip between node0 and a node
over its shared-memory link and over a virtio-net NIC on the emulated
machine's hub, side by side in one boot (docs/benchmarks.md).

bench/configs/links.conf: node1 has a link to node0 and the NIC 00:07.0;
node0 gets a NIC on the same hub for the run. Per round and path: REPS
pings (round trip) and one bulk transfer of SIZE MiB node0 -> node1 with
busybox nc (throughput). Printed: medians per path and the ratios
link/NIC (goal: throughput >= 1, round trip <= 0.5). Everything runs on
emulated CPUs: compare the two paths, not absolute numbers with hardware.

With --breakdown, after the rounds: where the link's round trip goes.
node1 pings its own address (one kernel's stack, no link, no NIC); then
node1's address moves from its bridge onto mint0, then node0's from its
bridge onto mint-node1, each followed by link and NIC pings; minimum and
average of each into breakdown.csv (docs/benchmarks.md). The bridges are
left taken apart: it is the run's last step.

  python3 -m bench.links [--rounds N] [--size MIB] [--pings N] [--breakdown]
                         RESULTS_DIR
"""

import argparse
import os
import re
import statistics

from tests.rig import machine as rig

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "configs", "links.conf")
# node0's NIC on the hub the nodes' NICs are on (tests/rig/machine.py)
NODE0_NIC = ["-netdev", "hubport,id=net0,hubid=0",
             "-device", "virtio-net-pci,netdev=net0,bus=pcie.0,addr=0xa,mac=52:54:00:12:34:0a"]
PATHS = {"link": "10.77.0.11", "nic": "10.78.0.11"}


def uptime(m, where=None):
    cmd = "cut -d' ' -f1 /proc/uptime"
    _, out = m.run(cmd) if where is None else m.console_run(where, cmd)
    return float(out.strip())


def ping_ms(m, addr, count, where=None):
    """(min, avg) round trip in ms of @count pings to @addr from node0 or
    the console @where; every one must come back."""
    cmd = f"ping -c {count} -i 0.2 -W 5 {addr}"
    _, out = m.run(cmd, timeout=60 + count) if where is None else m.console_run(where, cmd, timeout=60 + count)
    mm = re.search(r"(\d+) packets received.*\n.*= ([\d.]+)/([\d.]+)/", out)
    if not mm or int(mm.group(1)) != count:
        raise rig.TestFailure(f"ping {addr}{f' on {where}' if where else ''}: {out!r}")
    return float(mm.group(2)), float(mm.group(3))


def rtt_ms(m, addr, count):
    return ping_ms(m, addr, count)[1]


def breakdown(m, count):
    """Rows (what, min, avg) of the link's round trip taken apart."""
    rows = [("node1 to itself (one stack)",) + ping_ms(m, PATHS["link"], count, where="com2")]
    steps = [("link", None),
             ("link without node1's bridge",
              ("com2", "ip addr del 10.77.0.11/24 dev mintbr0 && ip link set mint0 nomaster && "
                       "ip addr add 10.77.0.11/24 dev mint0")),
             ("link without either bridge",
              (None, "ip addr del 10.77.0.1/24 dev mintbr0 && ip link set mint-node1 nomaster && "
                     "ip addr add 10.77.0.1/24 dev mint-node1"))]
    for what, change in steps:
        if change:
            where, cmd = change
            rc, out = m.run(cmd, check=False) if where is None else m.console_run(where, cmd)
            if rc != 0:
                raise rig.TestFailure(f"{what}: {cmd}: exit {rc}: {out!r}")
            ping_ms(m, PATHS["link"], 3)  # ARP again
        rows.append((what,) + ping_ms(m, PATHS["link"], count))
        rows.append(("NIC right after",) + ping_ms(m, PATHS["nic"], count))
    return rows


def throughput_mib_s(m, addr, size_mib):
    m.console_run("com2", "rm -f /tmp/bench.done; printf '#!/bin/sh\\ncat > /dev/null\\n"
                  "cut -d\" \" -f1 /proc/uptime > /tmp/bench.done\\n' > /tmp/sink.sh; "
                  "chmod +x /tmp/sink.sh; (nc -l -p 5003 -e /tmp/sink.sh &)")
    t0 = uptime(m)
    rc, out = m.run(f"dd if=/dev/zero bs=64k count={size_mib * 16} 2>/dev/null | nc {addr} 5003",
                    timeout=600, check=False)
    t1 = uptime(m)
    if rc != 0:
        raise rig.TestFailure(f"nc {addr}: exit {rc}: {out!r}")
    return size_mib / (t1 - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--size", type=int, default=64, help="MiB per transfer")
    ap.add_argument("--pings", type=int, default=20)
    ap.add_argument("--breakdown", action="store_true", help="take the link's round trip apart")
    ap.add_argument("results")
    a = ap.parse_args()
    os.makedirs(a.results, exist_ok=True)
    run_dir = rig.new_run_dir("links-bench")
    m = rig.Machine(run_dir, config=CONFIG, smp=4, mem="4G", extra_args=NODE0_NIC)
    m.start()
    res = {p: {"rtt": [], "mib_s": []} for p in PATHS}
    try:
        m.wait_for(r"MINT-AGENT-UP", 180)
        m.run("mintctl start --config=/etc/mint/partition.conf node1", timeout=180)
        m.wait_for(r"MINT-LINK-UP", 120, log="com2")
        nic = m.run("ls /sys/bus/pci/devices/0000:00:0a.0/virtio*/net")[1].strip()
        m.run(f"ip addr add 10.78.0.1/24 dev {nic} && ip link set {nic} up")
        rc, out = m.console_run("com2", "n=$(ls /sys/bus/pci/devices/0000:00:07.0/virtio*/net) && "
                                "ip addr add 10.78.0.11/24 dev $n && ip link set $n up")
        if rc != 0:
            raise rig.TestFailure(f"node1's NIC: {out!r}")
        for p, addr in PATHS.items():  # ARP and the first TCP handshake
            rtt_ms(m, addr, 3)
        for rnd in range(1, a.rounds + 1):
            for p, addr in PATHS.items():
                res[p]["rtt"].append(rtt_ms(m, addr, a.pings))
                res[p]["mib_s"].append(throughput_mib_s(m, addr, a.size))
                print(f"round {rnd} {p}: rtt {res[p]['rtt'][-1]:.3f} ms, "
                      f"{res[p]['mib_s'][-1]:.1f} MiB/s", flush=True)
        rows = breakdown(m, a.pings) if a.breakdown else []
    finally:
        m.stop()
    med = {p: {k: statistics.median(v) for k, v in r.items()} for p, r in res.items()}
    lines = ["path,rounds,median_rtt_ms,median_mib_s"]
    for p in PATHS:
        lines.append(f"{p},{a.rounds},{med[p]['rtt']:.3f},{med[p]['mib_s']:.2f}")
    thr = med["link"]["mib_s"] / med["nic"]["mib_s"]
    rtt = med["link"]["rtt"] / med["nic"]["rtt"]
    lines.append(f"ratio link/nic,{a.rounds},{rtt:.3f},{thr:.3f}")
    with open(os.path.join(a.results, "links.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"\n{'path':6} {'round trip ms':>14} {'MiB/s':>8}")
    for p in PATHS:
        print(f"{p:6} {med[p]['rtt']:14.3f} {med[p]['mib_s']:8.1f}")
    print(f"link/NIC: throughput x{thr:.2f} (goal >= 1), round trip x{rtt:.2f} (goal <= 0.5)")
    if rows:
        with open(os.path.join(a.results, "breakdown.csv"), "w") as f:
            f.write("what,min_ms,avg_ms\n" + "".join(f"{w},{lo:.3f},{av:.3f}\n" for w, lo, av in rows))
        print(f"\n{'round trip taken apart':34} {'min ms':>7} {'avg ms':>7}")
        for w, lo, av in rows:
            print(f"{w:34} {lo:7.3f} {av:7.3f}")
    print(f"results in {a.results}; machine logs in {run_dir}")


if __name__ == "__main__":
    main()
