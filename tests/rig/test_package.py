#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of how the checkout's Python is imported (tests/__init__.py); one
PASS:/FAIL: line per test. Run by tests/rig/test_machine.py (make check's
rig-unit), or alone:

  python3 tests/rig/test_package.py

- every .py file under tests/ and bench/ is in a package;
- every module there imports by its package name with
  only the checkout's root on the path, as `python3 -m` has it;
- every script (one with a __main__ block) also imports as
  `python3 FILE` runs it (its own directory first on the path, not the
  root), without running its main;
- the only sys.path change anywhere is a script's bootstrap for that.
"""

import ast
import os
import pathlib
import re
import subprocess
import sys
import tempfile

if not __package__:  # python3 FILE rather than -m (README.md)
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOPS = ("tests", "bench")
GUARD = re.compile(r"^if not __package__:  # .*\n"
                   r"    sys\.path\.insert\(0, str\(pathlib\.Path\(__file__\)\.resolve\(\)"
                   r"\.parents\[(\d)\]\)\)\n", re.M)


def modules(root=ROOT):
    """(path relative to root, dotted name) of every .py file in a package
    under TOPS, sorted; a directory without __init__.py is not walked."""
    found = []
    for top in TOPS:
        for d, dirs, files in os.walk(os.path.join(root, top)):
            if "__init__.py" not in files:
                dirs[:] = []
                continue
            dirs[:] = sorted(n for n in dirs if n != "__pycache__")
            rel = os.path.relpath(d, root)
            for n in sorted(files):
                if n.endswith(".py"):
                    parts = rel.split(os.sep) + ([] if n == "__init__.py" else [n[:-3]])
                    found.append((os.path.join(rel, n), ".".join(parts)))
    return found


def outside_packages(root=ROOT):
    """.py files under TOPS in a directory without __init__.py: python3 -m
    cannot run them and the checks here would not see them."""
    found = []
    for top in TOPS:
        for d, dirs, files in os.walk(os.path.join(root, top)):
            dirs[:] = sorted(n for n in dirs if n != "__pycache__")
            if "__init__.py" not in files:
                found += [os.path.relpath(os.path.join(d, n), root) for n in sorted(files)
                          if n.endswith(".py")]
    return found


def path_problems(rel, text):
    """What is wrong with a file's sys.path use: only a script's bootstrap
    may change it, with the depth of the file below the root."""
    why = []
    guards = GUARD.findall(text)
    if len(guards) > 1:
        why.append("more than one bootstrap")
    if guards and int(guards[0]) != rel.count(os.sep):
        why.append(f"bootstrap goes up parents[{guards[0]}], the root is "
                   f"parents[{rel.count(os.sep)}]")
    if guards and "__main__" not in text:
        why.append("a bootstrap in a module that is no script")
    uses = sum(1 for n in ast.walk(ast.parse(text, rel)) if isinstance(n, ast.Attribute)
               and n.attr == "path" and isinstance(n.value, ast.Name) and n.value.id == "sys")
    if uses != len(guards):
        why.append("sys.path used outside the bootstrap")
    return why


def clean_env():
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    return env


def import_all(names):
    """{name: error} of the names that do not import in a fresh python3
    whose path starts with the root (python3 -m's)."""
    code = ("import importlib, sys\n"
            "for n in sys.argv[1:]:\n"
            "    try:\n"
            "        importlib.import_module(n)\n"
            "    except BaseException as e:\n"
            "        print(n, type(e).__name__, str(e).replace('\\n', ' ')[:200])\n")
    p = subprocess.run([sys.executable, "-c", code, *names], cwd=ROOT, env=clean_env(),
                       capture_output=True, text=True)
    bad = {}
    for line in p.stdout.splitlines():
        n, _, err = line.partition(" ")
        bad[n] = err
    if p.returncode:
        bad["(python3)"] = f"exit {p.returncode}: {p.stderr.strip()[-300:]}"
    return bad


def import_as_file(rel, cwd):
    """None, or why the script does not import as `python3 FILE` would run
    it: from another directory, its own directory first on the path."""
    path = os.path.join(ROOT, rel)
    code = ("import runpy, sys\n"
            "sys.path[0] = sys.argv[2]\n"
            "runpy.run_path(sys.argv[1], run_name='__import_check__')\n")
    p = subprocess.run([sys.executable, "-c", code, path, os.path.dirname(path)], cwd=cwd,
                       env=clean_env(), capture_output=True, text=True)
    if p.returncode:
        return (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1][:300]
    return None


def main():
    failed = 0

    def report(name, why):
        nonlocal failed
        if why:
            failed += 1
            print(f"FAIL: rig/package/{name}: {why}")
        else:
            print(f"PASS: rig/package/{name}")

    mods = modules()
    texts = {}
    for rel, _ in mods:
        with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
            texts[rel] = f.read()
    report("found", None if len(mods) > 30 and ("tests/rig/machine.py", "tests.rig.machine") in mods
           else f"only {len(mods)} modules found under {', '.join(TOPS)}")
    report("all-in-packages", ", ".join(outside_packages()))
    bad = {rel: "; ".join(w) for rel, t in texts.items() for w in [path_problems(rel, t)] if w}
    report("bootstrap-only", "; ".join(f"{r}: {w}" for r, w in sorted(bad.items())))
    bad = import_all([n for _, n in mods])
    report("import-by-name", "; ".join(f"{n}: {e}" for n, e in sorted(bad.items())))
    scripts = [rel for rel, _ in mods if "__main__" in texts[rel]]
    with tempfile.TemporaryDirectory() as cwd:
        bad = {rel: why for rel in scripts for why in [import_as_file(rel, cwd)] if why}
    report(f"import-as-file ({len(scripts)} scripts)",
           "; ".join(f"{r}: {w}" for r, w in sorted(bad.items())))
    return failed


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
