# SPDX-License-Identifier: GPL-2.0
"""Tests of how the checkout's Python is imported (tests/__init__.py); one
PASS:/FAIL: line per test. Run by tests/rig/test_machine.py (make check's
rig-unit), or alone, from the checkout's root:

  python3 -m tests.rig.test_package

- every .py file under tests/ and bench/ is in a package;
- every module there imports by its package name with
  only the checkout's root on the path, as `python3 -m` has it;
- no module reads or changes the module search path (the syntax
  trees have no path attribute of sys, no `from sys import path`);
- nothing runs a Python script as a file (python3 and a path ending in
  .py) in the Makefiles, shell scripts, Python and docs, nor
  [sys.executable, "FILE.py", ...] in the Python: `python3 -m` instead;
- no module has a #! line or an executable bit, which would offer it as
  a file to run.
"""

import ast
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOPS = ("tests", "bench")
# python3, options other than -m, then a path ending in .py or a variable
# ($t, "$(T)"): a script run as a file
AS_FILE = re.compile(r"\bpython3?\s+(?:-[^m\s]\S*\s+)*[\"']?"
                     r"(?:[^\s'\"`-][^\s'\"`]*\.py\b|\$[({]?\w+[)}]?(?![\w/.]))")


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


def search_path_uses(rel, text):
    """Line numbers where a module's syntax tree uses the module search
    path (the path attribute of sys, from sys import path): -m puts the
    root there, nothing else may."""
    lines = []
    for n in ast.walk(ast.parse(text, rel)):
        if (isinstance(n, ast.Attribute) and n.attr == "path" and isinstance(n.value, ast.Name)
                and n.value.id == "sys"):
            lines.append(n.lineno)
        elif (isinstance(n, ast.ImportFrom) and n.module == "sys"
              and any(a.name == "path" for a in n.names)):
            lines.append(n.lineno)
    return sorted(lines)


def py_file_args(rel, text):
    """Line numbers of argument lists in a module that run a .py file with
    sys.executable: [sys.executable, "x.py"] or
    [sys.executable, os.path.join(..., "x.py")]."""
    def names_py(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value.endswith(".py")
        if isinstance(node, ast.Call) and node.args:
            return names_py(node.args[-1])
        return False
    lines = []
    for n in ast.walk(ast.parse(text, rel)):
        if (isinstance(n, (ast.List, ast.Tuple)) and n.elts
                and isinstance(n.elts[0], ast.Attribute) and n.elts[0].attr == "executable"
                and any(names_py(x) for x in n.elts[1:3])):
            lines.append(n.lineno)
    return lines


def runs_as_file(root=ROOT):
    """file:line of every python3 run of a .py path or of a variable
    ($t, "$(T)") in the Makefiles, the shell scripts and Python under TOPS,
    and the docs."""
    files = ["Makefile", "README.md"] + glob.glob("docs/*.md", root_dir=root)
    for pat in ("**/*.mk", "**/*.sh", "**/*.py", "**/*.md"):
        for top in TOPS + ("partitioner", "kvm-per-node", "node-loader"):
            files += glob.glob(os.path.join(top, pat), root_dir=root, recursive=True)
    found = []
    files = set(files) - {"tests/rig/test_package.py"}  # the examples in detector_problems
    for rel in sorted(files):
        try:
            with open(os.path.join(root, rel), encoding="utf-8") as f:
                lines = f.read().splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        found += [f"{rel}:{i}" for i, line in enumerate(lines, 1) if AS_FILE.search(line)]
    return found


def detector_problems():
    """What the checks above miss or wrongly find in known text."""
    why = []
    code = ("import sys\nfrom sys import path\n" "sys" ".path.insert(0, 'x')\n"
            "p = [sys.executable, os.path.join(ROOT, 'bench', 'x.py'), 'a']\n"
            "q = [sys.executable, '-m', 'bench.x']\nr = [sys.executable, 'y.py']\n")
    if search_path_uses("t.py", code) != [2, 3]:
        why.append(f"search_path_uses: {search_path_uses('t.py', code)}")
    if py_file_args("t.py", code) != [4, 6]:
        why.append(f"py_file_args: {py_file_args('t.py', code)}")
    runs = ["python3 tests/x.py", "B=1 python3 $(t)\"", "python3 \"$here/t/y.py\" \\",
            "python3 -u bench/x.py", "sudo python3 $f"]
    others = ["python3 -m $(subst /,.,$(t))", "python3 -m json.tool \"$x\"",
              "python3 -c 'import sys; open(\"a.py\")'", "python3 - \"$tmp/o\" <<'PY'",
              "B=1 python3 -m tests.rig.test_machine", "the python3 process"]
    why += [f"misses {s!r}" for s in runs if not AS_FILE.search(s)]
    why += [f"finds {s!r}" for s in others if AS_FILE.search(s)]
    return "; ".join(why)


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
    report("detectors", detector_problems())
    bad = {rel: w for rel, t in texts.items() for w in [search_path_uses(rel, t)] if w}
    report("no-search-path", "; ".join(f"{r}: line {', '.join(map(str, w))}"
                                     for r, w in sorted(bad.items())))
    bad = import_all([n for _, n in mods])
    report("import-by-name", "; ".join(f"{n}: {e}" for n, e in sorted(bad.items())))
    bad = {rel: w for rel, t in texts.items() for w in [py_file_args(rel, t)] if w}
    report("no-sys-executable-file", "; ".join(f"{r}: line {', '.join(map(str, w))}"
                                               for r, w in sorted(bad.items())))
    report("no-python3-file", ", ".join(runs_as_file()))
    report("not-executable", ", ".join(
        rel for rel, t in sorted(texts.items())
        if t.startswith("#!") or os.stat(os.path.join(ROOT, rel)).st_mode & 0o111))
    return failed


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
