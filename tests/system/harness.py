"""System-test harness: boots the emulated machine, runs named checks and
prints one line per check: `PASS: name` or `FAIL: name: reason`.
A failure keeps the run directory and names it; an emulator fault is
reported as a failure of the rig, never as a pass."""

import re
import time
import traceback

from tests.rig import machine as rig

TestFailure = rig.TestFailure
RigFailure = rig.RigFailure


class Suite:
    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0
        self.machines = []
        self.blocked = None  # reason later checks cannot run

    def machine(self, vm_autostart=False, **kw):
        run_dir = rig.new_run_dir(self.name)
        if kw.get("config") and not vm_autostart:
            kw["config"] = rig.config_without_vm_autostart(kw["config"], run_dir)
        m = rig.Machine(run_dir, **kw)
        self.machines.append(m)
        return m.start()

    def _line(self, s):
        print(s, flush=True)

    def check(self, name, fn, needs_machine=True):
        full = f"system/{self.name}/{name}"
        if self.blocked and needs_machine:
            self.failed += 1
            self._line(f"FAIL: {full}: not run: {self.blocked}")
            return None
        t = time.monotonic()
        try:
            result = fn()
        except RigFailure as e:
            self.failed += 1
            self.blocked = f"emulator fault earlier ({e})"
            self._line(f"FAIL: {full}: RIG FAILURE: {e}")
            return None
        except TestFailure as e:
            self.failed += 1
            logs = ", ".join(m.run_dir for m in self.machines) or "-"
            self._line(f"FAIL: {full}: {e} [logs: {logs}]")
            return None
        except Exception as e:  # a bug in the test itself
            self.failed += 1
            self._line(f"FAIL: {full}: test error: {e!r}")
            traceback.print_exc()
            return None
        self.passed += 1
        self._line(f"PASS: {full} ({time.monotonic() - t:.1f}s)")
        return result if result is not None else True

    def require(self, name, fn):
        """A check later checks depend on (a boot): if it fails, they fail too."""
        ok = self.check(name, fn)
        if ok is None and not self.blocked:
            self.blocked = f"'{name}' failed"
        return ok

    def finish(self):
        for m in self.machines:
            m.stop()  # prints a NOTE: line per emulator fault worked around
        return 1 if self.failed else 0


def expect(cond, what):
    if not cond:
        raise TestFailure(what)


COM1_IRQ = r"^\s*4:.*ttyS0"  # node0's console UART on IO-APIC pin 4


def node_state(m, node):
    """The state node0's kernel reports for @node."""
    _, out = m.run(f"cat /sys/kernel/mint/{node}/state")
    return out.strip()


def start_node(m, node, uart=None, config=None, wait=90):
    """`mintctl start [--config=CONFIG] NODE`, which must exit 0; with
    @uart, then the node's new MINT-NODE-UP line there. Its output."""
    since = len(m.log(uart)) if uart else 0
    cmd = f"mintctl start {f'--config={config} ' if config else ''}{node}"
    rc, out = m.run(cmd, timeout=180, check=False)
    expect(rc == 0, f"{cmd}: exit {rc}: {out}")
    if uart:
        m.wait_for(rf"MINT-NODE-UP node={node}", wait, log=uart, since=since)
    return out


def wait_node_state(m, node, want, timeout, poll=0.2):
    """Seconds until @node is in state @want; fails after @timeout with
    the state it was in and node0's last log lines."""
    t0 = time.monotonic()
    while (st := node_state(m, node)) != want:
        expect(time.monotonic() - t0 < timeout,
               f"{node} not {want} within {timeout}s: {st}; node0's log ends: {m.log('com1')[-600:]!r}")
        time.sleep(poll)
    return time.monotonic() - t0


def interrupts(m, name, cpus=(0, 1)):
    """Sum of the /proc/interrupts counts of lines matching name on node0's
    own CPUs (columns of CPUs a node took disappear from the file)."""
    _, out = m.run("cat /proc/interrupts")
    lines = out.splitlines()
    cols = [int(c[3:]) for c in lines[0].split()]
    total = 0
    for line in lines[1:]:
        if re.search(name, line):
            counts = line.split(":", 1)[1].split()[:len(cols)]
            total += sum(int(n) for c, n in zip(cols, counts) if c in cpus and n.isdigit())
    return total


def com1_round_trip(m, tag):
    """node0's COM1, a device of node0's the tests never use for their
    commands (those go through virtio-serial): a line typed into node0's
    console shell is received by interrupt (IO-APIC pin 4) and answered.
    Returns the pin's count before and after."""
    before = interrupts(m, COM1_IRQ)
    since = len(m.log("com1"))
    m.console_send("com1", f"echo {tag}-COM1-IN''PUT")
    m.wait_for(rf"^{tag}-COM1-INPUT", 20, since=since)
    return before, interrupts(m, COM1_IRQ)
