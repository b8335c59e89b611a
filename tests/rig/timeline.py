"""A node start's timeline as `mintctl status --json` gives it
(docs/config.md, kernel-patches/0027), for tests and benchmarks."""

import json
import time


def wait_timeline(m, node, phase, tries=90):
    """@node's timeline once @phase is stamped (the node's user phases
    come after `mintctl start` returns), polled once a second; after
    @tries polls the last one seen (None, or @phase not stamped)."""
    tl = None
    for _ in range(tries):
        _, out = m.run(f"mintctl status --json {node}")
        tl = json.loads(out)["nodes"][0]["timeline"]
        if tl and any(p["phase"] == phase and p["tsc"] for p in tl["phases"]):
            break
        time.sleep(1)
    return tl


def stamped_ms(m, node, phase, tries=90):
    """{phase: ms from the origin} of the phases stamped once @phase is;
    RuntimeError when it never is."""
    tl = wait_timeline(m, node, phase, tries)
    ms = {p["phase"]: p["ms"] for p in tl["phases"] if p["tsc"]} if tl else {}
    if phase not in ms:
        raise RuntimeError(f"{node}'s timeline never reached {phase}: {tl}")
    return ms
