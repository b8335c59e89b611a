"""Commands on a node's console while its kernel writes there (flake class
5, docs/timings.md): node1 of tests/system/configs/ops.conf floods its
console with kernel lines (/dev/kmsg, one every MS milliseconds) while the
rig runs COMMANDS commands in its shell with console_run(); every answer
must be exactly what the command printed, with its status.

For each command it also looks at what reached the console: whether a
kernel line fell between the begin marker's line and the end marker's,
markers included. The rig's parser before 2026-12-07 read such an answer
wrong (a begin marker cut: "the console dropped bytes"; a line in the
output: output that the command never printed; an end marker cut: a
timeout), so that count is the rate the old parser would have failed at,
on the same traffic.

  python3 -m tests.stress.console_kmsg [--commands N] [--ms MS] [--csv FILE]
"""

import argparse
import os
import re
import sys
import time

from tests.rig import console
from tests.rig import machine as rig
from tests.stress.results import append_row

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFIG = os.path.join(ROOT, "tests", "system", "configs", "ops.conf")


def old_parser_fails(raw):
    """Would the parser before 2026-12-07 have misread the answer in @raw
    (the console's text since one command was typed)? It wanted an intact
    begin marker line, the output, and an intact end marker line, with no
    kernel line in between."""
    m = re.search(r"^@@BEGIN (\S+)\r?\n(.*?)^@@END \1 \d+\r?$", raw, re.S | re.M)
    return not m or bool(console.KERNEL_LINE.search(m.group(2)))


def hammer(m, uart, commands, ms=3):
    """Run @commands commands on @uart's shell while the node's kernel
    writes a line every @ms ms; returns (wrong answers with what came back,
    answers the old parser would have misread, kernel lines written)."""
    m.console_run(uart, "echo 0 > /tmp/kmsg.n; (i=0; while [ ! -e /tmp/kmsg.stop ]; do i=$((i+1)); "
                  f"echo \"console stress line $i\" > /dev/kmsg; echo $i > /tmp/kmsg.n; usleep {ms * 1000}; "
                  "done) >/dev/null 2>&1 &")
    wrong, old = [], 0
    try:
        for i in range(commands):
            since = len(m.log(uart))
            rc, out = m.console_run(uart, f"echo answer-{i}; cat /proc/sys/kernel/ostype; exit {i % 3}")
            if (rc, out) != (i % 3, f"answer-{i}\nLinux\n"):
                wrong.append((i, rc, out))
            old += old_parser_fails(m.log(uart)[since:])
    finally:
        _, n = m.console_run(uart, "touch /tmp/kmsg.stop; sleep 1; cat /tmp/kmsg.n; rm -f /tmp/kmsg.stop")
    return wrong, old, int(n.strip() or 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--commands", type=int, default=300)
    ap.add_argument("--ms", type=int, default=3, help="milliseconds between kernel lines")
    ap.add_argument("--csv", help="append a result row to this CSV file")
    a = ap.parse_args()
    name = "stress/console-kmsg"
    run_dir = rig.new_run_dir("stress-console-kmsg")
    m = rig.Machine(run_dir, config=CONFIG, smp=4, mem="4G").start()
    t0 = time.monotonic()
    try:
        m.wait_for(r"MINT-AGENT-UP", 180)
        since = len(m.log("com2"))
        m.run("mintctl start --config=/etc/mint/partition.conf node1", timeout=180)
        m.wait_for(r"MINT-NODE-UP node=node1", 90, log="com2", since=since)
        wrong, old, lines = hammer(m, "com2", a.commands, a.ms)
    except (rig.TestFailure, rig.RigFailure) as e:
        print(f"FAIL: {name}: {e} [logs: {run_dir}]")
        return 1
    finally:
        m.stop()
    took = time.monotonic() - t0
    print(f"  {a.commands} commands, {lines} kernel lines written meanwhile, {took:.0f}s; "
          f"the old parser would have misread {old} answers", flush=True)
    if a.csv:
        append_row(a.csv, ["date", "commands", "kernel_lines", "wrong", "old_parser_misread"],
                   [time.strftime("%Y-%m-%d %H:%M"), a.commands, lines, len(wrong), old])
    if wrong:
        print(f"FAIL: {name}: {len(wrong)} of {a.commands} answers wrong, first {wrong[:3]} "
              f"[logs: {run_dir}]")
        return 1
    print(f"PASS: {name} ({a.commands} commands, {lines} kernel lines, old parser: {old} misread)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
