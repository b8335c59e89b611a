# mint: a Mint-style multi-kernel partitioner with a KVM hypervisor per node.
# 'make help' prints the lines below that start with "#" and three blanks.
#
#   make demo    build everything and run the demo on configs/demo.conf
#   make check   build everything and run every test (unit + system); "N passed, N failed"
#
#   make [all]         build everything under B: build/bzImage (and bzImage-update), build/images/,
#                      build/bin/mintctl
#   make deps          install the missing Debian packages (as root, or run what it prints)
#   make kernel        only the kernel (build/bzImage; KERNEL_FLAVOUR=server: build/bzImage-server,
#                      KERNEL_FLAVOUR=lockdep: build/bzImage-lockdep)
#   make lockdep-kernel  only the lockdep kernel, build/bzImage-lockdep (its output in build/lockdep-build.log)
#   make images        only the initramfs images and the guest (build/images/, build/guest/)
#   make system-check  only the system tests on the emulated machine
#   make mutation-check  mutants of the pure code must each fail a fast test
#   make build-check   the build system: every C compile takes configs/build/common.mk's warnings and -MMD,
#                      every compile and link its quiet line, fragments are required (dry runs)
#   make partitioner-check | node-loader-check | kvm-per-node-check | bench-unit-check | install-check
#                      one suite of make check, without the emulated machine
#   make bench   benchmarks (node start vs VM boot and vs node RAM size, the seven configurations, noisy neighbour,
#                link vs NIC), results in build/bench/
#   make debug-check  the links' system test on the debug kernel (KASAN, lockdep), built in B-debug
#   make lockdep-check  200 lifecycle operations from parallel shells, node0 on a lockdep kernel
#                      (build/bzImage-lockdep, a second full kernel build)
#   make experiments  the fault-isolation matrix, results in build/experiments/
#   make stress  the flake classes hammered and the long loops (guest control round trips, node
#                stop/start cycles, two-kernel stress, lost EOIs, console among kernel lines); results in
#                build/stress/
#   make install       as root, on a server: node0's kernel and GRUB entries, mintctl, the systemd
#                      units (docs/bare-metal.md); refuses KERNEL_FLAVOUR=emu on a real machine
#   make uninstall     remove what install installed; keeps /etc/mint/partition.conf and /etc/default/mint
#   make clean         remove build/bin, partitioner, node-loader, kvm-per-node, images, guest,
#                      tests (not the kernel, not bench/)
#   make distclean     remove all of B, the kernel too
#   make help          this text
#
#   Variables (make VAR=VALUE TARGET):
#   B=DIR              build directory (default build/ of the checkout)
#   MINT_CACHE=DIR     ccache and downloaded Debian packages (default ~/.cache/mint)
#   CONFIG=FILE        the partition config of make demo (default configs/demo.conf)
#   DEMO_ARGS=--keep   make demo leaves the emulated machine running (it prints how to reach it)
#   KERNEL_FLAVOUR=emu|server|debug|lockdep  the emulated machine's kernel (default), a
#                      server's (make, install), the emulated one with KASAN and lockdep (make
#                      debug-check) or with lockdep alone (make lockdep-check)
#   DEBUG_B=DIR        make debug-check's build directory (default B-debug)
#   LOCKDEP_OPS=N      make lockdep-check: lifecycle operations (default 200)
#   V=1                full commands instead of "  CC      file" lines (passed on to kbuild)
#   FUZZ_SECONDS=N     how long make check runs the config fuzzer (default 30)
#   PART_CC=, PART_CLANG=, NL_CC=, MB_CC=, KP_CC=  compilers of mintctl, its fuzzer, the node
#                      loader, mintbench, mint-guest (the flags are configs/build/common.mk's)
#   EXP_REPS=N         repetitions per cell of make experiments (default 20); EXP_OUT=DIR its results
#   STRESS_TRIES=N     round trips of make stress (default 500); STRESS_OUT=DIR its results
#   STRESS_CYCLES=N    make stress: node1 stop/start cycles (default 50; make check runs 8)
#   STRESS_SECONDS=N   make stress: seconds of two-kernel stress (default 300; make check 40)
#   STRESS_EOI_SECONDS=N make stress: seconds of memory-map changes per APIC mode (default 240)
#   STRESS_CONSOLE=N   make stress: commands on a node's console among kernel lines (default 300)
#   DESTDIR=DIR        make install/uninstall: stage into DIR (runs no systemctl, no update-grub)
#   PREFIX=DIR         make install/uninstall: mintctl, the scripts, docs (default /usr)
#   SYSTEMDUNITDIR=DIR make install/uninstall: the systemd units (default /lib/systemd/system)
#   MINT_ALLOW_EMU_KERNEL=1  make install: install the emulated machine's kernel on a real machine
#   PURGE=1            make uninstall: remove /etc/mint/partition.conf and /etc/default/mint too
#   INSTALL_MAKEFLAGS=...    make install-check: extra arguments of the make install it runs
#
# Everything is built under build/ (B=...); caches that should outlive a
# checkout (ccache, downloaded Debian packages) live under MINT_CACHE.

B          ?= $(CURDIR)/build
MINT_CACHE ?= $(HOME)/.cache/mint
CONFIG     ?= configs/demo.conf
export MINT_CACHE

KTARBALL   := /usr/src/linux-source-6.12.tar.xz
KSRC       := $(B)/linux-src
# KERNEL_FLAVOUR=server adds configs/kernel/server/ (Debian 12 as node0 on
# an x86 server: systemd, SATA/NVMe/SAS, server NICs, UEFI) and builds in
# its own directory; the default is the emulated machine's minimal kernel,
# which adds configs/kernel/emu/ (test hooks a server kernel never has).
KERNEL_FLAVOUR ?= emu
KFRAGS     := $(wildcard configs/kernel/*.config)
ifeq ($(KERNEL_FLAVOUR),server)
KFRAGS     += $(wildcard configs/kernel/server/*.config)
KOBJ       := $(B)/linux-obj-server
BZIMAGE    := $(B)/bzImage-server
else ifeq ($(KERNEL_FLAVOUR),emu)
KFRAGS     += $(wildcard configs/kernel/emu/*.config)
KOBJ       := $(B)/linux-obj
BZIMAGE    := $(B)/bzImage
else ifeq ($(KERNEL_FLAVOUR),debug)
# the emulated machine's kernel with KASAN and lockdep (configs/kernel/debug/),
# built in a build directory of its own: make debug-check
KFRAGS     += $(wildcard configs/kernel/emu/*.config configs/kernel/debug/*.config)
KOBJ       := $(B)/linux-obj
BZIMAGE    := $(B)/bzImage
else ifeq ($(KERNEL_FLAVOUR),lockdep)
# the emulated machine's kernel with lockdep, atomic-sleep and debug-object
# checks (configs/kernel/lockdep/), beside the emu one (same source tree,
# same ccache base): node0's kernel in make lockdep-check
KFRAGS     += $(wildcard configs/kernel/emu/*.config configs/kernel/lockdep/*.config)
KOBJ       := $(B)/linux-obj-lockdep
BZIMAGE    := $(B)/bzImage-lockdep
else
$(error KERNEL_FLAVOUR=$(KERNEL_FLAVOUR): use emu (default), server, debug or lockdep)
endif
KSERIES    := kernel-patches/series
KCONTRACT  := kernel-patches/uapi/asm/mint.h  # the ABI contract, installed by apply.sh
KPATCHES   := $(addprefix kernel-patches/,$(shell grep -v -e '^\#' -e '^[[:space:]]*$$' $(KSERIES) 2>/dev/null))
KCC        := ccache gcc
NPROC      := $(shell nproc)
KJOBS      := $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC))
KMAKE       = $(MAKE) $(KJOBS) -C $(KSRC) O=$(KOBJ) CC="$(KCC)" HOSTCC="$(KCC)" \
	      KBUILD_BUILD_USER=mint KBUILD_BUILD_HOST=mint \
	      KBUILD_BUILD_TIMESTAMP="2026-01-01 00:00:00"
export CCACHE_DIR     := $(MINT_CACHE)/ccache
export CCACHE_BASEDIR := $(B)
export CCACHE_MAXSIZE := 2G

MINTCTL    := $(B)/bin/mintctl

.PHONY: all deps kernel images demo bench experiments stress check system-check debug-check lockdep-check lockdep-kernel mutation-check clean distclean help
.DEFAULT_GOAL := all

all: kernel images $(MINTCTL)

help:
	@sed -n 's/^#   //p' Makefile

# ---------------------------------------------------------------- deps
# Installs what is missing (a quick dpkg query when nothing is).
deps:
	@tests/rig/deps.sh --check 2>/dev/null || tests/rig/deps.sh

# ---------------------------------------------------------------- kernel
kernel: $(BZIMAGE)

$(KSRC)/.mint-applied/order: $(KSERIES) $(KPATCHES) $(KCONTRACT) kernel-patches/apply.sh | deps
	@mkdir -p $(B)
	kernel-patches/apply.sh $(KSRC) $(KTARBALL)
	@touch $@

$(KOBJ)/.config: $(KFRAGS) $(KSRC)/.mint-applied/order configs/kernel/check-config.sh
	@mkdir -p $(KOBJ)
	@echo "  KERNEL  configuring from $(notdir $(KFRAGS))"
	+cd $(KSRC) && scripts/kconfig/merge_config.sh -n -O $(KOBJ) $(addprefix $(CURDIR)/,$(KFRAGS)) > $(KOBJ)/merge.log
	configs/kernel/check-config.sh $@ $(KFRAGS)
	@touch $@  # kconfig leaves an unchanged .config untouched

$(BZIMAGE): $(KOBJ)/.config $(KSRC)/.mint-applied/order
	@echo "  KERNEL  building bzImage (ccache in $(CCACHE_DIR); a clean build takes ~6 min here)"
	+$(KMAKE) bzImage
	cp $(KOBJ)/arch/x86/boot/bzImage $@

# A second build of the node kernel, its release (uname -r) ending in
# -mint-update: what the tests and benchmarks give `mintctl update` to
# replace a node's kernel with. Relinked in the same object tree with
# another LOCALVERSION (only what includes the release string recompiles,
# ~20 s); the kernel's own next build relinks it back. node0's image
# carries it as /boot/mint/bzImage-update.
KUPDATE    := $(B)/bzImage-update
$(KUPDATE): $(BZIMAGE)
	@echo "  KERNEL  relinking as release -mint-update (mintctl update's second build)"
	+$(KMAKE) LOCALVERSION=-mint-update bzImage
	cp $(KOBJ)/arch/x86/boot/bzImage $@

# ---------------------------------------------------------------- userspace
# libmint, mintctl and node-loader (partitioner.mk includes node-loader.mk),
# install, the evaluation program, the guests' helper. Every C build takes
# its flags and warnings from configs/build/common.mk.
include partitioner/partitioner.mk
include partitioner/install.mk
include bench/bench.mk
include kvm-per-node/kvm-per-node.mk

# ---------------------------------------------------------------- images
ROOTFS       := partitioner/image/rootfs.sh
GUEST_KERNEL := $(B)/guest/vmlinuz
GUEST_INITRD := $(B)/guest/initrd.gz
GUEST_MODULES := $(B)/guest/modules/order
GUEST_NET_MODULES := $(B)/guest/net-modules/order
NODE_INITRD  := $(B)/images/node.cpio
NODE0_INITRD := $(B)/images/node0.cpio.gz

# Every image (the guest's kernel with its modules, the guest's initrd, a
# node's initrd, node0's): make images builds them all.
IMAGES := $(GUEST_KERNEL) $(GUEST_INITRD) $(NODE_INITRD) $(NODE0_INITRD)

images: $(IMAGES)

$(GUEST_KERNEL) $(GUEST_MODULES) $(GUEST_NET_MODULES) &: kvm-per-node/guest/fetch-kernel.sh | deps
	@mkdir -p $(B)/guest
	kvm-per-node/guest/fetch-kernel.sh $(GUEST_KERNEL) $(B)/guest/release $(B)/guest/modules \
	  $(B)/guest/net-modules

# The guest's initramfs: busybox, init, mint-guest, mintbench and the
# modules of its NIC (net = mint VMs), loaded only with mint.addr=.
$(GUEST_INITRD): kvm-per-node/guest/init $(MINT_GUEST) $(MINTBENCH) $(ROOTFS) $(GUEST_NET_MODULES) \
		$(GUEST_MODULES) | deps
	@mkdir -p $(@D)
	@echo "  IMAGE   $@"
	@$(ROOTFS) base $(B)/guest/root
	@install -m 755 kvm-per-node/guest/init $(B)/guest/root/init
	@install -D -m 755 $(MINT_GUEST) $(B)/guest/root/usr/bin/mint-guest
	@install -D -m 755 $(MINTBENCH) $(B)/guest/root/usr/bin/mintbench
	@mkdir -p $(B)/guest/root/lib/modules/net
	@cp $(B)/guest/net-modules/* $(B)/guest/root/lib/modules/net/
	@cp $(B)/guest/modules/virtio_blk.ko $(B)/guest/root/lib/modules/
	@$(ROOTFS) pack $(B)/guest/root $@

# What node and node0 images share: the files of image_root and vm_payload.
IMAGE_FILES  := kvm-per-node/mint-vm kvm-per-node/mint-vmd kvm-per-node/qemu-payload.sh \
	$(ROOTFS) $(MINTCTL) $(MINTBENCH) $(MINT_QMP) $(GUEST_KERNEL) $(GUEST_INITRD)

# $(call image_root,ROOT,INIT,MORE): a fresh initramfs root: busybox, INIT
# as /init, mint-vm and mint-vmd, mintctl (and the executables MORE, for
# rootfs.sh bin, with their libraries), mintbench and mint-qmp.
define image_root
@$(ROOTFS) base $(1)
@install -m 755 $(2) $(1)/init
@install -D -m 755 kvm-per-node/mint-vm $(1)/usr/sbin/mint-vm
@install -D -m 755 kvm-per-node/mint-vmd $(1)/usr/sbin/mint-vmd
@$(ROOTFS) bin $(1) $(MINTCTL):/usr/sbin/mintctl $(3)
@install -D -m 755 $(MINTBENCH) $(1)/usr/bin/mintbench
@install -D -m 755 $(MINT_QMP) $(1)/usr/bin/mint-qmp
endef

# $(call vm_payload,DIR): what running VMs takes, under DIR: QEMU with its
# libraries and firmware, and the stock guest in DIR/boot/mint/guest.
define vm_payload
@kvm-per-node/qemu-payload.sh $(1)
@install -D -m 644 $(GUEST_KERNEL) $(1)/boot/mint/guest/vmlinuz
@install -D -m 644 $(GUEST_INITRD) $(1)/boot/mint/guest/initrd.gz
@install -D -m 644 $(B)/guest/release $(1)/boot/mint/guest/release
endef

NODE_FILES   := partitioner/image/node-init partitioner/image/mint-shutdown \
	partitioner/image/mint-link $(IMAGE_FILES)

# A node's image: busybox, mintctl and the VM scripts, uncompressed (the
# node kernel copies it instead of inflating it), with the VM payload (QEMU,
# its libraries and firmware, the guest) as one gzip file that mint-vm
# unpacks at the node's first VM start: a node that runs no VM never pays
# for it (docs/benchmarks.md, "Node start"). mint-link and dropbear: the
# node's end of its link to node0, and ssh on it for node0's key.
$(NODE_INITRD): $(NODE_FILES) | deps
	@mkdir -p $(@D)
	@echo "  IMAGE   $@"
	$(call image_root,$(B)/images/node-root,partitioner/image/node-init,/usr/sbin/dropbear /usr/bin/dropbearkey)
	@install -D -m 755 partitioner/image/mint-shutdown $(B)/images/node-root/usr/sbin/mint-shutdown
	@install -D -m 755 partitioner/image/mint-link $(B)/images/node-root/usr/sbin/mint-link
	@rm -rf $(B)/images/node-payload-root
	@mkdir -p $(B)/images/node-payload-root
	$(call vm_payload,$(B)/images/node-payload-root)
	@$(ROOTFS) prune $(B)/images/node-payload-root $(B)/images/node-root
	@mkdir -p $(B)/images/node-root/boot/mint
	@$(ROOTFS) pack $(B)/images/node-payload-root $(B)/images/node-root/boot/mint/vm-payload.cpio.gz
	@$(ROOTFS) pack $(B)/images/node-root $@ none
	@echo "  IMAGE   $$(du -h $@ | cut -f1) $(notdir $@) (VM payload $$(du -h $(B)/images/node-root/boot/mint/vm-payload.cpio.gz | cut -f1))"

# kexec-refusals: the system tests' check of node0's kexec_load refusals.
NODE0_FILES  := partitioner/image/node0-init partitioner/image/agent \
	partitioner/image/mint-link partitioner/image/mint-ssh $(IMAGE_FILES) \
	$(BZIMAGE) $(KUPDATE) $(NODE_INITRD) $(KEXEC_REFUSALS) $(GUEST_MODULES)

# node0's image: image_root with kexec and setpriv, the node agent,
# kexec-refusals, the guest's kernel modules, the VM payload unpacked (node0
# runs VMs from it directly), the node kernel (and its -mint-update build)
# and the node image; dbclient, dropbearkey, mint-ssh (also as ssh) and
# mint-link: ssh into the nodes over their links.
$(NODE0_INITRD): $(NODE0_FILES) | deps
	@mkdir -p $(@D)
	@echo "  IMAGE   $@ (busybox, mintctl, QEMU $(shell qemu-system-x86_64 --version 2>/dev/null | sed -n '1s/.*version \([^ ]*\).*/\1/p'), guest)"
	$(call image_root,$(B)/images/node0-root,partitioner/image/node0-init,/usr/sbin/kexec /usr/bin/setpriv /usr/bin/dbclient /usr/bin/dropbearkey)
	@install -D -m 755 partitioner/image/agent $(B)/images/node0-root/usr/lib/mint/agent
	@install -D -m 755 partitioner/image/mint-link $(B)/images/node0-root/usr/sbin/mint-link
	@install -D -m 755 partitioner/image/mint-ssh $(B)/images/node0-root/usr/bin/mint-ssh
	@ln -sf mint-ssh $(B)/images/node0-root/usr/bin/ssh
	@install -D -m 755 $(KEXEC_REFUSALS) $(B)/images/node0-root/usr/bin/kexec-refusals
	@mkdir -p $(B)/images/node0-root/lib/modules/plain
	@cp $(B)/guest/modules/* $(B)/images/node0-root/lib/modules/plain/
	$(call vm_payload,$(B)/images/node0-root)
	@install -D -m 644 $(BZIMAGE) $(B)/images/node0-root/boot/mint/bzImage
	@install -D -m 644 $(KUPDATE) $(B)/images/node0-root/boot/mint/bzImage-update
	@install -D -m 644 $(NODE_INITRD) $(B)/images/node0-root/boot/mint/node.cpio
	@$(ROOTFS) pack $(B)/images/node0-root $@
	@echo "  IMAGE   $$(du -h $@ | cut -f1) $(notdir $@)"

# ---------------------------------------------------------------- demo
# DEMO_ARGS=--keep leaves the machine running at the end.
demo: deps all
	B=$(B) python3 -m tests.rig.demo --config $(CONFIG) $(DEMO_ARGS)

# ---------------------------------------------------------------- bench
BENCH_OUT := $(B)/bench
bench: deps all
	@mkdir -p $(BENCH_OUT)
	B=$(B) python3 -m bench.node_start --reps 5 --guest --out $(BENCH_OUT)/node_start.csv
	B=$(B) python3 -m bench.node_ram --reps 5 --out $(BENCH_OUT)/node_ram.csv
	B=$(B) python3 -m bench.evaluation $(BENCH_OUT)/evaluation
	B=$(B) python3 -m bench.noisy $(BENCH_OUT)/noisy
	B=$(B) python3 -m bench.links --breakdown $(BENCH_OUT)/links
	B=$(B) python3 -m bench.migrate $(BENCH_OUT)/migrate

# ---------------------------------------------------------------- experiments
# The fault matrix (bench/experiments/run.py), 20 repetitions per cell by
# default (EXP_REPS=...), then the report (docs/experiments.md).
EXP_REPS ?= 20
EXP_OUT  ?= $(B)/experiments
experiments: deps all
	@mkdir -p $(EXP_OUT)
	B=$(B) python3 -m bench.experiments.run --reps $(EXP_REPS) $(EXP_OUT)
	@if [ -f bench/experiments/expreport.py ]; then \
	  python3 -m bench.experiments.expreport $(EXP_OUT) $(EXP_OUT)/report; fi

# ---------------------------------------------------------------- stress
# The flake classes of docs/timings.md, hammered until they show: control
# round trips to a guest in node2 while node1 is stopped and started with
# its guests, the local APICs read after every cycle; then the long forms
# of the loops make check runs reduced: STRESS_CYCLES node1 stop/start
# cycles (lifecycle, make check: 8) and STRESS_SECONDS of CPU and memory
# stress in node0 and a two-CPU node (two_cpu_node, make check: 40); and
# STRESS_EOI_SECONDS of memory-map changes per kernel and APIC mode, which
# make the emulator lose xAPIC EOIs (tests/stress/lost_eoi.py); and
# STRESS_CONSOLE commands on a node's console while its kernel writes there
# (tests/stress/console_kmsg.py; node_boot, make check: 10).
STRESS_TRIES   ?= 500
STRESS_CYCLES  ?= 50
STRESS_SECONDS ?= 300
STRESS_EOI_SECONDS ?= 240
STRESS_CONSOLE ?= 300
STRESS_OUT     ?= $(B)/stress
stress: deps all
	@mkdir -p $(STRESS_OUT)
	B=$(B) CHECK_OUT=$(STRESS_OUT) tests/check.sh \
	  "guest-control=B=$(B) python3 -m tests.stress.guest_control --tries $(STRESS_TRIES) --csv $(STRESS_OUT)/guest_control.csv" \
	  "lifecycle-long=LIFECYCLE_CYCLES=$(STRESS_CYCLES) B=$(B) python3 -m tests.system.lifecycle" \
	  "two-cpu-long=TWO_CPU_STRESS_S=$(STRESS_SECONDS) B=$(B) python3 -m tests.system.two_cpu_node" \
	  "lost-eoi=B=$(B) python3 -m tests.stress.lost_eoi --seconds $(STRESS_EOI_SECONDS) --csv $(STRESS_OUT)/lost_eoi.csv" \
	  "console-kmsg=B=$(B) python3 -m tests.stress.console_kmsg --commands $(STRESS_CONSOLE) --csv $(STRESS_OUT)/console_kmsg.csv"

# ---------------------------------------------------------------- debug
# tests/system/links.py (the fuzzed ring, nodes failing mid-transfer) on the
# debug flavour: KASAN and lockdep in node0 and the nodes (the test fails on
# any report in their logs). Everything is built again in DEBUG_B (a clean
# kernel build is about 20 min here; several times slower to run).
DEBUG_B ?= $(B)-debug
debug-check: deps
	$(MAKE) --no-print-directory B=$(DEBUG_B) KERNEL_FLAVOUR=debug all
	B=$(DEBUG_B) python3 -m tests.system.links

# The lockdep flavour (issue 14 item 12): tests/stress/lifecycle_ops.py
# (LOCKDEP_OPS lifecycle operations from four parallel shells, conflicting
# pairs, back to the baseline) with node0 on the lockdep kernel,
# $(B)/bzImage-lockdep (a second full build of the kernel, about 7 min from
# an empty ccache; its output in $(B)/lockdep-build.log). Fails on any
# lockdep, WARNING, BUG or ODEBUG line in node0's log, and when node0's
# kernel does not prove locking. Not in make check: the second build and
# the stress add about 11 min to a fresh machine's run, and a build beside
# the emulated machine's suites, even at idle priority, slowed them by
# 15-80 % (docs/timings.md).
LOCKDEP_OPS ?= 200
lockdep-check: deps all lockdep-kernel
	B=$(B) python3 -m tests.stress.lifecycle_ops --ops $(LOCKDEP_OPS) \
	  --kernel $(B)/bzImage-lockdep --require-lockdep

lockdep-kernel: deps
	@t0=$$(date +%s); echo "  KERNEL  lockdep flavour (output in $(B)/lockdep-build.log)"; \
	if $(MAKE) --no-print-directory KERNEL_FLAVOUR=lockdep kernel >$(B)/lockdep-build.log 2>&1; then \
		echo "PASS: lockdep/kernel-build ($$(( $$(date +%s) - t0 )) s)"; \
	else echo "FAIL: lockdep/kernel-build: $$(tail -n 3 $(B)/lockdep-build.log | tr '\n' ' ')(log: $(B)/lockdep-build.log)"; exit 1; fi

# ---------------------------------------------------------------- tests
SYSTEM_TESTS := $(sort $(wildcard tests/system/[a-z]*.py))
SYSTEM_TESTS := $(filter-out tests/system/harness.py,$(SYSTEM_TESTS))

# The suites' own builds (partitioner-check...) print full commands: they
# go to check.log, where "  CC      file" lines would pass check.sh's
# filter of indented detail lines into the results. kbuild ignores V from
# the environment.
# The native suites run two at a time (-j2, the longest first), the emulated
# machine's alone (-j1): so every program and test binary they use is built
# first, by this one make, and never by two of them at once.
BUILD_CHECK_GOALS = $(MINTCTL) $(MINTCTL_SAN) $(UNIT_BINS) $(FUZZER) $(KEXEC_REFUSALS) \
	$(NL_LIB) $(NL_TEST) $(MINTBENCH) $(MB_TEST) $(MINT_GUEST) $(KP_TEST) $(MINT_QMP) $(KQ_TEST)
check: export V := 1
check: deps all $(BUILD_CHECK_GOALS)
	B=$(B) tests/check.sh \
	  "check-runner=tests/check-selftest.sh" -j2 \
	  "mutation=$(MAKE) --no-print-directory mutation-check" \
	  "partitioner=$(MAKE) --no-print-directory partitioner-check" \
	  "node-loader=$(MAKE) --no-print-directory node-loader-check" \
	  "kernel-patches=tests/kernel/checkpatch.sh $(KSRC)" \
	  "kernel-series=tests/kernel/series-check.sh $(KSRC) $(KTARBALL) $(B)/tests/kernel-series" \
	  "kernel-series-build=tests/kernel/series-build.sh $(KSRC) $(KOBJ) $(B)/tests/kernel-series-build" \
	  "kernel-abi=tests/kernel/abi-check.sh $(KSRC) $(KOBJ) $(B)/tests/kernel-abi" \
	  "kernel-sysfs-doc=tests/kernel/sysfs-doc-check.sh $(KSRC) docs/sysfs-abi.md $(B)/tests/kernel-sysfs-doc" \
	  "kernel-server-config=tests/kernel/server-config.sh $(KSRC) $(B)/tests/kernel-server" \
	  "install=$(MAKE) --no-print-directory install-check" \
	  "bench-unit=$(MAKE) --no-print-directory bench-unit-check" \
	  "kvm-per-node=$(MAKE) --no-print-directory kvm-per-node-check" \
	  "experiments-report=bench/experiments/run-tests.sh $(B)/tests/experiments" \
	  "rig-unit=python3 -m tests.rig.test_machine" \
	  "lint=tests/lint.sh" \
	  "build=$(MAKE) --no-print-directory build-check" -j1 \
	  $(foreach t,$(SYSTEM_TESTS),"system-$(basename $(notdir $(t)))=B=$(B) python3 -m $(subst /,.,$(basename $(t)))") \
	  "bench-smoke=B=$(B) python3 -m bench.node_start --reps 1 && echo PASS: bench/node_start-reduced" \
	  "bench-node-ram-smoke=B=$(B) python3 -m bench.node_ram --reps 1 && echo PASS: bench/node_ram-reduced"

# Every mutant of tests/mutation/mutants.py (the pure code: libmint,
# node-loader, mintbench's library) must fail a fast test; a copy of the
# tree under $(B)/tests/mutation, built without sanitizers.
mutation-check:
	@B=$(B) python3 -m tests.mutation.run --out $(B)/tests/mutation --images $(B)

system-check: deps all
	B=$(B) tests/check.sh $(foreach t,$(SYSTEM_TESTS),"system-$(basename $(notdir $(t)))=B=$(B) python3 -m $(subst /,.,$(basename $(t)))")

# ---------------------------------------------------------------- build-check
# The build system's own test, from dry runs (make -n, nothing compiled)
# of every user-space program and test into an empty build directory:
# every C compile has configs/build/common.mk's warnings and -MMD -MP (V=1), every
# compile, archive and link its quiet line (V=0), and no fragment is
# included with -include (only the .d files are). One PASS:/FAIL: line each.

.PHONY: build-check
build-check:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && status=0; \
	goals="$(patsubst $(B)/%,$$tmp/b/%,$(BUILD_CHECK_GOALS))"; \
	for v in 0 1; do \
		$(MAKE) -n --no-print-directory V=$$v B=$$tmp/b $$goals >$$tmp/raw$$v 2>&1 || \
			{ echo "FAIL: build/dry-run: V=$$v: $$(tail -n 2 $$tmp/raw$$v | tr '\n' ' ')"; exit 1; }; \
		sed -e ':a' -e '/\\$$/N; s/\\\n//; ta' $$tmp/raw$$v >$$tmp/v$$v; \
	done; \
	n=$$(grep -c -e '[[:space:]]-c ' $$tmp/v1); \
	bad=$$(grep -e '[[:space:]]-c ' $$tmp/v1 | grep -v -F -e '$(MINT_WARN)' | head -n 1); \
	bad=$$bad$$(grep -e '[[:space:]]-c ' $$tmp/v1 | grep -v -F -e '$(MINT_DEPFLAGS)' | head -n 1); \
	if [ "$$n" -gt 0 ] && [ -z "$$bad" ]; then echo "PASS: build/common-flags ($$n compiles)"; \
	else status=1; echo "FAIL: build/common-flags: $${bad:-no compile in the dry run}"; fi; \
	n=$$(grep -c -e '[[:space:]]-o ' -e '^ar ' $$tmp/v1); \
	q=$$(grep -c -e "^printf '  %-8s%s.n' '[CLA][CDR]'" $$tmp/v0); \
	bad=$$(grep -e '[[:space:]]-o ' -e '^ar ' $$tmp/v0 | grep -v -e "^printf '" | head -n 1); \
	if [ "$$n" -gt 0 ] && [ "$$q" -eq "$$n" ] && [ -z "$$bad" ]; then echo "PASS: build/quiet-lines ($$n commands)"; \
	else status=1; echo "FAIL: build/quiet-lines: $$n commands, $$q quiet lines; $$bad"; fi; \
	mkdir -p $$tmp/fake && printf '#!/bin/sh\necho "$$*" >>%s/pkg.log\nexit 1\n' "$$tmp" >$$tmp/fake/pkg-config && \
	chmod +x $$tmp/fake/pkg-config && \
	PATH=$$tmp/fake:$$PATH $(MAKE) -n --no-print-directory B=$$tmp/b help >/dev/null 2>&1; \
	if [ ! -s $$tmp/pkg.log ]; then echo "PASS: build/no-tools-while-parsing"; \
	else status=1; echo "FAIL: build/no-tools-while-parsing: pkg-config ran while make read its makefiles: $$(head -n 1 $$tmp/pkg.log) (on a fresh machine make deps installs it later)"; fi; \
	out=$$(PATH=$$tmp/fake:$$PATH $(MAKE) -n --no-print-directory B=$$tmp/b $(patsubst $(B)/%,$$tmp/b/%,$(firstword $(UNIT_BINS))) 2>&1); \
	if echo "$$out" | grep -q 'Check (libcheck) not found by pkg-config: run make deps'; then echo "PASS: build/no-check-library-named"; \
	else status=1; echo "FAIL: build/no-check-library-named: $$(echo "$$out" | tail -n 1)"; fi; \
	bad=$$(grep -n -e '^-include' $(filter-out %.d,$(MAKEFILE_LIST)) | grep -v -e '%\.d' -e '\.d)' | head -n 1); \
	if [ -z "$$bad" ]; then echo "PASS: build/required-fragments"; \
	else status=1; echo "FAIL: build/required-fragments: $$bad"; fi; \
	exit $$status

# ---------------------------------------------------------------- clean
clean:
	rm -rf $(B)/bin $(B)/partitioner $(B)/node-loader $(B)/kvm-per-node $(B)/images \
	  $(B)/guest $(B)/tests

distclean:
	rm -rf $(B)
