# SPDX-License-Identifier: GPL-2.0
"""What the tests and the experiments ask of our test guests
(kvm-per-node/guest/init) through a node's shell.

`m` is anything with console_run(where, script, timeout) -> (status,
output): the rig's Machine (where = "com2") or an experiments target
(where = "node1").
"""

import re
import time

from machine import TestFailure


def verify_records(m, where, vm, timeout=90):
    """Ask VM to re-read every disk record it wrote; returns (good, bad,
    holes, last) of the report that answers this request. The request
    carries a tag the guest prints back, so an earlier report still on the
    console cannot be taken for it. Raises TestFailure with what the
    guest's console shows when the answer does not come or is garbled."""
    tag = f"t{time.time_ns() // 1000000 % 10 ** 9}"
    log = f"/run/mint/vm/{vm}/console.log"
    rc, out = m.console_run(where, f"mint-vm inject {vm} 'verify {tag}'")
    if rc or f"sent 'verify {tag}'" not in out:
        raise TestFailure(f"mint-vm inject {vm} 'verify {tag}' failed (status {rc}): {out!r}")
    pat = re.compile(rf"GUEST-DISK vm={vm} verify tag={tag} good=(\d+) bad=(\d+) holes=(\d+) "
                     rf"last=(\d+)")
    grep = f"grep -a 'GUEST-DISK vm={vm} verify tag={tag} ' {log} || true"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _, out = m.console_run(where, grep, timeout=30)
        mm = pat.search(out)
        if mm:
            return tuple(int(x) for x in mm.groups())
        if f"tag={tag} " in out:
            raise TestFailure(f"{vm}'s answer to 'verify {tag}' is not a record count: {out!r}")
        time.sleep(2)
    _, tail = m.console_run(where, f"tail -c 600 {log}", timeout=30)
    raise TestFailure(f"{vm} did not answer 'verify {tag}' within {timeout}s; "
                      f"its console ends: {tail!r}")
