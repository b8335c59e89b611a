# node-loader: builds a node's boot image (boot_params, e820, setup_data,
# command line, kexec segments). Included by the top-level Makefile; also
# usable alone:  make -f node-loader/node-loader.mk B=$PWD/build node-loader-check
#
#   $(B)/node-loader/libnodeloader.a   the library (pure functions, no I/O)
#   node-loader-check                  unit tests under ASan/UBSan, one line per
#                                      test: "PASS: name" / "FAIL: name: why"
#
# partitioner/partitioner.mk links mintctl with $(NL_LIB) and its sanitized
# build with $(NL_SOBJS): keep those names.

B ?= $(CURDIR)/build

NL_TOP   := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
NL_OUT   := $(B)/node-loader
NL_LIB   := $(NL_OUT)/libnodeloader.a
NL_TEST  := $(NL_OUT)/test_node_loader

NL_SRCS  := $(wildcard $(NL_TOP)/node-loader/lib/*.c)
NL_HDRS  := $(wildcard $(NL_TOP)/node-loader/lib/*.h) $(NL_TOP)/node-loader/include/mint_abi.h \
	    $(NL_TOP)/kernel-patches/uapi/asm/mint.h
NL_TSRCS := $(NL_TOP)/tests/unit/test_node_loader.c $(wildcard $(NL_TOP)/tests/unit/test_nl_*.c)
NL_THDRS := $(NL_TOP)/tests/unit/nl_test.h

NL_CC     ?= gcc
NL_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g
NL_SAN    := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# test tables leave trailing fields to their zero default
NL_TFLAGS := -Wno-missing-field-initializers

NL_OBJS  := $(patsubst $(NL_TOP)/node-loader/lib/%.c,$(NL_OUT)/lib/%.o,$(NL_SRCS))
NL_SOBJS := $(patsubst $(NL_TOP)/node-loader/lib/%.c,$(NL_OUT)/san/%.o,$(NL_SRCS))

.PHONY: node-loader node-loader-check

node-loader: $(NL_LIB)

$(NL_OUT)/lib/%.o: $(NL_TOP)/node-loader/lib/%.c $(NL_HDRS)
	@mkdir -p $(@D)
	$(NL_CC) $(NL_CFLAGS) -c $< -o $@

$(NL_LIB): $(NL_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(NL_OUT)/san/%.o: $(NL_TOP)/node-loader/lib/%.c $(NL_HDRS)
	@mkdir -p $(@D)
	$(NL_CC) $(NL_CFLAGS) $(NL_SAN) -c $< -o $@

$(NL_TEST): $(NL_SOBJS) $(NL_TSRCS) $(NL_THDRS) $(NL_HDRS)
	@mkdir -p $(@D)
	$(NL_CC) $(NL_CFLAGS) $(NL_TFLAGS) $(NL_SAN) -DNL_FIXTURES_DIR='"$(NL_TOP)/tests/unit/fixtures"' \
		$(shell pkg-config --cflags check) -o $@ $(NL_TSRCS) $(NL_SOBJS) \
		$(shell pkg-config --libs check)

node-loader-check: $(NL_LIB) $(NL_TEST)
	@MINT_BZIMAGE=$(B)/bzImage MINT_STOCK_BZIMAGE=$(B)/guest/vmlinuz \
	 MINT_FIXTURES=$(NL_TOP)/tests/unit/fixtures \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 $(NL_TEST)
