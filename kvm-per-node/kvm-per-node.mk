# SPDX-License-Identifier: GPL-2.0
# The guests' helper (kvm-per-node/guest/mint-guest: checksummed disk
# records, real triple faults) and its tests. Included by the top-level
# Makefile; also usable alone:
#   make -f kvm-per-node/kvm-per-node.mk B=$PWD/build kvm-per-node-check
#
#   $(MINT_GUEST)        $(B)/guest/mint-guest, static (it runs in the stock
#                        Debian guest's busybox initramfs)
#   kvm-per-node-check   Check unit tests of record.c under ASan/UBSan and
#                        the static binary against a sparse file;

B ?= $(CURDIR)/build

KP_TOP   := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
KP_SRC   := $(KP_TOP)/kvm-per-node/guest
MINT_GUEST := $(B)/guest/mint-guest
KP_TEST  := $(B)/tests/kvm-per-node/check_record
KP_CFLAGS := -std=gnu11 -O2 -g -D_GNU_SOURCE -Wall -Wextra -Werror \
	-Wmissing-prototypes -Wshadow -Wvla
KP_SAN   := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

.PHONY: kvm-per-node-check

$(MINT_GUEST): $(KP_SRC)/mint-guest.c $(KP_SRC)/record.c $(KP_SRC)/record.h
	@mkdir -p $(@D)
	gcc $(KP_CFLAGS) -static -o $@ $(KP_SRC)/mint-guest.c $(KP_SRC)/record.c

$(KP_TEST): $(KP_SRC)/tests/check_record.c $(KP_SRC)/record.c $(KP_SRC)/record.h
	@mkdir -p $(@D)
	gcc $(KP_CFLAGS) $(KP_SAN) -I$(KP_SRC) $(shell pkg-config --cflags check) \
		-o $@ $< $(KP_SRC)/record.c $(shell pkg-config --libs check)

kvm-per-node-check: $(MINT_GUEST) $(KP_TEST)
	@status=0; \
	$(KP_TOP)/tests/unit/run-check.sh $(KP_TEST) || status=1; \
	$(KP_SRC)/tests/cli.sh $(MINT_GUEST) $(B)/tests/kvm-per-node || status=1; \
	exit $$status
