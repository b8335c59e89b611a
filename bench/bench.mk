# SPDX-License-Identifier: GPL-2.0
# The evaluation program (bench/evalprog) and the report (bench/report) of
# docs/benchmarks.md. Included by the top-level Makefile; also usable alone:
#   make -f bench/bench.mk B=$PWD/build bench-unit-check
#
#   $(MINTBENCH) = $(B)/bench/mintbench   the evaluation program, static
#                                         (phony alias: bench-mintbench)
#   $(MINTREPORT)                         bench/report/mintreport.py
#   bench-unit-check   builds and runs the tests: Check unit tests of
#                      mintbench under ASan/UBSan, the static binary's CLI,
#                      the report; one line per test, "PASS: bench/NAME" or
#                      "FAIL: bench/NAME: why", non-zero exit on a failure
#
# The `bench` target itself is the top-level Makefile's.

B ?= $(CURDIR)/build

MB_TOP    := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
MB_SRC    := $(MB_TOP)/bench/evalprog
MB_OUT    := $(B)/bench
MINTBENCH := $(MB_OUT)/mintbench
MINTREPORT := $(MB_TOP)/bench/report/mintreport.py
MB_TEST   := $(MB_OUT)/check_mintbench

# the flags, warnings and quiet lines of every C build
include $(MB_TOP)/configs/build/common.mk

MB_CC     ?= gcc
MB_CFLAGS := $(MINT_CFLAGS) $(MINT_DEPFLAGS) -I$(MB_SRC)
# the library part (the unit tests link it too), mintbench's main, the tests
MB_SRCS   := $(MB_SRC)/mb_lib.c $(MB_SRC)/mb_run.c
MB_MAIN   := $(MB_SRC)/mintbench.c
MB_TSRCS  := $(MB_SRC)/tests/check_mintbench.c $(MB_SRC)/tests/check_mintbench_run.c \
	     $(MB_SRC)/tests/mb_test.c

MB_OBJS   := $(patsubst $(MB_SRC)/%.c,$(MB_OUT)/obj/%.o,$(MB_MAIN) $(MB_SRCS))
MB_SOBJS  := $(patsubst $(MB_SRC)/%.c,$(MB_OUT)/san/%.o,$(MB_TSRCS) $(MB_SRCS))

.PHONY: bench-mintbench bench-unit-check

bench-mintbench: $(MINTBENCH)

$(MB_OBJS): $(MB_OUT)/obj/%.o: $(MB_SRC)/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(MB_CC) $(MB_CFLAGS) -c $< -o $@

$(MB_SOBJS): $(MB_OUT)/san/%.o: $(MB_SRC)/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(MB_CC) $(MB_CFLAGS) $(MINT_SAN) $(CHECK_CFLAGS) \
		-c $< -o $@

# Static: it runs in node0, in nodes and in stock Debian guests, all on
# busybox initramfs images without a C library.
$(MINTBENCH): $(MB_OBJS)
	$(call mint_quiet,LD,$@)$(MB_CC) -static -o $@ $^

$(MB_TEST): $(MB_SOBJS)
	$(call mint_quiet,LD,$@)$(MB_CC) $(MINT_SAN) -o $@ $^ $(CHECK_LIBS)

bench-unit-check: $(MINTBENCH) $(MB_TEST)
	@status=0; \
	$(MB_SRC)/tests/run-check.sh $(MB_TEST) $(MB_OUT)/unit || status=1; \
	$(MB_SRC)/tests/cli.sh $(MINTBENCH) $(MB_OUT)/unit || status=1; \
	(cd $(MB_TOP) && python3 -m bench.report.tests.test_mintreport \
		--mintbench=$(abspath $(MINTBENCH)) \
		--work=$(abspath $(MB_OUT))/unit/report) || status=1; \
	exit $$status

-include $(patsubst %.o,%.d,$(MB_OBJS) $(MB_SOBJS))
