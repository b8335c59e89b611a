# SPDX-License-Identifier: GPL-2.0
"""The mutation check: every mutant of the pure code must fail a test.

  python3 -m tests.mutation.run [--out DIR] [--images DIR] [--jobs N] [ID...]

Each mutant of tests/mutation/mutants.py (file, exact original text,
replacement, why) is applied, one at a time, to a copy of the source tree
(never to this checkout); the copy is built without sanitizers and the fast
suites that cover the mutated file run against it, each stopping at its
first failure (MINT_FAIL_FAST; the baseline runs them whole): libmint's Check unit
tests, the config corpus and the CLI tests; node-loader's unit tests; or
mintbench's unit, CLI and report tests. The first suite that fails kills
the mutant. Style checks (clang-format, shellcheck) do not count: a mutant
must change behaviour that a test sees.

One line per mutant: "PASS: mutation/ID: killed by TEST" or "FAIL:
mutation/ID: survived ..."; a mutant whose original text does not occur
exactly once in its file, or that does not compile, is a FAIL too, so the
list cannot rot silently. The unmutated copy runs every suite first
("mutation/baseline"): a test that fails there fails the check.

--images DIR is the build directory holding bzImage and guest/vmlinuz for
node-loader's tests of the real images (default: $B or ./build). Mutant
IDs as arguments run only those mutants.

libmint and node-loader's library are shared libraries here, so a mutant of
either relinks one library and the test binaries and mintctl of the
unmutated build find it through LD_LIBRARY_PATH.
"""

import argparse
import glob
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

from tests.mutation.mutants import MUTANTS

CFLAGS = ["-std=gnu11", "-O1", "-w", "-D_GNU_SOURCE"]
SUITE_TIMEOUT = 300
# Failures that say nothing about behaviour. The style checks moved to
# tests/lint.sh, which no mutant suite runs; none is left here.
STYLE_TESTS = set()
# Which files a mutant may touch, and the suites that can kill it, in order.
GROUPS = [
    ("partitioner/lib/", "libmint", ["unit", "corpus", "cli"]),
    ("node-loader/lib/", "node-loader", ["nl", "corpus", "cli"]),
    ("bench/evalprog/", "mintbench", ["bench-check", "bench-cli", "bench-report"]),
]
ALL_SUITES = ["unit", "corpus", "cli", "nl", "bench-check", "bench-cli", "bench-report"]


def group_of(path):
    for prefix, name, suites in GROUPS:
        if path.startswith(prefix) and path.endswith(".c") and "/tests/" not in path:
            return name, suites
    return None, None


def sh(cmd, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, errors="replace")
    if p.returncode:
        raise RuntimeError(f"{' '.join(cmd[:3])} ...: {p.stdout.strip()[:600]}")
    return p.stdout


def check_flags():
    return (sh(["pkg-config", "--cflags", "check"]).split(),
            sh(["pkg-config", "--libs", "check"]).split())


def sources(root):
    def rel(pat):
        return sorted(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, pat)))

    return {
        "lib": rel("partitioner/lib/*.c"),
        "ctl": rel("partitioner/mintctl/*.c"),
        "nl": rel("node-loader/lib/*.c"),
        "unit": rel("tests/unit/check_*.c"),
        "nlt": rel("tests/unit/test_node_loader.c") + rel("tests/unit/test_nl_*.c"),
        "mb": ["bench/evalprog/mb_lib.c", "bench/evalprog/mb_run.c"],
        "mbmain": ["bench/evalprog/mintbench.c"],
        "mbt": rel("bench/evalprog/tests/*.c"),
    }


def compile_flags(rel, root, ck_cflags):
    if rel.startswith(("partitioner/", "tests/unit/check_")):
        extra = ["-I", f"{root}/partitioner/lib", "-I", f"{root}/node-loader/lib"]
        if rel == "tests/unit/check_kexec_image.c":  # real images of the copy
            extra.append(f'-DKI_BZIMAGE="{root}/tests/config/sysroot/preflight/boot/mint/bzImage"')
    elif rel.startswith("tests/unit/"):
        extra = [f'-DNL_FIXTURES_DIR="{root}/tests/unit/fixtures"']
    elif rel.startswith("bench/evalprog/tests/"):
        extra = ["-I", f"{root}/bench/evalprog"]
    else:
        extra = []
    if rel.startswith(("partitioner/lib/", "node-loader/lib/")):
        extra.append("-fPIC")
    return CFLAGS + extra + (ck_cflags if rel.startswith(("tests/", "bench/evalprog/tests/")) else [])


def objname(out, rel):
    return os.path.join(out, "obj", rel.replace("/", "__") + ".o")


def compile_one(rel, root, out, ck_cflags):
    obj = objname(out, rel)
    os.makedirs(os.path.dirname(obj), exist_ok=True)
    sh(["gcc"] + compile_flags(rel, root, ck_cflags) + ["-c", os.path.join(root, rel), "-o", obj])
    return obj


LIBS = {"libmint": ("libmint.so", "lib"), "node-loader": ("libnl.so", "nl")}


def link_lib(objs, src, d, group):
    """Links the shared library of @group into the directory @d."""
    name, key = LIBS[group]
    os.makedirs(d, exist_ok=True)
    sh(["gcc", "-shared", "-o", os.path.join(d, name)] + [objs[r] for r in src[key]])


def link(objs, src, out, ck_libs, which):
    """Links the binaries of the groups in @which from the objects @objs."""
    def o(key):
        return [objs[r] for r in src[key]]

    b = os.path.join(out, "bin")
    os.makedirs(b, exist_ok=True)
    bins = {"libpath": [b]}
    libs = ["-L", b, "-lmint", "-lnl"]
    if "libmint" in which or "node-loader" in which:
        for group in LIBS:
            link_lib(objs, src, b, group)
        sh(["gcc", "-o", f"{b}/mintctl"] + o("ctl") + libs)
    if "libmint" in which:
        for rel in src["unit"]:
            name = os.path.basename(rel)[:-2]
            # check_kexec_image composes images with node-loader
            sh(["gcc", "-o", f"{b}/{name}", objs[rel]] + libs + ck_libs)
    if "node-loader" in which:
        sh(["gcc", "-o", f"{b}/test_node_loader"] + o("nlt") + ["-L", b, "-lnl"] + ck_libs)
    if "mintbench" in which:
        sh(["gcc", "-static", "-o", f"{b}/mintbench"] + o("mbmain") + o("mb"))
        sh(["gcc", "-o", f"{b}/check_mintbench"] + o("mbt") + o("mb") + ck_libs)
    bins["mintctl"] = f"{b}/mintctl"
    bins["unit"] = [f"{b}/{os.path.basename(r)[:-2]}" for r in src["unit"]]
    bins["nl"] = f"{b}/test_node_loader"
    bins["mintbench"] = f"{b}/mintbench"
    bins["check_mintbench"] = f"{b}/check_mintbench"
    return bins


def suite_cmd(name, bins, work, images, root):
    env = dict(os.environ, LD_LIBRARY_PATH=":".join(bins["libpath"]))
    if bins.get("fail_fast"):
        env["MINT_FAIL_FAST"] = "1"
    if name == "unit":
        return ["tests/unit/run-check.sh"] + bins["unit"], env
    if name == "corpus":
        return ["tests/config/run-corpus.sh", bins["mintctl"]], env
    if name == "cli":
        return ["tests/config/run-cli.sh", bins["mintctl"]], env
    if name == "nl":
        env.update(MINT_BZIMAGE=f"{images}/bzImage", MINT_STOCK_BZIMAGE=f"{images}/guest/vmlinuz",
                   MINT_FIXTURES=f"{root}/tests/unit/fixtures")
        return [bins["nl"]], env
    if name == "bench-check":
        return ["bench/evalprog/tests/run-check.sh", bins["check_mintbench"], f"{work}/bench"], env
    if name == "bench-cli":
        return ["bench/evalprog/tests/cli.sh", bins["mintbench"], f"{work}/bench"], env
    return ["python3", "-m", "bench.report.tests.test_mintreport",
            f"--mintbench={bins['mintbench']}", f"--work={work}/report"], env


def run_suite(name, bins, work, images, root):
    """Returns (rc, failing test names, output); rc None on a timeout."""
    cmd, env = suite_cmd(name, bins, work, images, root)
    os.makedirs(work, exist_ok=True)
    p = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, text=True, errors="replace",
                         start_new_session=True)
    try:
        out, _ = p.communicate(timeout=SUITE_TIMEOUT)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        rc = None
    fails = [line[6:].split(": ", 1)[0] for line in out.splitlines() if line.startswith("FAIL: ")]
    return rc, fails, out


EXPORTED = re.compile(r"^(?!static\b)[a-z][\w \t*]*?\b([a-z]\w*)\s*\(", re.M)


def likely_first(root, mutated, tests, bins):
    """@bins (one per test source of @tests) with the tests that call the
    most functions @mutated exports first: the unit suite stops at its first
    failing binary, so the one that kills a mutant best runs first."""
    with open(os.path.join(root, mutated), encoding="utf-8") as f:
        names = set(EXPORTED.findall(f.read()))

    def score(i):
        with open(os.path.join(root, tests[i]), encoding="utf-8") as f:
            text = f.read()
        return -sum(text.count(n + "(") for n in names)
    return [bins[i] for i in sorted(range(len(bins)), key=score)]


class Worker:
    """One copy of the tree; applies a mutant, builds, runs its suites."""

    def __init__(self, k, args, base, src, ck):
        self.root = os.path.join(args.out, f"tree{k}")
        self.out = os.path.join(args.out, f"build{k}")
        self.args, self.base_objs, self.src, self.ck = args, base[0], src, ck
        self.base_bins = base[1]

    def suites(self, names, bins, ignore):
        """First suite (of @names) that fails: (suite, why) or None."""
        for name in names:
            rc, fails, out = run_suite(name, bins, os.path.join(self.out, "work"),
                                       self.args.images, self.root)
            real = [f for f in fails if f not in STYLE_TESTS and (name, f) not in ignore]
            if rc is None:
                return name, f"{name} timed out after {SUITE_TIMEOUT} s"
            if real:
                return name, real[0] + (f" (+{len(real) - 1} more)" if len(real) > 1 else "")
            if rc != 0 and not fails:
                return name, f"{name} exited {rc} without a FAIL line"
        return None

    def mutant(self, m, ignore):
        path = os.path.join(self.root, m.file)
        with open(path, encoding="utf-8") as f:
            orig = f.read()
        group, names = group_of(m.file)
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(orig.replace(m.old, m.new, 1))
            objs = dict(self.base_objs)
            try:
                objs[m.file] = compile_one(m.file, self.root, self.out, self.ck[0])
                if group in LIBS:
                    # the unmutated binaries, with this mutant's library first
                    d = os.path.join(self.out, "lib")
                    shutil.rmtree(d, ignore_errors=True)
                    link_lib(objs, self.src, d, group)
                    bins = dict(self.base_bins, libpath=[d] + self.base_bins["libpath"])
                    bins["unit"] = likely_first(self.root, m.file, self.src["unit"],
                                                bins["unit"])
                else:
                    bins = link(objs, self.src, self.out, self.ck[1], {group})
                    bins["libpath"] = self.base_bins["libpath"]
                bins["fail_fast"] = True
            except RuntimeError as e:
                return False, f"does not compile: {str(e).splitlines()[-1][:300]}"
            hit = self.suites(names, bins, ignore)
        finally:
            with open(path, "w", encoding="utf-8") as f:
                f.write(orig)
        if hit:
            return True, f"killed by {hit[1]}"
        return False, f"survived {', '.join(names)}: {m.file}: {m.why}"


def copy_tree(dst, avoid):
    """Copies the checkout to @dst, less git, build and run directories."""
    # build-debug: make debug-check's default build directory (DEBUG_B)
    skip = {os.path.join(ROOT, n) for n in (".git", "build", "build-debug", "runs")} | set(avoid)

    def ignore(d, names):
        return [n for n in names if n == "__pycache__" or os.path.join(d, n) in skip]

    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(ROOT, dst, symlinks=True, ignore=ignore)


def parallel(jobs, fn, items):
    q = queue.Queue()
    for it in items:
        q.put(it)
    results = {}

    def loop(k):
        while True:
            try:
                it = q.get_nowait()
            except queue.Empty:
                return
            try:
                results[it] = fn(k, it)
            except Exception as e:  # noqa: BLE001 - reported by the caller
                results[it] = e

    threads = [threading.Thread(target=loop, args=(k,)) for k in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    b = os.environ.get("B", os.path.join(ROOT, "build"))
    ap.add_argument("--out", default=os.path.join(b, "tests", "mutation"))
    ap.add_argument("--images", default=b)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("ids", nargs="*")
    args = ap.parse_args()
    args.out = os.path.abspath(args.out)
    args.images = os.path.abspath(args.images)
    t0 = time.monotonic()
    lock = threading.Lock()

    def say(line):
        with lock:
            print(line, flush=True)

    ids = [m.id for m in MUTANTS]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    unknown = [i for i in args.ids if i not in ids]
    if dup or unknown:
        say(f"FAIL: mutation/list: duplicate ids {dup}, unknown ids {unknown}")
        return 1
    todo, bad = [], 0
    for m in MUTANTS:
        if args.ids and m.id not in args.ids:
            continue
        try:
            with open(os.path.join(ROOT, m.file), encoding="utf-8") as f:
                n = f.read().count(m.old)
        except OSError as e:
            n = f"unreadable ({e.strerror})"
        if group_of(m.file)[0] is None:
            say(f"FAIL: mutation/{m.id}: {m.file} is not pure code this check covers")
            bad += 1
        elif n != 1:
            say(f"FAIL: mutation/{m.id}: the original text occurs {n} times in {m.file}, "
                "not exactly once; update the mutant")
            bad += 1
        elif m.old == m.new:
            say(f"FAIL: mutation/{m.id}: the replacement equals the original")
            bad += 1
        else:
            todo.append(m)

    os.makedirs(args.out, exist_ok=True)
    for k in range(args.jobs):
        copy_tree(os.path.join(args.out, f"tree{k}"), [args.out, args.images])
    base_root = os.path.join(args.out, "tree0")
    src = sources(base_root)
    ck = check_flags()
    base_out = os.path.join(args.out, "base")
    everything = [r for key in src for r in src[key]]
    try:
        objs = parallel(args.jobs, lambda k, rel: compile_one(rel, base_root, base_out, ck[0]),
                        everything)
        errors = [v for v in objs.values() if isinstance(v, Exception)]
        if errors:
            raise RuntimeError(str(errors[0]))
        base_bins = link(objs, src, base_out, ck[1], {"libmint", "node-loader", "mintbench"})
    except RuntimeError as e:
        say(f"FAIL: mutation/build: the unmutated tree does not build: {e}")
        return 1

    # The unmutated tree must pass; whatever fails there cannot kill.
    workers = [Worker(k, args, (objs, base_bins), src, ck) for k in range(args.jobs)]
    base = parallel(args.jobs, lambda k, name: run_suite(
        name, base_bins, os.path.join(args.out, f"base-work{k}"), args.images,
        workers[k].root), ALL_SUITES)
    ignore, baseline_ok = set(), True
    for name in ALL_SUITES:
        if isinstance(base[name], Exception):
            base[name] = (1, [], str(base[name]))
        rc, fails, out = base[name]
        for f in fails:
            ignore.add((name, f))
        if rc != 0 or fails:
            baseline_ok = False
            why = ", ".join(fails[:3]) if fails else f"exit {rc}: {out.strip()[-300:]}"
            say(f"FAIL: mutation/baseline-{name}: fails without a mutant: {why}")
    if baseline_ok:
        say("PASS: mutation/baseline (every suite passes on the unmutated copy)")

    def one(k, m):
        killed, detail = workers[k].mutant(m, ignore)
        say(f"{'PASS' if killed else 'FAIL'}: mutation/{m.id}: {detail}")
        return killed

    results = parallel(args.jobs, one, todo)
    for m in todo:
        if isinstance(results.get(m), Exception):
            say(f"FAIL: mutation/{m.id}: the run failed: {results[m]}")
    killed = sum(1 for m in todo if results.get(m) is True)
    survivors = [m.id for m in todo if results.get(m) is not True]
    total = len(todo) + bad
    say(f"mutation: {total} mutants, {killed} killed, {len(survivors)} survived, "
        f"{bad} broken; score {killed}/{total} in {time.monotonic() - t0:.0f} s")
    if survivors:
        say("survivors: " + " ".join(survivors))
    return 0 if baseline_ok and not survivors and not bad else 1


if __name__ == "__main__":
    sys.exit(main())
