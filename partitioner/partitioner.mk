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

# the flags, warnings and quiet lines of every C build
include $(PART_ROOT)/configs/build/common.mk

PART_CC ?= gcc
PART_CLANG ?= clang
FUZZ_SECONDS ?= 30

PART_CFLAGS := $(MINT_CFLAGS) $(MINT_DEPFLAGS) \
	-I$(PART_SRC)/lib -I$(PART_ROOT)/node-loader/lib
# libFuzzer needs clang and -O1; the library is built again with it.
PART_FUZZ_CFLAGS := $(MINT_CSTD) -O1 -g $(MINT_WARN) $(MINT_DEPFLAGS) \
	-I$(PART_SRC)/lib -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer

LIBMINT_SRCS := $(sort $(wildcard $(PART_SRC)/lib/*.c))
MINTCTL_SRCS := $(sort $(wildcard $(PART_SRC)/mintctl/*.c))
UNIT_SRCS := $(sort $(wildcard $(PART_ROOT)/tests/unit/check_*.c))
FUZZ_SRCS := $(PART_ROOT)/tests/fuzz/fuzz_config.c
KI_SRC := $(PART_ROOT)/tests/kernel
KEXEC_REFUSALS_SRCS := $(KI_SRC)/kexec-refusals.c $(KI_SRC)/kexec-image.c

LIBMINT_OBJS := $(patsubst $(PART_SRC)/%.c,$(PB)/obj/%.o,$(LIBMINT_SRCS))
MINTCTL_OBJS := $(patsubst $(PART_SRC)/%.c,$(PB)/obj/%.o,$(MINTCTL_SRCS))
LIBMINT_SAN_OBJS := $(patsubst $(PART_SRC)/%.c,$(PB)/san/%.o,$(LIBMINT_SRCS))
MINTCTL_SAN_OBJS := $(patsubst $(PART_SRC)/%.c,$(PB)/san/%.o,$(MINTCTL_SRCS))
UNIT_OBJS := $(patsubst $(PART_ROOT)/tests/unit/%.c,$(PB)/unit/%.o,$(UNIT_SRCS))
UNIT_BINS := $(UNIT_OBJS:.o=)
FUZZ_LIB_OBJS := $(patsubst $(PART_SRC)/%.c,$(PB)/fuzz-obj/%.o,$(LIBMINT_SRCS))
FUZZ_MAIN_OBJS := $(patsubst $(PART_ROOT)/tests/fuzz/%.c,$(PB)/fuzz-obj/%.o,$(FUZZ_SRCS))
KEXEC_REFUSALS_OBJS := $(patsubst $(KI_SRC)/%.c,$(PB)/kexec/%.o,$(KEXEC_REFUSALS_SRCS))

MINTCTL := $(B)/bin/mintctl
MINTCTL_SAN := $(PB)/mintctl-san
FUZZER := $(PB)/fuzz/fuzz_config
# kexec-refusals (tests/kernel): a system test runs it in node0 against
# node0's kexec_load; static, since node0's initramfs has no C library.
KEXEC_REFUSALS := $(B)/tests/kexec-refusals

.PHONY: partitioner partitioner-check partitioner-man partitioner-clean \
	partitioner-unit partitioner-fuzz

partitioner: $(MINTCTL) $(PB)/libmint.a $(KEXEC_REFUSALS)

# mintctl drives nodes with the node-loader library (node-loader.mk).
ifndef NL_LIB
include $(PART_ROOT)/node-loader/node-loader.mk
endif

$(LIBMINT_OBJS) $(MINTCTL_OBJS): $(PB)/obj/%.o: $(PART_SRC)/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(PART_CC) $(PART_CFLAGS) -c $< -o $@

$(LIBMINT_SAN_OBJS) $(MINTCTL_SAN_OBJS): $(PB)/san/%.o: $(PART_SRC)/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(PART_CC) $(PART_CFLAGS) $(MINT_SAN) -c $< -o $@

# check_kexec_image reads a fake bzImage of the CLI tests; check_opts
# compiles in mintctl's opts.c and check_kexec_image tests/kernel's
# kexec-image.c (#include: their .d files name them).
UNIT_DEFS :=
$(PB)/unit/check_kexec_image.o: UNIT_DEFS := \
	-DKI_BZIMAGE='"$(PART_ROOT)/tests/config/sysroot/preflight/boot/mint/bzImage"'

$(UNIT_OBJS): $(PB)/unit/%.o: $(PART_ROOT)/tests/unit/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(PART_CC) $(PART_CFLAGS) $(MINT_SAN) \
		$(CHECK_CFLAGS) $(UNIT_DEFS) -c $< -o $@

$(FUZZ_LIB_OBJS): $(PB)/fuzz-obj/%.o: $(PART_SRC)/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(PART_CLANG) $(PART_FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_MAIN_OBJS): $(PB)/fuzz-obj/%.o: $(PART_ROOT)/tests/fuzz/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(PART_CLANG) $(PART_FUZZ_CFLAGS) -c $< -o $@

$(KEXEC_REFUSALS_OBJS): $(PB)/kexec/%.o: $(KI_SRC)/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(PART_CC) $(PART_CFLAGS) -c $< -o $@

$(PB)/libmint.a: $(LIBMINT_OBJS)
$(PB)/libmint-san.a: $(LIBMINT_SAN_OBJS)
$(PB)/libmint.a $(PB)/libmint-san.a:
	@mkdir -p $(@D)
	@rm -f $@
	$(call mint_quiet,AR,$@)ar rcs $@ $^

$(KEXEC_REFUSALS): $(KEXEC_REFUSALS_OBJS)
	@mkdir -p $(@D)
	$(call mint_quiet,LD,$@)$(PART_CC) -static -o $@ $^

$(MINTCTL): $(MINTCTL_OBJS) $(PB)/libmint.a $(NL_LIB)
	@mkdir -p $(@D)
	$(call mint_quiet,LD,$@)$(PART_CC) -o $@ $^

$(MINTCTL_SAN): $(MINTCTL_SAN_OBJS) $(PB)/libmint-san.a $(NL_SOBJS)
	$(call mint_quiet,LD,$@)$(PART_CC) $(MINT_SAN) -o $@ $^

# check_kexec_image composes real node images with the node-loader
# library; the others test libmint.
$(PB)/unit/check_kexec_image: $(PB)/unit/check_kexec_image.o $(NL_SOBJS)
$(filter-out $(PB)/unit/check_kexec_image,$(UNIT_BINS)): $(PB)/unit/%: \
	$(PB)/unit/%.o $(PB)/libmint-san.a
$(UNIT_BINS):
	$(call mint_quiet,LD,$@)$(PART_CC) $(MINT_SAN) -o $@ $^ $(CHECK_LIBS)

$(FUZZER): $(FUZZ_MAIN_OBJS) $(FUZZ_LIB_OBJS)
	@mkdir -p $(@D)
	$(call mint_quiet,LD,$@)$(PART_CLANG) -fsanitize=fuzzer,address,undefined \
		-o $@ $^

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

-include $(patsubst %.o,%.d,$(LIBMINT_OBJS) $(MINTCTL_OBJS) $(LIBMINT_SAN_OBJS) \
	$(MINTCTL_SAN_OBJS) $(UNIT_OBJS) $(FUZZ_LIB_OBJS) $(FUZZ_MAIN_OBJS) $(KEXEC_REFUSALS_OBJS))
