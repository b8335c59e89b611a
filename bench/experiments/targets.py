# SPDX-License-Identifier: GPL-2.0
"""Where the fault-isolation experiments run their commands (run.py).

Both targets take node names ("node1") and offer:
  run(script, timeout, check)     a command in node0: (status, output)
  console_run(node, script, t)    a command in a node's shell
  console_send(node, line)        a line typed into a node's shell
  node_up(node, timeout)          wait until a started node's init is up

RigTarget   the emulated machine (tests/rig/machine.py): node0 through the
            rig's virtio-serial agent, a node through its UART
MintctlTarget
            any machine running mint: node0's commands through `run`
            (locally on a server; through the rig's agent to test it on the
            emulated machine), a node's through `mintctl console --until`,
            which reaches the node's shell on its control area, whatever
            UART it has
"""

import os
import re
import shlex
import subprocess
import time

from tests.rig import machine as rig

UARTS = {"node1": "com2", "node2": "com3"}


class RigTarget:
    def __init__(self, m):
        self.m = m
        self.marks = {}

    def run(self, script, timeout=120, check=True):
        return self.m.run(script, timeout=timeout, check=check)

    def console_run(self, node, script, timeout=60):
        return self.m.console_run(UARTS[node], script, timeout=timeout)

    def console_send(self, node, line):
        self.m.console_send(UARTS[node], line)

    def mark(self, node):
        self.marks[node] = len(self.m.log(UARTS[node]))

    def node_up(self, node, timeout=90):
        """the node's init marker, then its shell answers (a line typed
        before the shell is up loses its head)"""
        t0 = time.monotonic()
        self.m.wait_for(rf"MINT-NODE-UP node={node}", timeout, log=UARTS[node],
                        since=self.marks.get(node, 0))
        while True:
            try:
                self.console_run(node, "test -d /run/mint", timeout=10)
                return
            except rig.ConsoleGarbled:
                if time.monotonic() - t0 > timeout:
                    raise
            time.sleep(1)


def local_run(script, timeout=120, check=True):
    """node0's commands on a server: this machine's shell."""
    try:
        p = subprocess.run(["sh", "-c", script], capture_output=True, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        raise rig.TestFailure(f"timed out after {timeout}s: {script[:100]}")
    out = p.stdout + p.stderr
    if check and p.returncode:
        raise rig.TestFailure(f"command failed with status {p.returncode}: {script[:200]}\n"
                              f"{out[-2000:]}")
    return p.returncode, out


class MintctlTarget:
    def __init__(self, run):
        self._run = run
        self.seq = 0

    def run(self, script, timeout=120, check=True):
        return self._run(script, timeout=timeout, check=check)

    def _console(self, node, line, timeout, until=None):
        u = f" --until={shlex.quote(until)}" if until else ""
        return self._run(f"printf '%s\\n' {shlex.quote(line)} | "
                         f"mintctl console --timeout={timeout}{u} {node}",
                         timeout=timeout + 30, check=False)

    def console_run(self, node, script, timeout=60):
        self.seq += 1
        cid = f"{self.seq}y{os.getpid()}"
        # split markers: the tty's echo of the typed line cannot match them
        line = f"echo '@@BE''GIN {cid}'; ( {script} ) 2>&1; echo \"@@E\"\"ND {cid} $?\""
        rc, out = self._console(node, line, timeout, until=f"@@END {cid} ")
        # (a kernel message may follow the status on its line: the node's
        # kernel writes to the same console)
        end = re.search(rf"^@@END {cid} (\d+)(?!\d)", out, re.M)
        begin = re.search(rf"^@@BEGIN {cid}\r?$", out, re.M)
        if rc or not end:
            raise rig.TestFailure(f"{node}: '{script[:80]}' did not finish within {timeout}s "
                                  f"(mintctl console exit {rc}): {out[-300:]!r}")
        if not begin or begin.end() > end.start():
            # never read a lost begin as empty output
            raise rig.ConsoleGarbled(f"{node}: the output of '{script[:80]}' lost its begin "
                                     f"marker: {out[-300:]!r}")
        text = out[begin.end():end.start()]
        return int(end.group(1)), text.replace("\r", "").strip("\n") + "\n"

    def console_send(self, node, line):
        self._console(node, line, 1)

    def mark(self, node):
        pass

    def node_up(self, node, timeout=90):
        """running in node0's view, and its control-area shell answers"""
        t0 = time.monotonic()
        while True:
            _, st = self._run(f"cat /sys/kernel/mint/{node}/state", timeout=60, check=False)
            if st.strip() == "running":
                try:
                    self.console_run(node, "test -d /run/mint", timeout=10)
                    return
                except rig.TestFailure:
                    pass
            if time.monotonic() - t0 > timeout:
                raise rig.TestFailure(f"{node} is not up within {timeout}s (state {st.strip()})")
            time.sleep(1)
