# SPDX-License-Identifier: GPL-2.0
# The guests' helper (kvm-per-node/guest/mint-guest: checksummed disk
# records, real triple faults) and its tests. Included by the top-level
# Makefile; also usable alone:
#   make -f kvm-per-node/kvm-per-node.mk B=$PWD/build kvm-per-node-check
#
#   $(MINT_GUEST)        $(B)/guest/mint-guest, static (it runs in the stock
#                        Debian guest's busybox initramfs)
#   $(MINT_QMP)          $(B)/bin/mint-qmp, static: mint-vm's QMP client in
#                        the node and node0 images (live migration)
#   kvm-per-node-check   Check unit tests of record.c and qmp.c under
#                        ASan/UBSan, the static mint-guest against a sparse
#                        file, mint-qmp against a QEMU (-M none); the
#                        network of the links (kvm-per-node/tests/mint-net.sh:
#                        mint-link, mint-vm's taps and NICs), with
#                        $(B)/bin/mintctl when it is built;

B ?= $(CURDIR)/build

KP_TOP   := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
KP_SRC   := $(KP_TOP)/kvm-per-node/guest
KP_OUT   := $(B)/kvm-per-node
MINT_GUEST := $(B)/guest/mint-guest
KP_TEST  := $(B)/tests/kvm-per-node/check_record
KQ_SRC   := $(KP_TOP)/kvm-per-node/qmp
MINT_QMP := $(B)/bin/mint-qmp
KQ_TEST  := $(B)/tests/kvm-per-node/check_qmp

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

KQ_OBJS  := $(KP_OUT)/qmp/obj/mint-qmp.o $(KP_OUT)/qmp/obj/qmp.o
KQ_SOBJS := $(KP_OUT)/qmp/san/check_qmp.o $(KP_OUT)/qmp/san/qmp.o

.PHONY: kvm-per-node-check

$(KP_OBJS): $(KP_OUT)/obj/%.o: $(KP_SRC)/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(KP_CC) $(KP_CFLAGS) -c $< -o $@

$(KP_SOBJS): $(KP_OUT)/san/%.o: $(KP_SRC)/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(KP_CC) $(KP_CFLAGS) $(MINT_SAN) $(CHECK_CFLAGS) \
		-c $< -o $@

$(KP_OUT)/qmp/obj/%.o: $(KQ_SRC)/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(KP_CC) $(MINT_CFLAGS) $(MINT_DEPFLAGS) -I$(KQ_SRC) -c $< -o $@

$(KP_OUT)/qmp/san/qmp.o: $(KQ_SRC)/qmp.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(KP_CC) $(MINT_CFLAGS) $(MINT_DEPFLAGS) $(MINT_SAN) \
		-I$(KQ_SRC) -c $< -o $@

$(KP_OUT)/qmp/san/check_qmp.o: $(KQ_SRC)/tests/check_qmp.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(KP_CC) $(MINT_CFLAGS) $(MINT_DEPFLAGS) $(MINT_SAN) \
		$(CHECK_CFLAGS) -I$(KQ_SRC) -c $< -o $@

$(MINT_QMP): $(KQ_OBJS)
	@mkdir -p $(@D)
	$(call mint_quiet,LD,$@)$(KP_CC) -static -o $@ $^

$(KQ_TEST): $(KQ_SOBJS)
	@mkdir -p $(@D)
	$(call mint_quiet,LD,$@)$(KP_CC) $(MINT_SAN) -o $@ $^ $(CHECK_LIBS)

$(MINT_GUEST): $(KP_OBJS)
	@mkdir -p $(@D)
	$(call mint_quiet,LD,$@)$(KP_CC) -static -o $@ $^

$(KP_TEST): $(KP_SOBJS)
	@mkdir -p $(@D)
	$(call mint_quiet,LD,$@)$(KP_CC) $(MINT_SAN) -o $@ $^ $(CHECK_LIBS)

kvm-per-node-check: $(MINT_GUEST) $(KP_TEST) $(MINT_QMP) $(KQ_TEST)
	@status=0; \
	$(KP_TOP)/tests/unit/run-check.sh $(KP_TEST) $(KQ_TEST) || status=1; \
	$(KQ_SRC)/tests/cli.sh $(MINT_QMP) $(B)/tests/kvm-per-node/qmp || status=1; \
	$(KP_SRC)/tests/cli.sh $(MINT_GUEST) $(B)/tests/kvm-per-node || status=1; \
	mintctl=$(B)/bin/mintctl; [ -x "$$mintctl" ] || mintctl=; \
	$(KP_TOP)/kvm-per-node/tests/mint-net.sh $$mintctl || status=1; \
	exit $$status

-include $(patsubst %.o,%.d,$(KP_OBJS) $(KP_SOBJS) $(KQ_OBJS) $(KQ_SOBJS))
