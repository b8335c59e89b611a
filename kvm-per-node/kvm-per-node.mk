# SPDX-License-Identifier: GPL-2.0
# The guests' helper (kvm-per-node/guest/mint-guest: checksummed disk
# records, real triple faults) and its tests. Included by the top-level
# Makefile; also usable alone:
#   make -f kvm-per-node/kvm-per-node.mk B=$PWD/build kvm-per-node-check
#
#   $(MINT_GUEST)        $(B)/guest/mint-guest, static (it runs in the stock
#                        Debian guest's busybox initramfs)
#   kvm-per-node-check   Check unit tests of record.c under ASan/UBSan and
#                        the static binary against a sparse file; the
#                        network of the links (kvm-per-node/tests/mint-net.sh:
#                        mint-link, mint-vm's taps and NICs), with
#                        $(B)/bin/mintctl when it is built;

B ?= $(CURDIR)/build

KP_TOP   := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
KP_SRC   := $(KP_TOP)/kvm-per-node/guest
KP_OUT   := $(B)/kvm-per-node
MINT_GUEST := $(B)/guest/mint-guest
KP_TEST  := $(B)/tests/kvm-per-node/check_record

# the flags, warnings and quiet lines of every C build
include $(KP_TOP)/configs/build/common.mk

KP_CC    ?= gcc
KP_CFLAGS := $(MINT_CFLAGS) $(MINT_DEPFLAGS) -I$(KP_SRC)
# the record library (the unit tests link it too), mint-guest's main, the tests
KP_SRCS  := $(KP_SRC)/record.c
KP_MAIN  := $(KP_SRC)/mint-guest.c
KP_TSRCS := $(KP_SRC)/tests/check_record.c

KP_OBJS  := $(patsubst $(KP_SRC)/%.c,$(KP_OUT)/obj/%.o,$(KP_MAIN) $(KP_SRCS))
KP_SOBJS := $(patsubst $(KP_SRC)/%.c,$(KP_OUT)/san/%.o,$(KP_TSRCS) $(KP_SRCS))

.PHONY: kvm-per-node-check

$(KP_OBJS): $(KP_OUT)/obj/%.o: $(KP_SRC)/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(KP_CC) $(KP_CFLAGS) -c $< -o $@

$(KP_SOBJS): $(KP_OUT)/san/%.o: $(KP_SRC)/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(KP_CC) $(KP_CFLAGS) $(MINT_SAN) $(CHECK_CFLAGS) \
		-c $< -o $@

$(MINT_GUEST): $(KP_OBJS)
	@mkdir -p $(@D)
	$(call mint_quiet,LD,$@)$(KP_CC) -static -o $@ $^

$(KP_TEST): $(KP_SOBJS)
	@mkdir -p $(@D)
	$(call mint_quiet,LD,$@)$(KP_CC) $(MINT_SAN) -o $@ $^ $(CHECK_LIBS)

kvm-per-node-check: $(MINT_GUEST) $(KP_TEST)
	@status=0; \
	$(KP_TOP)/tests/unit/run-check.sh $(KP_TEST) || status=1; \
	$(KP_SRC)/tests/cli.sh $(MINT_GUEST) $(B)/tests/kvm-per-node || status=1; \
	mintctl=$(B)/bin/mintctl; [ -x "$$mintctl" ] || mintctl=; \
	$(KP_TOP)/kvm-per-node/tests/mint-net.sh $$mintctl || status=1; \
	exit $$status

-include $(patsubst %.o,%.d,$(KP_OBJS) $(KP_SOBJS))
