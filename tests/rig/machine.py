"""The emulated x86 machine: one launcher for the demo, the tests and the
benchmarks.

QEMU q35 in software emulation (TCG, multi-threaded by default; tests
without nested guests run single-threaded, see docs/timings.md), -cpu max (emulated AMD
SVM with nested paging, so every kernel in it can be a KVM host), N vCPUs,
M memory, and four ISA UARTs each on its own IRQ line and in its own log file:
COM1 is node0's console, COM2..COM4 are reserved for nodes. node0's kernel
command line carries `mintctl bootargs CONFIG` (the config's reservations);
the config itself reaches node0 through fw_cfg as opt/mint/partition.conf.
A virtio-serial port (mint.ctl) is the control channel: run() executes a
shell script in node0 and returns its exit status and output.

Every run keeps all its logs in one run directory:
  qemu.cmd      the QEMU command line
  qemu.err      QEMU's stderr (emulator faults show up here)
  com1.log ...  the UARTs
  ctl.log       every control-channel command, its status and output

Command line (from the checkout's root), python3 -m tests.rig.machine and:
  boot [--config C] [--smp N] [--mem M] [--run-dir D]
       [--interactive]     boot; interactive attaches COM1 here
  run RUN_DIR SCRIPT       run SCRIPT in node0 of a booted machine
  stop RUN_DIR             power the machine off
"""

import argparse
import base64
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time

from tests.rig import apic
from tests.rig import console
from tests.rig import disks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("B", os.path.join(ROOT, "build"))

# ISA UARTs: (name, I/O base, IRQ). Distinct IRQ lines so a node's UART never
# shares a line with node0's COM1 (nodes poll theirs anyway).
UARTS = [("com1", 0x3F8, 4), ("com2", 0x2F8, 3), ("com3", 0x3E8, 5), ("com4", 0x2E8, 7)]

# hung_task_timeout_secs: a task blocked that long prints its stack on COM1.
# nohz=off highres=off: a periodic tick. With the tick stopped in idle, a
# CPU of the emulated machine (QEMU 10.0.2, multi-threaded TCG) now and then
# never got its next one-shot LAPIC timer interrupt: "rcu_sched kthread
# timer wakeup didn't happen ... Possible timer handling issue on cpu=0",
# every task sleeping on that CPU's timers hung (in 1 of ~6-20 node
# start/stop cycles). With a periodic tick, 0 in 60 cycles. A rig fault,
# worked around here and in the test configs' node cmdline, not in the
# product (docs/timings.md).
# lapic=notscdeadline: the TSC-deadline timer has no periodic mode, so even
# the periodic tick was a one-shot timer re-armed by the guest every tick,
# and the lost wakeup struck again at node0's boot (CPU 3, 2026-11-23);
# without TSC-deadline node0's LAPIC timer runs in periodic mode, re-armed
# by QEMU itself. (Nodes keep TSC-deadline: they have no PIT or HPET to
# calibrate a LAPIC timer against.)
# apic_end_stale_isr (kernel-patches/0014): a CPU entering idle ends any
# vector still in service. The emulator's lost EOI (a CPU halted with the
# timer vector in service, PPR 0xe0, never ticking again; about one clean-
# clone make check in two, docs/timings.md) is reproduced exactly by
# skipping one EOI (apic_skip_eoi), and the CPU goes through idle after it.
# Each time it ends one, the kernel says so on the console, and the rig
# reports it (emulator_notes()): a fault named, not hidden.
# x2apic_noir (kernel-patches/0035): node0 runs its local APICs in x2APIC
# mode although interrupt remapping is off. The emulator loses EOIs
# written to the xAPIC's MMIO page while the memory map changes (one in
# about 330 PCI decode toggles), never those written as x2APIC MSRs
# (tests/stress/lost_eoi.py, docs/timings.md). The nodes follow: started
# on CPUs in x2APIC mode, their kernels keep it. A machine that must see
# its kernels' IPIs in QEMU's memory-region trace (the footprint suite)
# appends nox2apic, which wins.
NODE0_APPEND = ("console=ttyS0,115200 panic=-1 tsc=reliable hung_task_timeout_secs=30 "
                "nohz=off highres=off lapic=notscdeadline apic_end_stale_isr x2apic_noir")

# Whole PCI devices the machine always has, for node0 to give away
# (configs/demo.conf gives 06.0+07.0 to node1 and 08.0+09.0 to node2): per
# pair a virtio-blk disk backed by a sparse file in the run directory and a
# virtio-net NIC; all NICs sit on one QEMU-internal hub, so the nodes reach
# each other and nothing else.
DEVICES = [("disk1", "blk", 0x6), ("net1", "net", 0x7),
           ("disk2", "blk", 0x8), ("net2", "net", 0x9)]
# The machine's IOMMU (docs/bare-metal.md section 10): QEMU's VT-d, with
# DMA remapping only. node0 confines each node's devices to the node's RAM
# with it. Interrupt remapping stays off: with it on, Linux blocks the
# compatibility-format MSIs that nodes program for their devices. The
# virtio devices nodes get offer VIRTIO_F_ACCESS_PLATFORM
# (iommu_platform=on, modern only), as real devices are: their DMA goes
# through the IOMMU. (Without it QEMU's virtio bypasses the IOMMU.)
IOMMU = ["-device", "intel-iommu,intremap=off"]
# A machine for the stock Debian kernel alone (plain Linux, bench/evaluation.py,
# no nodes): interrupt remapping on with extended interrupt mode, so that
# kernel runs its local APICs in x2APIC mode. The emulator loses EOIs
# written to the xAPIC's MMIO page while the guest changes the memory map
# (PCI decode toggles, BAR sizing: docs/timings.md, measured by
# tests/stress/lost_eoi.py), never those written as x2APIC MSRs; the stock
# kernel has no apic_end_stale_isr to end such a fault, nor x2apic_noir.
# node0 cannot run with remapping on: Linux then blocks the compatibility-
# format MSIs the nodes program for their devices (x2apic_noir instead).
IOMMU_X2APIC = ["-device", "intel-iommu,intremap=on,eim=on"]
NODE_DEVICE_OPTS = ",disable-legacy=on,iommu_platform=on"
DISK_SIZE = 256 << 20


class RigFailure(Exception):
    """The emulator itself failed (crash, assertion, abort). Never a pass."""


class TestFailure(Exception):
    """What the machine printed contradicts the expectation."""


class ConsoleGarbled(TestFailure):
    """A command's output came back without its begin marker: the typed
    line lost characters (e.g. typed before the node's shell was up)."""


def now():
    return time.monotonic()


def mintctl_bootargs(config):
    mintctl = os.path.join(BUILD, "bin", "mintctl")
    p = subprocess.run([mintctl, "bootargs", config], capture_output=True, text=True)
    if p.returncode != 0:
        raise TestFailure(f"mintctl bootargs {config} failed ({p.returncode}): {p.stderr.strip()}")
    return p.stdout.strip()


class Machine:
    def __init__(self, run_dir, config=None, smp=4, mem="4G", kernel=None,
                 initrd=None, append_extra="", interactive=False, extra_args=(),
                 tcg_threads=None, disk_size=DISK_SIZE, disk_parts=0, x2apic=False):
        self.run_dir = os.path.abspath(run_dir)
        self.config = config
        self.smp = smp
        self.mem = mem
        self.kernel = kernel or os.path.join(BUILD, "bzImage")
        self.initrd = initrd or os.path.join(BUILD, "images", "node0.cpio.gz")
        self.append_extra = append_extra
        self.interactive = interactive
        self.extra_args = list(extra_args)
        self.disk_size = disk_size  # each of DEVICES' sparse disks
        self.disk_parts = disk_parts  # and its MBR's equal partitions (0: none)
        self.x2apic = x2apic  # IOMMU_X2APIC instead of IOMMU (a kernel without nodes)
        self.tcg_threads = tcg_threads or os.environ.get("MINT_TCG_THREADS", "multi")
        self.proc = None
        self.noted = False  # stop() reported the emulator's faults
        self.seq = 0
        self.t0 = None
        os.makedirs(self.run_dir, exist_ok=True)

    # ------------------------------------------------------------ launch
    def path(self, name):
        return os.path.join(self.run_dir, name)

    def append_line(self):
        parts = [NODE0_APPEND]
        if self.config:
            parts.append(mintctl_bootargs(self.config))
        if self.append_extra:
            parts.append(self.append_extra)
        return " ".join(parts)

    def command(self):
        cmd = ["qemu-system-x86_64", "-M", "q35", "-accel", f"tcg,thread={self.tcg_threads}",
               "-cpu", "max", "-smp", str(self.smp), "-m", self.mem,
               "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
               "-kernel", self.kernel, "-initrd", self.initrd,
               "-append", self.append_line()] + (IOMMU_X2APIC if self.x2apic else IOMMU)
        for i, (name, iobase, irq) in enumerate(UARTS):
            log = self.path(name + ".log")
            if i == 0 and self.interactive:
                cmd += ["-chardev", f"stdio,id={name},signal=off,logfile={log}"]
            else:
                # A node's console: a socket this process stays connected
                # to, copying what arrives into the log file. (QEMU's own
                # logfile= logs a byte twice when the socket write would
                # block and is retried.)
                sock = self.path(name + ".sock")
                cmd += ["-chardev", f"socket,id={name},path={sock},server=on,wait=off"]
            cmd += ["-device", f"isa-serial,chardev={name},index={i},iobase={iobase:#x},irq={irq}"]
        cmd += ["-device", "virtio-serial-pci,id=vser",
                "-chardev", f"socket,id=ctl,path={self.path('ctl.sock')},server=on,wait=off",
                "-device", "virtserialport,bus=vser.0,chardev=ctl,name=mint.ctl",
                "-monitor", f"unix:{self.path('monitor.sock')},server=on,wait=off"]
        for name, kind, slot in DEVICES:
            if kind == "blk":
                cmd += ["-drive", f"file={self.path(name + '.img')},if=none,id={name},format=raw",
                        "-device", f"virtio-blk-pci,drive={name},bus=pcie.0,addr={slot:#x}"
                                   + NODE_DEVICE_OPTS]
            else:
                cmd += ["-netdev", f"hubport,id={name},hubid=0",
                        "-device", f"virtio-net-pci,netdev={name},bus=pcie.0,addr={slot:#x},"
                                   f"mac=52:54:00:12:34:{slot:02x}" + NODE_DEVICE_OPTS]
        if self.config:
            cmd += ["-fw_cfg", f"name=opt/mint/partition.conf,file={os.path.abspath(self.config)}"]
        return cmd + self.extra_args

    def start(self):
        self.noted = False
        for name, _, _ in UARTS:
            open(self.path(name + ".log"), "w").close()
        for name, kind, _ in DEVICES:
            if kind == "blk":
                with open(self.path(name + ".img"), "wb") as f:
                    if self.disk_parts:
                        f.write(disks.partition_table(self.disk_size, self.disk_parts))
                    f.truncate(self.disk_size)
        for f in ("ctl.sock", "monitor.sock", "ctl.log", "com1.sock", "com2.sock", "com3.sock", "com4.sock"):
            if os.path.exists(self.path(f)):
                os.unlink(self.path(f))
        cmd = self.command()
        with open(self.path("qemu.cmd"), "w") as f:
            f.write(" ".join(shlex.quote(c) for c in cmd) + "\n")
        err = open(self.path("qemu.err"), "w")
        stdin = None if self.interactive else subprocess.DEVNULL
        self.proc = subprocess.Popen(cmd, stdin=stdin, stdout=None if self.interactive else subprocess.DEVNULL,
                                     stderr=err, start_new_session=not self.interactive)
        self.t0 = now()
        with open(self.path("qemu.pid"), "w") as f:
            f.write(f"{self.proc.pid}\n")
        self.uart_socks = {}
        for name, _, _ in UARTS[1 if self.interactive else 0:]:
            self.uart_socks[name] = self._connect_uart(name)
        return self

    def _connect_uart(self, name):
        deadline = now() + 30
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(self.path(name + ".sock"))
                break
            except OSError:
                s.close()
                if not self.alive():
                    self.check_rig()
                if now() > deadline:
                    raise RigFailure(f"QEMU never created {self.path(name + '.sock')}")
                time.sleep(0.05)
        log = open(self.path(name + ".log"), "ab", buffering=0)

        def pump():
            while True:
                try:
                    data = s.recv(65536)
                except OSError:
                    break
                if not data:
                    break
                log.write(data)
            log.close()
        threading.Thread(target=pump, daemon=True).start()
        return s

    # ------------------------------------------------------------ state
    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def check_rig(self):
        """Raise RigFailure if QEMU died on its own (crash/abort/assert)."""
        if self.proc is None or self.proc.poll() is None:
            return
        rc = self.proc.returncode
        err = open(self.path("qemu.err")).read().strip()
        if rc != 0 or re.search(r"assert|Aborted|core dumped|qemu: fatal", err):
            raise RigFailure(f"emulator exited with status {rc}: {err[-500:] or 'no message'} "
                             f"(possible emulator fault; logs in {self.run_dir})")
        raise TestFailure(f"the machine powered off or reset (QEMU exited 0); see {self.path('com1.log')}")

    def log(self, name="com1"):
        with open(self.path(name + ".log"), "rb") as f:
            return f.read().decode("utf-8", "replace")

    def wait_for(self, pattern, timeout, log="com1", since=0, panic_ok=False):
        """Wait until regex `pattern` appears in a UART log after offset `since`.
        Returns the match. Fails (with the log path) on timeout, a kernel
        panic in node0's log, or the emulator's death."""
        rx = re.compile(pattern, re.M)
        deadline = now() + timeout
        while True:
            text = self.log(log)
            m = rx.search(text, since)
            if m:
                return m
            if log == "com1" and not panic_ok and re.search(r"Kernel panic - not syncing", text[since:]):
                raise TestFailure(f"node0 panicked while waiting for /{pattern}/; see {self.path('com1.log')}")
            if not self.alive():
                self.check_rig()
            if now() > deadline:
                self.check_lost_eoi(self.dump_cpus())
                raise TestFailure(f"timed out after {timeout}s waiting for /{pattern}/ "
                                  f"in {self.path(log + '.log')} (QEMU's view of the CPUs: "
                                  f"{self.path('cpus.txt')})")
            time.sleep(0.2)

    # ------------------------------------------------------------ control
    def _ctl(self, timeout):
        deadline = now() + timeout
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.path("ctl.sock"))
                return s
            except OSError:
                s.close()
                if not self.alive():
                    self.check_rig()
                if now() > deadline:
                    raise TestFailure("control channel socket never appeared")
                time.sleep(0.2)

    def run(self, script, timeout=120, check=True):
        """Run a shell script in node0; returns (status, output)."""
        self.seq += 1
        cid = f"c{self.seq}-{os.getpid()}"
        payload = base64.b64encode(script.encode()).decode()
        s = self._ctl(timeout)
        try:
            s.sendall(f"RUN {cid} {payload}\n".encode())
            buf = b""
            deadline = now() + timeout
            s.settimeout(0.5)
            while True:
                m = re.search(rb"BEGIN " + cid.encode() + rb"\n(.*?)END " + cid.encode() + rb" (\d+)\n",
                              buf, re.S)
                if m:
                    out = base64.b64decode(b"".join(m.group(1).split())).decode("utf-8", "replace")
                    rc = int(m.group(2))
                    break
                if now() > deadline:
                    cpus = self.dump_cpus()
                    self.diagnose()
                    self.check_lost_eoi(cpus)
                    raise TestFailure(f"command did not finish in {timeout}s: {script.strip()[:200]} "
                                      f"(node0's state at that moment is in {self.path('com1.log')})")
                if not self.alive():
                    self.check_rig()
                try:
                    chunk = s.recv(65536)
                    if chunk:
                        buf += chunk
                except socket.timeout:
                    pass
        finally:
            s.close()
        with open(self.path("ctl.log"), "a") as f:
            f.write(f"$ {script.strip()}\n{out}[status {rc}]\n")
        if check and rc != 0:
            raise TestFailure(f"command failed with status {rc}: {script.strip()[:200]}\n{out[-2000:]}")
        return rc, out

    def console_run(self, uart, script, timeout=60):
        """Run a shell command on a node's console (its UART, e.g. "com2")
        by typing it into the node's shell; returns (status, output)."""
        self.seq += 1
        cid = f"{self.seq}x{os.getpid()}"
        log = uart
        since = len(self.log(log))
        # The markers are split in the typed line so the tty's echo of the
        # command cannot match them. The output comes back as base64 (see
        # console.answer()); through a file, not a pipe, so that a process the
        # command leaves running in the background holds no pipe open.
        # The file is on /dev (devtmpfs, where nothing else writes files),
        # not /tmp: a test may fill /tmp (high_memory writes 450 MiB there,
        # and its md5sum line was lost with the file there too).
        line = (f"echo '@@BE''GIN {cid}'; ( {script} ) >/dev/.mc 2>&1; r=$?; "
                f"base64 /dev/.mc; echo \"@@E\"\"ND {cid} $r\"\n")
        # The whole line at once: QEMU's UART takes bytes from its socket
        # only as its receive FIFO has room (flow control), so none is
        # lost however slowly the node polls it (make stress's console-
        # kmsg: 300 lines of about 130 bytes typed at once among a flood
        # of kernel lines, every answer exact, 0.14 s per command against
        # 0.56 s typed 16 bytes per 50 ms).
        self.uart_socks[uart].sendall(line.encode())
        deadline = now() + timeout
        while True:
            try:
                answer = console.answer(self.log(log)[since:], cid)
            except console.Garbled as e:
                raise ConsoleGarbled(f"the output of '{script.strip()[:80]}' on {uart} {e}; "
                                     f"see {self.path(log + '.log')}") from None
            if answer:
                break
            if not self.alive():
                self.check_rig()
            if now() > deadline:
                self.check_lost_eoi(self.dump_cpus())
                raise TestFailure(f"timed out after {timeout}s waiting for the end of "
                                  f"'{script.strip()[:80]}' on {self.path(log + '.log')}")
            time.sleep(0.1)
        rc, out = answer
        with open(self.path("ctl.log"), "a") as f:
            f.write(f"[{uart}]$ {script.strip()}\n{out}[status {rc}]\n")
        return rc, out.strip("\n") + "\n"

    def diagnose(self):
        """The control channel did not answer: look at node0 through its
        console instead and leave what it shows in com1.log."""
        if "com1" not in getattr(self, "uart_socks", {}):
            return
        self.console_send("com1", "echo '== rig diagnosis'; ps; cat /proc/interrupts; "
                          "cat /proc/loadavg; dmesg | tail -20; echo '== end'")
        try:
            self.wait_for(r"^== end", 30, since=max(0, len(self.log("com1")) - 200))
        except (TestFailure, RigFailure):
            pass

    def console_send(self, uart, line):
        """Type a line on a node's console without waiting for anything
        (for commands that do not come back, like a panic)."""
        self.uart_socks[uart].sendall((line + "\n").encode())  # see console_run()

    def monitor_query(self, commands):
        """Run QEMU monitor commands and return their output."""
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(2)
        out = b""
        try:
            s.connect(self.path("monitor.sock"))
            for c in commands:
                s.sendall((c + "\n").encode())
                time.sleep(0.5)
                try:
                    while True:
                        d = s.recv(65536)
                        if not d:
                            break
                        out += d
                except socket.timeout:
                    pass
        except OSError:
            pass
        finally:
            s.close()
        text = out.decode("utf-8", "replace")
        return re.sub(r".\x1b\[[KD]|\x1b\[[KD]", "", text).replace("\r", "")

    def dump_cpus(self):
        """Leave QEMU's view of every CPU (registers, local APIC) in
        cpus.txt: evidence when the machine stops answering. Returns it."""
        if not self.alive():
            return ""
        text = self.monitor_query(["info registers -a"] +
                                  [f"info lapic {i}" for i in range(self.smp)])
        with open(self.path("cpus.txt"), "a") as f:
            f.write(f"== {time.strftime('%H:%M:%S')}\n{text}\n")
        return text

    def emulator_faults(self, first):
        """The emulator's interrupt faults (docs/timings.md, "Flake
        classes": a lost EOI, a lost wakeup) that @first, QEMU's view of
        the CPUs, shows and two more readings a second apart show again:
        [message]. No reading is taken when @first shows none."""
        if not apic.lost_eoi(first) and not apic.lost_wakeup(first):
            return []
        readings = [first]
        for _ in range(2):
            time.sleep(1)
            readings.append(self.dump_cpus())
        return apic.persistent(*readings)

    def emulator_notes(self):
        """The emulator's lost EOIs that the kernels of this machine ended
        at idle (apic_end_stale_isr), from every console log: [message]."""
        notes = []
        for name, _, _ in UARTS:
            try:
                with open(self.path(name + ".log"), errors="replace") as f:
                    ended = apic.ended_stale_isr(f.read())
            except OSError:
                continue
            for cpu, vector in ended:
                notes.append(f"{name}: CPU {cpu} entered idle with vector {vector:#x} in service, "
                             f"which Linux never leaves (the emulator lost its EOI or "
                             f"delivery), ended by apic_end_stale_isr")
        return notes

    def check_lost_eoi(self, first):
        """The machine stopped answering and @first is QEMU's view of its
        CPUs at that moment: raise RigFailure naming an emulator fault it
        shows (still a failure, never a pass)."""
        faults = self.emulator_faults(first)
        if faults:
            raise RigFailure(f"emulator fault: {'; '.join(faults)}: a fault of QEMU 10.0.2's "
                             f"multi-threaded TCG (docs/timings.md); QEMU's view: "
                             f"{self.path('cpus.txt')}")

    def monitor(self, command):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(self.path("monitor.sock"))
        s.sendall((command + "\n").encode())
        time.sleep(0.3)
        s.close()

    def stop(self, timeout=30):
        """Power off: ask node0 nicely, then QEMU's monitor, then kill.
        Then print a NOTE: line per emulator fault a kernel of this
        machine worked around (tests/check.sh lists them at its end)."""
        if self.proc is None or self.noted:
            return
        if self.alive():
            try:
                self.monitor("quit")
                self.proc.wait(timeout)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        self.noted = True
        for note in self.emulator_notes():
            print(f"NOTE: emulator fault worked around: {note} [logs: {self.run_dir}]", flush=True)


def config_without_vm_autostart(src, run_dir):
    """A copy of config @src in @run_dir whose [vm] sections do not
    autostart: tests that are not about VMs keep nested guests (slow under
    emulation) out of their timings."""
    out, in_vm = [], False
    for line in open(src).read().splitlines():
        head = re.match(r"\s*\[(\w+)", line)
        if head:
            in_vm = head.group(1) == "vm"
        if in_vm and re.match(r"\s*autostart\s*=", line):
            line = "autostart = no"
        out.append(line)
    path = os.path.join(run_dir, "partition-novms.conf")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return path


def new_run_dir(name):
    stamp = time.strftime("%Y%m%d-%H%M%S")
    d = os.path.join(BUILD, "runs", f"{name}-{stamp}-{os.getpid()}")
    os.makedirs(d, exist_ok=True)
    return d


class Attached:
    """A machine booted by another process: reach it through its run dir."""

    def __init__(self, run_dir):
        self.m = Machine(run_dir)
        pid = int(open(self.m.path("qemu.pid")).read())
        self.pid = pid

    def alive(self):
        try:
            os.kill(self.pid, 0)
            return True
        except OSError:
            return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("boot", help="boot the emulated machine")
    b.add_argument("--config", default=os.path.join(ROOT, "configs", "demo.conf"))
    b.add_argument("--smp", type=int, default=4)
    b.add_argument("--mem", default="4G")
    b.add_argument("--run-dir")
    b.add_argument("--interactive", action="store_true",
                   help="attach node0's console (COM1) to this terminal")
    r = sub.add_parser("run", help="run a shell script in node0")
    r.add_argument("run_dir")
    r.add_argument("script")
    r.add_argument("--timeout", type=int, default=120)
    s = sub.add_parser("stop", help="power the machine off")
    s.add_argument("run_dir")
    a = ap.parse_args()

    if a.cmd == "boot":
        run_dir = a.run_dir or new_run_dir("machine")
        m = Machine(run_dir, config=a.config, smp=a.smp, mem=a.mem, interactive=a.interactive)
        m.start()
        if a.interactive:
            sys.exit(m.proc.wait())
        m.wait_for(r"MINT-AGENT-UP", 180)
        print(run_dir)
        return
    att = Attached(a.run_dir)
    m = att.m
    m.proc = None
    if not att.alive():
        sys.exit(f"machine.py: no machine running in {a.run_dir}")
    if a.cmd == "run":
        m.alive = att.alive
        rc, out = m.run(a.script, timeout=a.timeout, check=False)
        sys.stdout.write(out)
        sys.exit(rc)
    if a.cmd == "stop":
        m.monitor("quit")
        deadline = now() + 30
        while att.alive() and now() < deadline:
            time.sleep(0.2)
        if att.alive():
            os.kill(att.pid, signal.SIGKILL)


if __name__ == "__main__":
    try:
        main()
    except (RigFailure, TestFailure) as e:
        sys.exit(f"machine.py: {e}")
