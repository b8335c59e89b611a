# SPDX-License-Identifier: GPL-2.0
# make install: mint on a Debian 12 machine (docs/bare-metal.md). Included by
# the top-level Makefile, which defines all, B, BZIMAGE and MINTCTL.
#
#   make install                   as root: install into /, then enable the
#                                  systemd units and run mint-update-grub
#   make install DESTDIR=DIR       stage into DIR (packaging); runs nothing
#   make uninstall [DESTDIR=DIR]   remove what install installed: stop and
#                                  disable both units, remove every file and
#                                  mint's state in /var/lib/mint, run
#                                  update-grub (not with DESTDIR); keeps
#                                  /etc/mint/partition.conf and
#                                  /etc/default/mint unless PURGE=1
#   make install-check             the tests of this file (tests/install/)
#
# With the emulated machine's kernel flavour (KERNEL_FLAVOUR=emu, the
# default) 'make install' refuses a real machine before building anything
# (partitioner/install/flavour-check; MINT_ALLOW_EMU_KERNEL=1 overrides):
# a server needs KERNEL_FLAVOUR=server. Staging into DESTDIR warns only.
#
# PREFIX (default /usr) places mintctl, mint-update-grub, mint-autostart,
# the GRUB library, the man page, the completion and the docs. Fixed paths:
# /boot/mint (node0's and the nodes' kernel, the node initrd: the paths the
# partition config names), /etc/grub.d/42_mint, /etc/mint/partition.conf and
# /etc/default/mint (created only when absent),
# $(SYSTEMDUNITDIR)/mint-nodes.service and mint-vms.service (node0's own VMs:
# mint-vmd, mint-vm; they need Debian's qemu-system-x86), the stock guest in
# /boot/mint/guest, /var/lib/mint.
#
# node0 boots /boot/mint/bzImage itself: a /boot/vmlinuz-* name would be
# picked up by Debian's 10_linux and, sorting above Debian's kernels, become
# the default entry, without the reservations.

DESTDIR        ?=
PREFIX         ?= /usr
SYSTEMDUNITDIR ?= /lib/systemd/system
# uninstall: PURGE=1 also removes the admin's /etc/mint/partition.conf and
# /etc/default/mint. install: MINT_ALLOW_EMU_KERNEL=1 installs the emulated
# machine's kernel on a real machine all the same.
PURGE          ?=
MINT_ALLOW_EMU_KERNEL ?=
INST_FLAVOUR_CHECK = MINT_ALLOW_EMU_KERNEL="$(MINT_ALLOW_EMU_KERNEL)" \
	$(INST_SRC)/flavour-check "$(KERNEL_FLAVOUR)" "$(DESTDIR)"
INST_SBINDIR   := $(PREFIX)/sbin
INST_LIBDIR    := $(PREFIX)/lib/mint
INST_MANDIR    := $(PREFIX)/share/man
INST_DOCDIR    := $(PREFIX)/share/doc/mint
INST_COMPDIR   := $(PREFIX)/share/bash-completion/completions
INST_SRC       := partitioner/install
INST_NODE_INITRD := $(B)/images/node.cpio
INST_GUEST     := $(B)/guest/vmlinuz $(B)/guest/initrd.gz

# @SBINDIR@ and @LIBDIR@ in the scripts and the unit
INST_SUBST = sed -e 's|@SBINDIR@|$(INST_SBINDIR)|g' -e 's|@LIBDIR@|$(INST_LIBDIR)|g'

# Every directory install creates; mint's own ones (removed by uninstall
# when empty), the others only pruned when empty under a DESTDIR.
INST_OWN_DIRS  := /boot/mint/guest /boot/mint /etc/mint $(INST_LIBDIR) \
		  $(INST_DOCDIR) /var/lib/mint
INST_DIRS      := $(INST_OWN_DIRS) /etc/grub.d /etc/default $(SYSTEMDUNITDIR) \
		  $(INST_SBINDIR) $(INST_MANDIR)/man1 $(INST_COMPDIR)
# Every file install writes, but the admin's two (INST_ADMIN_FILES).
INST_FILES     := /boot/mint/bzImage /boot/mint/node.cpio \
		  $(addprefix /boot/mint/guest/,$(notdir $(INST_GUEST))) \
		  $(addprefix $(INST_SBINDIR)/,mintctl mint-vm mint-vmd mint-update-grub mint-autostart) \
		  $(INST_LIBDIR)/grub-entry.sh /etc/grub.d/42_mint \
		  $(SYSTEMDUNITDIR)/mint-nodes.service $(SYSTEMDUNITDIR)/mint-vms.service \
		  $(INST_MANDIR)/man1/mintctl.1 $(INST_COMPDIR)/mintctl \
		  $(addprefix $(INST_DOCDIR)/,bare-metal.md config.md vms.md partition.conf.example)
INST_ADMIN_FILES := /etc/mint/partition.conf /etc/default/mint
# What mint writes at run time: the GRUB generator's cache, the boot-attempt
# markers and blocks of mint-autostart.
INST_STATE     := /var/lib/mint/grub-entry /var/lib/mint/grub-entry.new \
		  /var/lib/mint/autostart-starting /var/lib/mint/autostart-blocked

# systemd is running when this exists (the tests point it elsewhere)
INST_SYSTEMD_RUN := /run/systemd/system

.PHONY: install install-files uninstall install-check

# The flavour is checked before the build: building the emulated machine's
# kernel on a server only to refuse it would waste minutes.
install:
	@$(INST_FLAVOUR_CHECK)
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory install-files INST_FLAVOUR_CHECKED=1

# What 'install' does after the build; needs the artifacts of 'make all'.
install-files:
	@for f in $(BZIMAGE) $(INST_NODE_INITRD) $(MINTCTL) $(INST_GUEST); do \
		[ -f "$$f" ] || { echo "install: $$f is missing; run 'make all'" >&2; exit 1; }; \
	done
	@$(if $(INST_FLAVOUR_CHECKED),:,$(INST_FLAVOUR_CHECK))
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -ne 0 ]; then \
		echo "install: installing into / needs root (or DESTDIR=DIR to stage)" >&2; exit 5; \
	fi
	@echo "  INSTALL into $(or $(DESTDIR),/) (PREFIX $(PREFIX), kernel flavour $(KERNEL_FLAVOUR))"
	install -d -m 755 $(addprefix $(DESTDIR),$(INST_DIRS))
	install -m 644 $(BZIMAGE) $(DESTDIR)/boot/mint/bzImage
	install -m 644 $(INST_NODE_INITRD) $(DESTDIR)/boot/mint/node.cpio
	install -m 644 $(INST_GUEST) $(DESTDIR)/boot/mint/guest/
	install -m 755 $(MINTCTL) $(DESTDIR)$(INST_SBINDIR)/mintctl
	install -m 755 kvm-per-node/mint-vm kvm-per-node/mint-vmd $(DESTDIR)$(INST_SBINDIR)/
	$(INST_SUBST) $(INST_SRC)/mint-update-grub > $(DESTDIR)$(INST_SBINDIR)/mint-update-grub
	chmod 755 $(DESTDIR)$(INST_SBINDIR)/mint-update-grub
	$(INST_SUBST) $(INST_SRC)/mint-autostart > $(DESTDIR)$(INST_SBINDIR)/mint-autostart
	chmod 755 $(DESTDIR)$(INST_SBINDIR)/mint-autostart
	$(INST_SUBST) $(INST_SRC)/grub-entry.sh > $(DESTDIR)$(INST_LIBDIR)/grub-entry.sh
	chmod 644 $(DESTDIR)$(INST_LIBDIR)/grub-entry.sh
	$(INST_SUBST) $(INST_SRC)/42_mint > $(DESTDIR)/etc/grub.d/42_mint
	chmod 755 $(DESTDIR)/etc/grub.d/42_mint
	$(INST_SUBST) $(INST_SRC)/mint-nodes.service > $(DESTDIR)$(SYSTEMDUNITDIR)/mint-nodes.service
	chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/mint-nodes.service
	$(INST_SUBST) $(INST_SRC)/mint-vms.service > $(DESTDIR)$(SYSTEMDUNITDIR)/mint-vms.service
	chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/mint-vms.service
	install -m 644 docs/mintctl.1 $(DESTDIR)$(INST_MANDIR)/man1/mintctl.1
	install -m 644 partitioner/mintctl/mintctl.bash-completion $(DESTDIR)$(INST_COMPDIR)/mintctl
	install -m 644 docs/bare-metal.md docs/config.md docs/vms.md $(DESTDIR)$(INST_DOCDIR)/
	install -m 644 $(INST_SRC)/partition.conf.example $(DESTDIR)$(INST_DOCDIR)/partition.conf.example
	@# the admin's files: created once, never overwritten
	@for f in etc/mint/partition.conf:partition.conf.initial etc/default/mint:default-mint; do \
		dst=$(DESTDIR)/$${f%%:*}; src=$(INST_SRC)/$${f#*:}; \
		if [ -e "$$dst" ]; then echo "  KEEP    /$${f%%:*} (yours; not overwritten)"; \
		else echo "install -m 644 $$src $$dst"; install -m 644 "$$src" "$$dst" || exit 1; fi; \
	done
	@# autostart is the operator's opt-in (docs/bare-metal.md section 7)
	@a=$$(sed -n 's/^[[:space:]]*MINT_AUTOSTART=//p' $(DESTDIR)/etc/default/mint | tail -n 1 | tr -d "\"'"); \
	case $$a in \
	yes) echo "  NOTE    MINT_AUTOSTART=yes in /etc/default/mint: mint-nodes.service starts the autostart nodes at boot" ;; \
	*) echo "  NOTE    autostart is off (MINT_AUTOSTART=$${a:-unset} in /etc/default/mint): no node starts at boot."; \
	   echo "          Start each node once by hand (mintctl start NODE), then set MINT_AUTOSTART=yes there" ;; \
	esac
	@if [ -n "$(DESTDIR)" ]; then \
		echo "  NOTE    DESTDIR set: not enabling mint-nodes.service and mint-vms.service, not running update-grub"; \
		echo "          (a package does both in its postinst: systemctl enable mint-nodes.service mint-vms.service; mint-update-grub)"; \
	else \
		if [ -d $(INST_SYSTEMD_RUN) ]; then \
			systemctl daemon-reload && systemctl enable mint-nodes.service mint-vms.service || exit 1; \
		else \
			echo "  NOTE    systemd is not running: enable mint-nodes.service and mint-vms.service yourself"; \
		fi; \
		$(INST_SBINDIR)/mint-update-grub || { \
			echo "install: the files are installed, but GRUB was not updated (above);" \
			     "fix /etc/mint/partition.conf and run mint-update-grub" >&2; exit 1; }; \
	fi

# The reverse of install-files, with the same PREFIX and SYSTEMDUNITDIR.
uninstall:
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -ne 0 ]; then \
		echo "uninstall: removing from / needs root (or DESTDIR=DIR)" >&2; exit 5; \
	fi
	@echo "  UNINSTALL from $(or $(DESTDIR),/) (PREFIX $(PREFIX))"
	@if [ -z "$(DESTDIR)" ] && [ -d $(INST_SYSTEMD_RUN) ]; then \
		echo "systemctl disable --now mint-nodes.service mint-vms.service   (stops every node and node0's VMs)"; \
		systemctl disable --now mint-nodes.service mint-vms.service || \
			echo "  NOTE    systemctl failed (above); removing the files anyway" >&2; \
	fi
	rm -f $(addprefix $(DESTDIR),$(INST_FILES))
	rm -rf $(addprefix $(DESTDIR),$(INST_STATE))
	@if [ "$(PURGE)" = 1 ]; then \
		echo "rm -f $(addprefix $(DESTDIR),$(INST_ADMIN_FILES))"; \
		rm -f $(addprefix $(DESTDIR),$(INST_ADMIN_FILES)); \
	else \
		for f in $(INST_ADMIN_FILES); do [ -e "$(DESTDIR)$$f" ] && \
			echo "  KEEP    $$f (yours; PURGE=1 removes it)"; done; true; \
	fi
	@# in / mint's directories when empty; under a DESTDIR every directory
	@# install made (and its parents) when empty
	@if [ -z "$(DESTDIR)" ]; then \
		for d in $(INST_OWN_DIRS); do \
			[ ! -d "$$d" ] || rmdir --ignore-fail-on-non-empty "$$d"; done; \
	else \
		cd "$(DESTDIR)" && for d in $(patsubst /%,%,$(INST_DIRS)); do \
			[ ! -d "$$d" ] || rmdir -p --ignore-fail-on-non-empty "$$d"; done; \
	fi
	@if [ -n "$(DESTDIR)" ]; then \
		echo "  NOTE    DESTDIR set: not disabling the units, not running update-grub"; \
	else \
		if [ -d $(INST_SYSTEMD_RUN) ]; then systemctl daemon-reload || exit 1; fi; \
		if command -v update-grub >/dev/null 2>&1; then \
			echo "update-grub   (drops the mint node0 entries)"; update-grub || exit 1; \
		elif command -v grub-mkconfig >/dev/null 2>&1; then \
			grub-mkconfig -o /boot/grub/grub.cfg || exit 1; \
		else \
			echo "  NOTE    no update-grub: remove the mint entries from grub.cfg yourself" >&2; \
		fi; \
		echo "  NOTE    if GRUB_DEFAULT or grub-set-default named mint-node0, GRUB now boots its"; \
		echo "          first entry; 'sudo grub-set-default 0' makes that explicit"; \
	fi

# One PASS:/FAIL: line per test. Does not build: run after 'make all' (make
# check does). INSTALL_MAKEFLAGS is passed to the 'make install' it runs.
install-check:
	@B=$(B) MAKE="$(MAKE)" INSTALL_MAKEFLAGS="$(INSTALL_MAKEFLAGS)" tests/install/run.sh
