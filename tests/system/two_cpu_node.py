"""S3: a node with two CPUs (tests/system/configs/two-cpu.conf: node1 on
CPUs 2-3, 512 MiB at 0x30000000).

  - node1 brings up its second CPU itself (its own trampoline in its low
    slice); node0's CPUs are not touched;
  - node1's CPU and memory activity sends no IPIs to node0: node0's CAL and
    RES counts rise no faster while node1 is busy than while it is idle;
  - node0 and node1 both run CPU and memory stress for STRESS_S seconds;
    2 MiB guard pages just below and above node1's RAM (held back at boot,
    given to nobody, filled with a pattern by node0) are unchanged after;
  - either CPU of node1 alone spinning with interrupts off makes node0
    report node1 hung, and running again when the spin ends.
"""

import os
import re
import sys
import time

from tests.system.harness import Suite, expect, node_state, wait_node_state

CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs", "two-cpu.conf")
CFG = "/etc/mint/partition.conf"
GUARDS = [0x2FE00000, 0x50000000]  # 2 MiB each, around 0x30000000+512M
# make check: 40 s of stress; make stress: TWO_CPU_STRESS_S (there 300).
STRESS_S = int(os.environ.get("TWO_CPU_STRESS_S", "40"))
WINDOW_S = 20
# one CPU of node1 spins with interrupts off this long; node0 must call the
# node hung within it (hung_timeout_ms lowered for the check)
HANG_MS, HUNG_TIMEOUT_MS = 5000, 2000

STRESS = ("for c in {cpus}; do taskset -c $c sh -c 'while :; do "
          "dd if=/dev/zero of=/tmp/m$c bs=1M count=64 2>/dev/null; md5sum /tmp/m$c >/dev/null; "
          "rm -f /tmp/m$c; done' </dev/null >/dev/null 2>&1 & echo $! >> /tmp/stress.pids; done")


def node1_cpu(m):
    """(busy, total) jiffies of node1's CPUs from its /proc/stat."""
    _, out = m.console_run("com2", "head -1 /proc/stat")
    f = [int(x) for x in out.split()[1:]]
    expect(len(f) >= 8, f"node1's /proc/stat: {out!r}")
    idle = f[3] + f[4]  # idle + iowait
    return sum(f[:8]) - idle, sum(f[:8])


def busy_share(a, b):
    return (b[0] - a[0]) / max(1, b[1] - a[1])


def ipis(m):
    _, out = m.run("grep -E '^ *(CAL|RES):' /proc/interrupts")
    total = 0
    for line in out.splitlines():
        total += sum(int(x) for x in line.split()[1:3])  # node0's CPUs 0-1
    return total


def guard_sums(m):
    sums = []
    for g in GUARDS:
        _, out = m.run(f"dd if=/dev/mem bs=4096 skip={g // 4096} count=512 2>/dev/null | md5sum")
        sums.append(out.split()[0])
    return sums


def main():
    s = Suite("two_cpu_node")
    guards = " ".join(f"memmap=2M${g:#x}" for g in GUARDS)
    m = s.machine(config=CONFIG, smp=4, mem="4G", tcg_threads="single", append_extra=guards)
    state = {}

    def boot():
        m.wait_for(r"MINT-AGENT-UP", 180)
        m.run("dd if=/dev/urandom of=/tmp/guard bs=4096 count=512 2>/dev/null")
        for g in GUARDS:
            m.run(f"dd if=/tmp/guard of=/dev/mem bs=4096 seek={g // 4096} count=512 conv=notrunc 2>/dev/null")
        _, want = m.run("md5sum < /tmp/guard")
        state["guard"] = want.split()[0]
        expect(guard_sums(m) == [state["guard"]] * 2, "node0 could not write the guard pages")
        rc, out = m.run(f"mintctl start --config={CFG} node1", timeout=180, check=False)
        expect(rc == 0, f"mintctl start node1: exit {rc}: {out}")
        m.wait_for(r"MINT-NODE-UP node=node1", 60, log="com2")
    s.require("boot-and-start-two-cpu-node", boot)

    def two_cpus():
        _, out = m.console_run("com2", "cat /sys/devices/system/cpu/online; grep -c ^processor /proc/cpuinfo")
        expect(out.split() == ["0-1", "2"], f"node1 CPUs: {out.split()}")
        com2 = m.log("com2")
        expect("Brought up 1 node, 2 CPUs" in com2, "node1 did not bring up its second CPU")
        expect(re.search(r"Crash kernel detected. Disabling real BSP|Disabling real BSP", com2),
               "node1 did not set the real BSP aside")
        _, online = m.run("cat /sys/devices/system/cpu/online")
        expect(online.strip() == "0-1", f"node0 CPUs: {online.strip()}")
    s.check("node-brings-up-its-second-cpu", two_cpus)

    def no_ipis():
        a, c = ipis(m), node1_cpu(m)
        time.sleep(WINDOW_S)
        idle, c_idle = ipis(m) - a, busy_share(c, node1_cpu(m))
        m.console_run("com2", STRESS.format(cpus="0 1"))
        _, pids = m.console_run("com2", "for p in $(cat /tmp/stress.pids); do kill -0 $p && echo up; done")
        expect(pids.split().count("up") == 2, f"node1's stress did not start: {pids!r}")
        a, c = ipis(m), node1_cpu(m)
        time.sleep(WINDOW_S)
        busy, c_busy = ipis(m) - a, busy_share(c, node1_cpu(m))
        print(f"  node0 CAL+RES over {WINDOW_S}s: node1 idle {idle} (its CPUs {c_idle:.0%} busy), "
              f"node1 busy {busy} (its CPUs {c_busy:.0%} busy)", flush=True)
        # the comparison means something only if node1 really was busy
        expect(c_busy >= 0.5 and c_busy > c_idle + 0.3,
               f"node1 was not busy during the busy window: its CPUs {c_idle:.0%} busy "
               f"idle, {c_busy:.0%} with the stress")
        expect(busy <= idle * 1.5 + 20, f"node0 received more IPIs while node1 was busy ({idle} -> {busy})")
    s.check("node-activity-sends-no-ipis-to-node0", no_ipis)

    def stress():
        m.run(STRESS.format(cpus="0 1"))
        t0 = time.monotonic()
        while time.monotonic() - t0 < STRESS_S:
            time.sleep(15)
            _, st = m.run("cat /sys/kernel/mint/node1/state /sys/kernel/mint/node1/heartbeat_age_ms")
            expect(st.split()[0] == "running" and int(st.split()[1]) < 3000, f"node1 during stress: {st.split()}")
        m.run("kill $(cat /tmp/stress.pids)")
        _, hb1 = m.console_run("com2", "cat /run/mint/heartbeat")
        time.sleep(2)
        _, hb2 = m.console_run("com2", "cat /run/mint/heartbeat")
        expect(int(hb2) > int(hb1), "node1's userspace stopped after the stress")
        for name, log in (("node0", m.log("com1")), ("node1", m.log("com2"))):
            expect(not re.search(r"BUG:|Oops|general protection|soft lockup|rcu.*stall", log),
                   f"{name} logged a kernel error during the stress")
        expect(guard_sums(m) == [state["guard"]] * 2, "a guard page around node1's RAM changed")
        print(f"  {STRESS_S}s of CPU+memory stress in node0 and node1; guards unchanged", flush=True)
    s.check("stress-both-kernels-guards-unchanged", stress)

    def one_cpu_hung():
        """Any one CPU of the node that stops makes the node hung, not only
        the one its heartbeat timer runs on: each CPU of node1 in turn spins
        with interrupts off for HANG_MS (mint_hang) while the other one is
        busy; node0 must report hung during the spin and running again
        after it. node1's RCU stall
        warning is put off meanwhile: printing it stalls the other CPU too,
        which would make any heartbeat stop."""
        _, old = m.run("cat /sys/kernel/mint/node1/hung_timeout_ms")
        m.run(f"echo {HUNG_TIMEOUT_MS} > /sys/kernel/mint/node1/hung_timeout_ms")
        m.console_run("com2", "echo 600 > /sys/module/rcupdate/parameters/rcu_cpu_stall_timeout")
        # CPU 1 offline and online again: its timers, the heartbeat's
        # included, and the jiffies update move to CPU 0, so a CPU 1 that
        # stops no longer stops them: only a beat of its own can tell
        _, out = m.console_run("com2", "echo 0 > /sys/devices/system/cpu/cpu1/online; "
                                       "echo 1 > /sys/devices/system/cpu/cpu1/online; "
                                       "cat /sys/devices/system/cpu/online")
        expect(out.strip().splitlines()[-1:] == ["0-1"], f"node1's CPU 1 did not come back online: {out!r}")
        try:
            for cpu in (1, 0):
                # the other CPU busy: an idle CPU's timers would wait for
                # the spinning one, hiding whether the spinning CPU counts
                m.console_run("com2", f"taskset -c {1 - cpu} sh -c 'while :; do :; done' "
                                      f"</dev/null >/dev/null 2>&1 & echo $! > /tmp/busy.pid")
                time.sleep(2)
                expect(node_state(m, "node1") == "running", f"node1 is {node_state(m, 'node1')} before CPU {cpu} spins")
                m.console_send("com2", f"taskset -c {cpu} sh -c 'echo {HANG_MS}ms > /sys/kernel/debug/mint_hang'")
                took = wait_node_state(m, "node1", "hung", HANG_MS / 1000 * 2)
                back = wait_node_state(m, "node1", "running", HANG_MS / 1000 * 6 + 30)
                m.console_run("com2", "kill $(cat /tmp/busy.pid)")
                print(f"  node1's CPU {cpu} alone spinning: hung after {took:.1f}s, running again "
                      f"{back:.1f}s later (hung_timeout_ms={HUNG_TIMEOUT_MS}, hang {HANG_MS} ms)",
                      flush=True)
            _, out = m.console_run("com2", f"dmesg | grep -c 'hang of {HANG_MS} ms over'")
            expect(out.strip() == "2", f"node1's own log does not say both hangs ended: {out!r}")
            expect("rcu_sched detected stalls" not in m.log("com2"),
                   "node1 printed an RCU stall: the other CPU's heartbeat may have stopped for it")
        finally:
            m.run(f"echo {old.strip()} > /sys/kernel/mint/node1/hung_timeout_ms")
    s.check("one-cpu-of-two-spinning-is-hung", one_cpu_hung)

    sys.exit(s.finish())


if __name__ == "__main__":
    main()
