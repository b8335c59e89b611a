"""Many lifecycle operations at once (issue 14, item 12): WORKERS shells in
node0 run OPS operations in all, drawn from a seeded generator, over the
two nodes of tests/system/configs/ops.conf: mintctl load, start, stop,
stop --force, restart and release, and raw writes to the kernel's files
(start and stop-force to NODE/control, undefine). Then conflicting pairs
fired together (two starts of one loaded node; an undefine and a start of
one loaded node): exactly one of each pair must win. Then every node is
stopped, released and undefined.

Passes only when: every shell finished (no hang); every failed operation
said why (a non-empty message); node0's kernel log has no lockdep report,
WARNING, BUG, ODEBUG or hung-task line; each pair had exactly one winner;
and node0's CPUs, its PCI functions' drivers and its memory (MemTotal;
Slab within 4 MiB) are back to what they were before the first operation.
Run it with node0 on a lockdep kernel (--kernel, e.g. a build with
PROVE_LOCKING, DEBUG_ATOMIC_SLEEP and DEBUG_OBJECTS) to check lock order and
sleeping in atomic context as well.

  python3 -m tests.stress.lifecycle_ops [--ops N] [--workers K] [--seed S]
                                        [--kernel BZIMAGE]
"""

import argparse
import os
import random
import re
import sys
import time

from tests.rig import machine as rig

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFIG = os.path.join(ROOT, "tests", "system", "configs", "ops.conf")
CFG = "/etc/mint/partition.conf"
NODES = ("node1", "node2")
SYS = "/sys/kernel/mint"
# what a shell runs for each operation ($n: the node)
OPS = {
    "load": f"mintctl load --config={CFG} $n",
    "start": f"mintctl start --config={CFG} $n",
    "stop": "mintctl stop $n",
    "force": "mintctl stop --force $n",
    "restart": f"mintctl restart --config={CFG} $n",
    "release": "mintctl release $n",
    "rawstart": f"echo start > {SYS}/$n/control",
    "rawforce": f"echo stop-force > {SYS}/$n/control",
    "undefine": f"echo $n > {SYS}/undefine",
}
# node0's kernel log lines that fail the run
BAD = re.compile(r"WARNING:|BUG:|possible circular locking|inconsistent lock state|"
                 r"possible recursive locking|sleeping function called from invalid context|"
                 r"ODEBUG:|INFO: task .* blocked|suspicious RCU usage|lock held when returning")


def plan(ops, workers, seed):
    """Each worker's operations, "op:node" words; deterministic for a seed."""
    rng = random.Random(seed)
    names = sorted(OPS)
    per = [[] for _ in range(workers)]
    for i in range(ops):
        per[i % workers].append(f"{rng.choice(names)}:{rng.choice(NODES)}")
    return per


def worker_script(w, words):
    cases = "\n".join(f"    {op}) out=$({{ {cmd}; }} 2>&1) ;;" for op, cmd in OPS.items())
    return (f"for word in {' '.join(words)}; do\n"
            f"  op=${{word%%:*}}; n=${{word#*:}}\n"
            f"  case $op in\n{cases}\n  esac\n"
            f"  rc=$?\n"
            f"  echo \"$word rc=$rc $(echo \"$out\" | tail -n 2 | tr '\\n' ' ' | cut -c1-160)\" "
            f">> /tmp/ops.{w}\n"
            f"done\n")


def op_result(line):
    """(status, message) of a worker's "op:node rc=N message" line."""
    rc, _, msg = line.split(" rc=", 1)[1].partition(" ")
    return int(rc), msg.strip()


def baseline(m):
    _, out = m.run("cat /sys/devices/system/cpu/online; "
                   "for d in /sys/bus/pci/devices/*; do echo \"${d##*/}=$(basename "
                   "\"$(readlink $d/driver)\" 2>/dev/null)\"; done | tr '\\n' ' '; echo; "
                   "grep -E '^(MemTotal|Slab):' /proc/meminfo")
    lines = out.strip().splitlines()
    mem = dict(re.findall(r"^(\w+):\s+(\d+) kB", out, re.M))
    return {"cpus": lines[0].strip(), "drivers": lines[1].strip(),
            "MemTotal": int(mem["MemTotal"]), "Slab": int(mem["Slab"])}


def pair(m, first, second, node):
    """Fire two raw writes at once; returns (rc1, rc2, output)."""
    _, out = m.run(f"( {OPS[first].replace('$n', node)} ) >/tmp/p1 2>&1 & p1=$!; "
                   f"( {OPS[second].replace('$n', node)} ) >/tmp/p2 2>&1 & p2=$!; "
                   "wait $p1; r1=$?; wait $p2; r2=$?; echo \"rc $r1 $r2\"; cat /tmp/p1 /tmp/p2",
                   timeout=300, check=False)
    rcs = re.search(r"rc (\d+) (\d+)", out)
    return int(rcs.group(1)), int(rcs.group(2)), out


def clean_up(m):
    for n in NODES:
        m.run(f"mintctl stop --force {n} >/dev/null 2>&1; mintctl release {n} >/dev/null 2>&1; "
              f"[ -d {SYS}/{n} ] && echo {n} > {SYS}/undefine; true", timeout=300, check=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ops", type=int, default=200)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--pairs", type=int, default=5, help="rounds of each conflicting pair")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--kernel", help="node0's kernel (default: the build's bzImage)")
    ap.add_argument("--require-lockdep", action="store_true",
                    help="fail unless node0's kernel proves locking (/proc/lockdep_stats)")
    a = ap.parse_args()

    run_dir = rig.new_run_dir("stress-lifecycle-ops")
    m = rig.Machine(run_dir, config=CONFIG, smp=4, mem="4G", kernel=a.kernel).start()
    name = "stress/lifecycle-ops"
    fails = []
    t0 = time.monotonic()
    try:
        m.wait_for(r"MINT-AGENT-UP", 240)
        base = baseline(m)
        scripts = plan(a.ops, a.workers, a.seed)
        for w, words in enumerate(scripts):
            m.run(f"cat > /tmp/w{w}.sh <<'EOF'\n{worker_script(w, words)}EOF\n: > /tmp/ops.{w}")
        _, out = m.run(" ".join(f"sh /tmp/w{w}.sh &" for w in range(a.workers)) + " wait; echo all-done",
                        timeout=60 * a.ops // a.workers + 600, check=False)
        if "all-done" not in out:
            fails.append(f"no-hang: the shells did not finish: {out[-500:]}")
        _, log = m.run(f"cat {' '.join(f'/tmp/ops.{w}' for w in range(a.workers))}")
        lines = [ln for ln in log.splitlines() if " rc=" in ln]
        results = [op_result(ln) for ln in lines]
        done = len(lines)
        won = sum(1 for rc, _ in results if rc == 0)
        silent = [ln for ln, (rc, msg) in zip(lines, results) if rc and not msg]
        print(f"  {done} operations by {a.workers} shells, {won} succeeded, {done - won} refused, "
              f"{time.monotonic() - t0:.0f}s", flush=True)
        if done != a.ops:
            fails.append(f"every-operation-ran: {done} of {a.ops} logged")
        if silent:
            fails.append(f"every-refusal-says-why: {len(silent)} failed silently, e.g. {silent[:3]}")

        winners = []
        for k in range(a.pairs):
            for first, second in (("rawstart", "rawstart"), ("undefine", "rawstart")):
                clean_up(m)
                m.run(f"mintctl load --config={CFG} node1", timeout=300)
                r1, r2, out = pair(m, first, second, "node1")
                winners.append((first, second, r1, r2))
                if (r1 == 0) == (r2 == 0):
                    fails.append(f"one-winner-per-pair: {first} + {second} round {k}: "
                                 f"rc {r1} and {r2}: {out[-300:]!r}")
        print(f"  pairs: {winners}", flush=True)
        clean_up(m)
        time.sleep(2)
        after = baseline(m)
        for key in ("cpus", "drivers", "MemTotal"):
            if after[key] != base[key]:
                fails.append(f"back-to-baseline: node0's {key} {base[key]!r} before, {after[key]!r} after")
        if after["Slab"] - base["Slab"] > 4096:
            fails.append(f"back-to-baseline: node0's slab grew {after['Slab'] - base['Slab']} kB")
        _, dmesg = m.run("dmesg")
        bad = [ln for ln in dmesg.splitlines() if BAD.search(ln)]
        if bad:
            fails.append(f"kernel-log-clean: {len(bad)} lines, first: {bad[:3]}")
        _, ld = m.run("cat /proc/lockdep_stats 2>/dev/null | grep -E 'lock-classes|dependency chains|"
                      "debug_locks' | tr -s ' ' | tr '\\n' ';'", check=False)
        if ld.strip():
            print(f"  lockdep: {ld.strip()}", flush=True)
            if "debug_locks: 0" in ld.replace("  ", " "):
                fails.append("kernel-log-clean: lockdep turned itself off (debug_locks 0)")
        elif a.require_lockdep:
            fails.append("lockdep-kernel: node0 has no /proc/lockdep_stats: its kernel "
                         f"({a.kernel or 'the build bzImage'}) does not prove locking")
    except (rig.TestFailure, rig.RigFailure) as e:
        fails.append(f"machine-kept-answering: {e}")
    finally:
        m.stop()
    summary = f"{a.ops} operations, {a.workers} shells, seed {a.seed}, " \
              f"{time.monotonic() - t0:.0f}s [logs: {run_dir}]"
    for f in fails:
        print(f"FAIL: {name}/{f}")
    if not fails:
        print(f"PASS: {name} ({summary})")
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
