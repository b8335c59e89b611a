# SPDX-License-Identifier: GPL-2.0
# libmint, mintctl and their tests. Included by the top-level Makefile;
# can also run alone: make -f partitioner/partitioner.mk B=$PWD/build TARGET
#
# B        absolute build directory (outputs go to $(B)/partitioner and
#          $(B)/bin/mintctl)
# FUZZ_SECONDS  how long partitioner-check runs the fuzzer (default 30)
#
# Targets: $(B)/bin/mintctl, $(B)/partitioner/libmint.a, $(KEXEC_REFUSALS)
# ($(B)/tests/kexec-refusals), partitioner-check, partitioner-man
# (regenerates docs/mintctl.1), partitioner-clean.

PART_SRC := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
PART_ROOT := $(abspath $(PART_SRC)/..)
B ?= $(PART_ROOT)/build
PB := $(B)/partitioner

PART_CC ?= gcc
PART_CLANG ?= clang
FUZZ_SECONDS ?= 30

PART_WARN := -Wall -Wextra -Werror -Wformat=2 -Wmissing-prototypes \
	-Wstrict-prototypes -Wold-style-definition -Wshadow -Wundef \
	-Wwrite-strings -Wvla
PART_CFLAGS_NODEP := -std=gnu11 -O2 -g $(PART_WARN) -D_GNU_SOURCE \
	-I$(PART_SRC)/lib -I$(PART_ROOT)/node-loader/lib
PART_CFLAGS := $(PART_CFLAGS_NODEP) -MMD -MP
PART_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

LIBMINT_SRCS := $(sort $(wildcard $(PART_SRC)/lib/*.c))
MINTCTL_SRCS := $(sort $(wildcard $(PART_SRC)/mintctl/*.c))
UNIT_SRCS := $(sort $(wildcard $(PART_ROOT)/tests/unit/check_*.c))

LIBMINT_OBJS := $(patsubst $(PART_SRC)/%.c,$(PB)/obj/%.o,$(LIBMINT_SRCS))
MINTCTL_OBJS := $(patsubst $(PART_SRC)/%.c,$(PB)/obj/%.o,$(MINTCTL_SRCS))
LIBMINT_SAN_OBJS := $(patsubst $(PART_SRC)/%.c,$(PB)/san/%.o,$(LIBMINT_SRCS))
MINTCTL_SAN_OBJS := $(patsubst $(PART_SRC)/%.c,$(PB)/san/%.o,$(MINTCTL_SRCS))
UNIT_BINS := $(patsubst $(PART_ROOT)/tests/unit/%.c,$(PB)/unit/%,$(UNIT_SRCS))

MINTCTL := $(B)/bin/mintctl
MINTCTL_SAN := $(PB)/mintctl-san
FUZZER := $(PB)/fuzz/fuzz_config

CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

.PHONY: partitioner partitioner-check partitioner-man partitioner-clean \
	partitioner-unit partitioner-fuzz

partitioner: $(MINTCTL) $(PB)/libmint.a $(KEXEC_REFUSALS)

$(PB)/obj/%.o: $(PART_SRC)/%.c
	@mkdir -p $(dir $@)
	$(PART_CC) $(PART_CFLAGS) -c $< -o $@

$(PB)/san/%.o: $(PART_SRC)/%.c
	@mkdir -p $(dir $@)
	$(PART_CC) $(PART_CFLAGS) $(PART_SAN) -c $< -o $@

$(PB)/libmint.a: $(LIBMINT_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(PB)/libmint-san.a: $(LIBMINT_SAN_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# mintctl drives nodes with the node-loader library (node-loader.mk).
ifndef NL_LIB
include $(PART_ROOT)/node-loader/node-loader.mk
endif

# kexec-refusals (tests/kernel): a system test runs it in node0 against
# node0's kexec_load; static, since node0's initramfs has no C library.
# check_kexec_image compiles in its pure part and composes real node
# images with the node-loader library.
KI_SRC := $(PART_ROOT)/tests/kernel
KI_DEPS := $(KI_SRC)/kexec-image.c $(KI_SRC)/kexec-image.h \
	$(PART_ROOT)/node-loader/include/mint_abi.h \
	$(PART_ROOT)/kernel-patches/uapi/asm/mint.h
KEXEC_REFUSALS := $(B)/tests/kexec-refusals

$(KEXEC_REFUSALS): $(KI_SRC)/kexec-refusals.c $(KI_DEPS)
	@mkdir -p $(dir $@)
	$(PART_CC) $(PART_CFLAGS_NODEP) -static -o $@ $< $(KI_SRC)/kexec-image.c

$(PB)/unit/check_kexec_image: $(PART_ROOT)/tests/unit/check_kexec_image.c \
		$(KI_DEPS) $(NL_SOBJS)
	@mkdir -p $(dir $@)
	$(PART_CC) $(PART_CFLAGS_NODEP) $(PART_SAN) $(CHECK_CFLAGS) \
		-DKI_BZIMAGE='"$(PART_ROOT)/tests/config/sysroot/preflight/boot/mint/bzImage"' \
		-o $@ $< $(NL_SOBJS) $(CHECK_LIBS)

$(MINTCTL): $(MINTCTL_OBJS) $(PB)/libmint.a $(NL_LIB)
	@mkdir -p $(dir $@)
	$(PART_CC) -o $@ $(MINTCTL_OBJS) $(PB)/libmint.a $(NL_LIB)

$(MINTCTL_SAN): $(MINTCTL_SAN_OBJS) $(PB)/libmint-san.a $(NL_SOBJS)
	$(PART_CC) $(PART_SAN) -o $@ $(MINTCTL_SAN_OBJS) $(PB)/libmint-san.a \
		$(NL_SOBJS)

$(PB)/unit/%: $(PART_ROOT)/tests/unit/%.c $(PB)/libmint-san.a \
		$(PART_SRC)/lib/config.h
	@mkdir -p $(dir $@)
	$(PART_CC) $(PART_CFLAGS_NODEP) $(PART_SAN) $(CHECK_CFLAGS) -o $@ $< \
		$(PB)/libmint-san.a $(CHECK_LIBS)

# check_opts compiles in mintctl's opts.c (pure) and so depends on it.
$(PB)/unit/check_opts: $(PART_SRC)/mintctl/opts.c $(PART_SRC)/mintctl/mintctl.h

# libFuzzer needs clang; the library is compiled in with the harness.
$(FUZZER): $(PART_ROOT)/tests/fuzz/fuzz_config.c $(LIBMINT_SRCS) \
		$(wildcard $(PART_SRC)/lib/*.h)
	@mkdir -p $(dir $@)
	$(PART_CLANG) -std=gnu11 -O1 -g -D_GNU_SOURCE -I$(PART_SRC)/lib \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -o $@ $< $(LIBMINT_SRCS)

partitioner-unit: $(UNIT_BINS)

partitioner-fuzz: $(FUZZER)

# Every test prints one PASS:/FAIL:/SKIP: line; all run, then the status.
partitioner-check: $(MINTCTL) $(MINTCTL_SAN) $(UNIT_BINS) $(FUZZER) \
		$(KEXEC_REFUSALS)
	@cd $(PART_ROOT) && status=0; \
	tests/unit/run-check.sh $(UNIT_BINS) || status=1; \
	tests/config/run-corpus.sh $(MINTCTL) || status=1; \
	tests/config/run-corpus.sh $(MINTCTL_SAN) san || status=1; \
	tests/config/run-cli.sh $(MINTCTL) $(KEXEC_REFUSALS) || status=1; \
	tests/fuzz/run-fuzz.sh $(FUZZER) $(PB)/fuzz $(FUZZ_SECONDS) || status=1; \
	exit $$status

partitioner-man: $(MINTCTL)
	@mkdir -p $(PART_ROOT)/docs
	$(MINTCTL) --man > $(PART_ROOT)/docs/mintctl.1

partitioner-clean:
	rm -rf $(PB) $(MINTCTL)

-include $(LIBMINT_OBJS:.o=.d) $(MINTCTL_OBJS:.o=.d) \
	$(LIBMINT_SAN_OBJS:.o=.d) $(MINTCTL_SAN_OBJS:.o=.d)
