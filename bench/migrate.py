"""Live migration between nodes (docs/migration.md): how long a move
takes and how long the guest is away, against its RAM size and with a
busy guest, on the emulated machine (bench/configs/migrate.conf).

Per case: node1 and node2 are stopped and started with the case's config
(the VM's memory rewritten), the VM boots in node1, node0 pings it every
0.2 s, `mintctl migrate node1/guest1 node2` moves it. Recorded: the
move's total time and its phases (mintctl's timeline), QEMU's own
downtime (mint-vm's log in node1), the RAM QEMU sent, and the longest
gap between node0's answered pings (what a client sees: the switch-over,
the resume, the bridges learning where the guest is now). The busy case
makes the guest write 64 MiB of memory over and over (mint-guest dirty)
while it moves; QEMU's auto-converge slows it down until the move ends.

Then a node kernel update beside a plain restart, with the 256 MiB guest
in node1: `mintctl update node1` onto the second kernel build
(/boot/mint/bzImage-update) moves the guest to node2 and back around
node1's restart; then `mintctl restart node1` (the config's kernel) reboots
it where it is. Recorded: the update's total time and phases, and for each
the longest gap in node0's pings (the restart's: the node's restart plus
the guest's boot).

  python3 -m bench.migrate [--sizes 256,512,1024] [--busy 256] [--no-update] RESULTS_DIR
"""

import argparse
import os
import re
import time

from tests.rig import machine as rig

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "configs", "migrate.conf")
CFG = "/etc/mint/partition.conf"
GUEST_ADDR = "10.77.0.21"
UART = {"node1": "com2", "node2": "com3"}


def fail(what):
    raise rig.TestFailure(what)


def wait_guest(m, node, timeout=300):
    """Until guest1 beats in @node (its heartbeat lines)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            _, out = m.console_run(UART[node], "grep -ac GUEST-HEARTBEAT "
                                   "/run/mint/vm/guest1/console.log 2>/dev/null || true",
                                   timeout=60)
        except rig.ConsoleGarbled:
            out = ""  # typed before a restarted node's shell was up: ask again
        if out.strip().isdigit() and int(out.strip()) >= 2:
            return
        time.sleep(2)
    fail(f"guest1 not beating in {node} within {timeout}s")


def mintctl(m, args, timeout):
    """`mintctl ARGS` in node0, which must succeed; its output."""
    rc, out = m.run(f"mintctl {args}", check=False, timeout=timeout)
    if rc:
        fail(f"mintctl {args}: exit {rc}: {out}")
    return out


def fresh_nodes(m, mib):
    """node1 and node2 (re)started with guest1 of @mib MiB; returns the
    config's path in node0."""
    conf = f"/tmp/bench-{mib}.conf"
    m.run(f"sed 's/^memory = 256M$/memory = {mib}M/' {CFG} > {conf}")
    # both stopped first: guest1, which the last case moved to node2, died
    # with node2 and comes home when node1 starts (docs/migration.md)
    m.run("mintctl stop --force node1 node2", check=False, timeout=120)
    for node in ("node1", "node2"):
        since = len(m.log(UART[node]))
        mintctl(m, f"start --config={conf} {node}", 240)
        m.wait_for(r"MINT-LINK-UP ifname=mint0", 120, log=UART[node], since=since)
    wait_guest(m, "node1")
    return conf


def start_pinger(m):
    m.run(f"ping -c 3 -W 5 {GUEST_ADDR} > /dev/null; "
          f"while :; do if ping -c 1 -W 1 {GUEST_ADDR} >/dev/null 2>&1; then "
          "cut -d' ' -f1 /proc/uptime; fi; sleep 0.2; done > /tmp/pings 2>&1 & echo $! > /tmp/pinger",
          timeout=60)


def ping_gap(m):
    """The longest gap between node0's answered pings since start_pinger."""
    m.run("sleep 3; kill $(cat /tmp/pinger)")
    _, pings = m.run("cat /tmp/pings")
    t = [float(x) for x in pings.split()]
    if len(t) < 5:
        fail(f"node0's pings hardly answered: {pings!r}")
    return max(b - a for a, b in zip(t, t[1:]))


def one(m, mib, busy):
    conf = fresh_nodes(m, mib)
    if busy:
        _, out = m.console_run("com2", f"mint-vm inject guest1 'busy {busy}'")
        if "sent" not in out:
            fail(f"guest1 took no busy command: {out!r}")
    start_pinger(m)
    out = mintctl(m, f"migrate --config={conf} node1/guest1 node2", 1200)
    wait_guest(m, "node2")
    gap = ping_gap(m)
    mm = re.search(r"running on node2; ([\d.]+) s in all \(target ready ([\d.]+) s, "
                   r"transfer ([\d.]+) s, resume ([\d.]+) s\)", out)
    if not mm:
        fail(f"no timeline in mintctl's output: {out!r}")
    _, log = m.console_run("com2", "tail -n 1 /run/mint/vm/guest1/migrate.log")
    dm = re.search(r"RAM ([\d.]+) MiB, downtime (\d+) ms", log)
    if not dm:
        fail(f"no downtime in node1's migrate.log: {log!r}")
    row = {"ram_mib": mib, "busy_mib": busy, "total_s": float(mm.group(1)),
           "ready_s": float(mm.group(2)), "transfer_s": float(mm.group(3)),
           "resume_s": float(mm.group(4)), "qemu_downtime_ms": int(dm.group(2)),
           "ping_gap_s": round(gap, 2)}
    print(f"  {mib} MiB{f', busy {busy} MiB' if busy else ''}: {row['total_s']:.1f} s in all "
          f"(transfer {row['transfer_s']:.1f} s), QEMU downtime {row['qemu_downtime_ms']} ms, "
          f"longest ping gap {row['ping_gap_s']:.1f} s", flush=True)
    return row


def update_vs_restart(m):
    """node1's kernel replaced under guest1 (moved away and back), then
    node1 restarted with guest1 on it: the guest's longest ping gap of
    each, and the update's timeline."""
    conf = fresh_nodes(m, 256)
    start_pinger(m)
    out = mintctl(m, f"update --config={conf} --kernel=/boot/mint/bzImage-update node1", 1800)
    mm = re.search(r"node1: updated in ([\d.]+) s: \d+ VM\(s\) away ([\d.]+) s, node restart "
                   r"([\d.]+) s, back ([\d.]+) s", out)
    if not mm:
        fail(f"no timeline in mintctl update's output: {out!r}")
    wait_guest(m, "node1")
    _, rel = m.console_run("com2", "uname -r")
    if not rel.strip().endswith("-mint-update"):
        fail(f"node1 does not run the second kernel build after the update: {rel!r}")
    gap_update = ping_gap(m)
    start_pinger(m)
    mintctl(m, f"restart --config={conf} node1", 600)
    wait_guest(m, "node1")
    gap_restart = ping_gap(m)
    row = {"update_s": float(mm.group(1)), "away_s": float(mm.group(2)),
           "node_restart_s": float(mm.group(3)), "back_s": float(mm.group(4)),
           "update_ping_gap_s": round(gap_update, 2), "restart_ping_gap_s": round(gap_restart, 2)}
    print(f"  update node1: {row['update_s']:.1f} s in all (away {row['away_s']:.1f} s, node "
          f"restart {row['node_restart_s']:.1f} s, back {row['back_s']:.1f} s), longest ping gap "
          f"{row['update_ping_gap_s']:.1f} s; restart node1: longest ping gap "
          f"{row['restart_ping_gap_s']:.1f} s", flush=True)
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="256,512,1024", help="guest RAM sizes, MiB")
    ap.add_argument("--busy", type=int, default=256,
                    help="RAM of the busy case, MiB (0: no busy case)")
    ap.add_argument("--no-update", action="store_true",
                    help="leave out the kernel update beside a restart")
    ap.add_argument("results")
    a = ap.parse_args()
    os.makedirs(a.results, exist_ok=True)
    cases = [(int(s), 0) for s in a.sizes.split(",")]
    if a.busy:
        cases.append((a.busy, 64))
    run_dir = rig.new_run_dir("migrate-bench")
    m = rig.Machine(run_dir, config=CONFIG, smp=4, mem="8G")
    m.start()
    rows = []
    try:
        m.wait_for(r"MINT-AGENT-UP", 180)
        for mib, busy in cases:
            rows.append(one(m, mib, busy))
        upd = None if a.no_update else update_vs_restart(m)
    finally:
        m.stop()
    keys = list(rows[0])
    with open(os.path.join(a.results, "migrate.csv"), "w") as f:
        f.write(",".join(keys) + "\n")
        for r in rows:
            f.write(",".join(str(r[k]) for k in keys) + "\n")
    print(f"\n{'RAM MiB':>8} {'busy':>5} {'total s':>8} {'transfer s':>11} {'QEMU downtime ms':>17} "
          f"{'ping gap s':>11}")
    for r in rows:
        print(f"{r['ram_mib']:8} {r['busy_mib']:5} {r['total_s']:8.1f} {r['transfer_s']:11.1f} "
              f"{r['qemu_downtime_ms']:17} {r['ping_gap_s']:11.1f}")
    base = rows[0]
    for r in rows[1:]:
        print(f"{r['ram_mib']} MiB{' busy' if r['busy_mib'] else ''} / {base['ram_mib']} MiB idle: "
              f"transfer x{r['transfer_s'] / base['transfer_s']:.2f}, "
              f"ping gap x{r['ping_gap_s'] / base['ping_gap_s']:.2f}")
    if upd:
        with open(os.path.join(a.results, "update.csv"), "w") as f:
            f.write(",".join(upd) + "\n" + ",".join(str(v) for v in upd.values()) + "\n")
        print(f"\nnode1's kernel replaced (mintctl update, 256 MiB guest moved away and back): "
              f"{upd['update_s']:.1f} s (away {upd['away_s']:.1f} s, node restart "
              f"{upd['node_restart_s']:.1f} s, back {upd['back_s']:.1f} s)")
        print(f"guest's longest ping gap: update {upd['update_ping_gap_s']:.1f} s, plain restart "
              f"{upd['restart_ping_gap_s']:.1f} s (restart / update "
              f"x{upd['restart_ping_gap_s'] / upd['update_ping_gap_s']:.1f})")
    print(f"results in {a.results}; machine logs in {run_dir}")


if __name__ == "__main__":
    main()
