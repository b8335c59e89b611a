"""Reading a command's answer off a node's console (pure functions; the
rig's Machine.console_run() types the command and polls the console).

The shell prints "@@BEGIN id", the command's output in base64, then
"@@END id status". The node's kernel writes its own messages onto the
same UART between two chunks of the shell's output, anywhere in a line
(seen: 'echo "@@E' + a bridge message + '""ND ...' in a typed line's echo,
and a clean-clone run's begin marker cut the same way as the bridge port
of a freshly started node came up: docs/timings.md, flake class 5).
"""

import base64
import re

# one line the kernel wrote, with its timestamp ("[    4.032605] ...\r\n")
KERNEL_LINE = re.compile(r"\[ *\d+\.\d+\] [^\n]*\n")


class Garbled(Exception):
    """The answer arrived, but not as the shell printed it."""


def answer(text, cid):
    """What a node's shell answered to the command @cid, read from @text
    (its console since the command was typed): None until the end marker
    has arrived, else (status, output). The kernel's lines are taken out
    first; the output was printed in base64, which has no '[', so none of
    it is taken with them (a command's own output may look like a kernel
    line: dmesg, a guest's console log). Raises Garbled when the begin
    marker or the output did not survive (never read as empty output: an
    "absent" check would pass on it)."""
    clean = KERNEL_LINE.sub("", text)
    # a kernel line may still follow the status on its line, not complete
    # yet ("@@END id 0[  3.36"): the status ends at the first non-digit
    end = re.search(rf"^@@END {cid} (\d+)(?=\D)", clean, re.M)
    if not end:
        return None
    begin = re.search(rf"^@@BEGIN {cid}\r?$", clean[:end.start()], re.M)
    if not begin:
        raise Garbled("lost its begin marker (the console dropped or garbled bytes)")
    body = clean[begin.end():end.start()]
    try:
        out = base64.b64decode("".join(body.split()), validate=True)
    except ValueError:
        raise Garbled(f"is not the base64 the shell printed (the console dropped or garbled "
                      f"bytes, or the shell could not write its output file): {body[-300:]!r}") from None
    return int(end.group(1)), out.decode("utf-8", "replace")
