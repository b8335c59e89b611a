# SPDX-License-Identifier: GPL-2.0
"""What the tests and the experiments ask of our test guests
(kvm-per-node/guest/init) through a node's shell.

`m` is anything with console_run(where, script, timeout) -> (status,
output): the rig's Machine (where = "com2") or an experiments target
(where = "node1").
"""

import re
import time

from tests.rig.machine import TestFailure


def verify_records(m, where, vm, timeout=90, poll=2):
    """Ask VM to re-read every disk record it wrote; returns (good, bad,
    holes, last) of the report that answers this request. The request
    carries a tag the guest prints back, so an earlier report still on the
    console cannot be taken for it. Raises TestFailure with what the
    guest's console shows when the answer does not come or is garbled."""
    tag = f"t{time.time_ns() // 1000000 % 10 ** 9}"
    log = f"/run/mint/vm/{vm}/console.log"
    before = control_counts(m, where, vm)
    rc, out = m.console_run(where, f"mint-vm inject {vm} 'verify {tag}'")
    if rc or f"sent 'verify {tag}'" not in out:
        raise TestFailure(f"mint-vm inject {vm} 'verify {tag}' failed (status {rc}): {out!r}")
    pat = re.compile(rf"GUEST-DISK vm={vm} verify tag={tag} good=(\d+) bad=(\d+) holes=(\d+) "
                     rf"last=(\d+)")
    grep = f"grep -a 'GUEST-DISK vm={vm} verify tag={tag} ' {log} || true"
    deadline = time.monotonic() + timeout
    partial = None
    while time.monotonic() < deadline:
        _, out = m.console_run(where, grep, timeout=30)
        mm = pat.search(out)
        if mm:
            return tuple(int(x) for x in mm.groups())
        if f"tag={tag} " in out:
            # the guest may still be writing the line (its console is a
            # serial port written byte by byte): read it again
            partial = out
        time.sleep(poll)
    if partial is not None:
        raise TestFailure(f"{vm}'s answer to 'verify {tag}' is not a record count: {partial!r}")
    after = control_counts(m, where, vm)
    # (echo: the console's last line may lack its newline, and the end
    # marker must start a line)
    _, tail = m.console_run(where, f"tail -c 600 {log}; echo", timeout=30)
    evidence = lost_command_evidence(before, after, len(f'verify {tag}') + 1)
    if evidence.startswith("the guest stopped beating"):
        evidence += "; " + stalled_guest_evidence(m, where, vm)
    raise TestFailure(f"{vm} did not answer 'verify {tag}' within {timeout}s; "
                      f"{evidence}; its console ends: {tail!r}")


# A stalled guest's QEMU in its node: every thread's state and CPU ticks
# (utime, stime) twice, 2 s apart, and where it sleeps; then its stderr and
# the node's last kernel lines. busybox sh; a thread's comm may hold spaces,
# so the fields are cut after its closing parenthesis.
STALL_SCRIPT = (
    "d=/run/mint/vm/{vm}; p=$(cat $d/pid 2>/dev/null); "
    "echo \"pid=$p exit=$(cat $d/exit 2>/dev/null)\"; "
    "for i in 1 2; do for t in /proc/$p/task/*; do "
    "echo \"$(cat $t/comm 2>/dev/null): $(sed 's/.*) //' $t/stat 2>/dev/null | cut -d' ' -f1,12,13)"
    " $(cat $t/wchan 2>/dev/null)\"; done; [ $i = 1 ] && sleep 2; done; "
    "tail -c 300 $d/qemu.err 2>/dev/null; dmesg | tail -n 5")


def stalled_guest_evidence(m, where, vm):
    """What tells a stalled guest's layer apart: its QEMU's threads in the
    node (running and using CPU, or asleep, and where), QEMU's stderr, the
    node's kernel log and, when @m is the rig's Machine, the emulator's
    interrupt faults QEMU's view of the CPUs shows (docs/timings.md)."""
    _, out = m.console_run(where, STALL_SCRIPT.format(vm=vm), timeout=60)
    text = "; ".join(line.strip() for line in out.splitlines() if line.strip())
    dump, faults = getattr(m, "dump_cpus", None), getattr(m, "emulator_faults", None)
    if dump and faults:
        found = faults(dump())
        text += "; emulator faults: " + ("; ".join(found) if found else "none seen")
    return f"in its node: {text}"


def control_counts(m, where, vm):
    """(heartbeat n, control-port bytes received) from VM's last
    heartbeat, or None when the console has none with ctl-rx=."""
    _, out = m.console_run(where, f"grep -a GUEST-HEARTBEAT /run/mint/vm/{vm}/console.log | tail -1",
                           timeout=30)
    mm = re.search(r"n=(\d+) .*ctl-rx=(\d+)", out)
    return (int(mm.group(1)), int(mm.group(2))) if mm else None


def lost_command_evidence(before, after, nbytes):
    """Which layer lost a control command of @nbytes bytes, from the
    guest's (heartbeat, control-port rx) counts @before the command was
    sent and @after the wait for its answer ended."""
    if before is None or after is None:
        return f"no control-port counts in the guest's heartbeats (before {before}, after {after})"
    (n0, rx0), (n1, rx1) = before, after
    if n1 <= n0 + 1:
        return (f"the guest stopped beating (heartbeat {n0} -> {n1}): the guest or its node "
                f"stalled, not the control port")
    if rx1 - rx0 >= nbytes:
        return (f"the guest's UART driver received the command (ctl-rx {rx0} -> {rx1}, "
                f"{nbytes} bytes sent) while heartbeats went on ({n0} -> {n1}): lost inside "
                f"the guest after the driver, in our reader (kvm-per-node/guest/init)")
    return (f"the command never reached the guest's UART driver (ctl-rx {rx0} -> {rx1}, "
            f"{nbytes} bytes sent) while heartbeats went on ({n0} -> {n1}): lost between "
            f"mint-vm's FIFO, the node's QEMU and the guest's UART")
