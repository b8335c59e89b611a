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

MB_CC     ?= gcc
MB_WARN   := -Wall -Wextra -Werror -Wformat=2 -Wmissing-prototypes \
	-Wstrict-prototypes -Wold-style-definition -Wshadow -Wundef \
	-Wwrite-strings -Wvla
MB_CFLAGS := -std=gnu11 -O2 -g -D_GNU_SOURCE $(MB_WARN)
MB_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
MB_SRCS   := $(MB_SRC)/mb_lib.c $(MB_SRC)/mb_run.c
MB_HDRS   := $(MB_SRC)/mintbench.h

.PHONY: bench-mintbench bench-unit-check

bench-mintbench: $(MINTBENCH)

# Static: it runs in node0, in nodes and in stock Debian guests, all on
# busybox initramfs images without a C library.
$(MINTBENCH): $(MB_SRC)/mintbench.c $(MB_SRCS) $(MB_HDRS)
	@mkdir -p $(@D)
	$(MB_CC) $(MB_CFLAGS) -static -o $@ $(MB_SRC)/mintbench.c $(MB_SRCS)

$(MB_TEST): $(MB_SRC)/tests/check_mintbench.c $(MB_SRCS) $(MB_HDRS)
	@mkdir -p $(@D)
	$(MB_CC) $(MB_CFLAGS) $(MB_SAN) -I$(MB_SRC) \
		$(shell pkg-config --cflags check) -o $@ $< $(MB_SRCS) \
		$(shell pkg-config --libs check)

bench-unit-check: $(MINTBENCH) $(MB_TEST)
	@status=0; \
	$(MB_SRC)/tests/run-check.sh $(MB_TEST) $(MB_OUT)/unit || status=1; \
	$(MB_SRC)/tests/cli.sh $(MINTBENCH) $(MB_OUT)/unit || status=1; \
	python3 $(MB_TOP)/bench/report/tests/test_mintreport.py \
		--mintbench=$(MINTBENCH) --work=$(MB_OUT)/unit/report || status=1; \
	exit $$status
