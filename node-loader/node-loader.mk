# node-loader: builds a node's boot image (boot_params, e820, setup_data,
# command line, kexec segments). Included by the top-level Makefile; also
# usable alone:  make -f node-loader/node-loader.mk B=$PWD/build node-loader-check
#
#   $(B)/node-loader/libnodeloader.a   the library (pure functions, no I/O)
#   node-loader-check                  unit tests under ASan/UBSan, one line per
#                                      test: "PASS: name" / "FAIL: name: why";
#                                      the real_* tests read $(B)/bzImage and
#                                      $(B)/guest/vmlinuz (built when missing)
#
# partitioner/partitioner.mk links mintctl with $(NL_LIB) and its sanitized
# build with $(NL_SOBJS): keep those names.

B ?= $(CURDIR)/build

NL_TOP   := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
NL_OUT   := $(B)/node-loader
NL_LIB   := $(NL_OUT)/libnodeloader.a
NL_TEST  := $(NL_OUT)/test_node_loader

# the flags, warnings and quiet lines of every C build
include $(NL_TOP)/configs/build/common.mk

NL_SRCS  := $(wildcard $(NL_TOP)/node-loader/lib/*.c)
NL_TSRCS := $(NL_TOP)/tests/unit/test_node_loader.c $(wildcard $(NL_TOP)/tests/unit/test_nl_*.c)

NL_CC     ?= gcc
NL_CFLAGS := $(MINT_CFLAGS) $(MINT_DEPFLAGS)
# test tables leave trailing fields to their zero default
NL_TFLAGS := -Wno-missing-field-initializers \
	-DNL_FIXTURES_DIR='"$(NL_TOP)/tests/unit/fixtures"'

NL_OBJS  := $(patsubst $(NL_TOP)/node-loader/lib/%.c,$(NL_OUT)/lib/%.o,$(NL_SRCS))
NL_SOBJS := $(patsubst $(NL_TOP)/node-loader/lib/%.c,$(NL_OUT)/san/%.o,$(NL_SRCS))
NL_TOBJS := $(patsubst $(NL_TOP)/tests/unit/%.c,$(NL_OUT)/tests/%.o,$(NL_TSRCS))

# The real_* tests read the project's bzImage and the stock guest kernel
# (MINT_BZIMAGE, MINT_STOCK_BZIMAGE below). A missing one is built first
# (the top-level Makefile's rules); one that exists is used as it is, not
# brought up to date: that is make all's job (make check runs it first),
# and a kernel rebuild is minutes a unit test should not start.
NL_IMAGES := $(B)/bzImage $(B)/guest/vmlinuz
NL_MISSING_IMAGES := $(filter-out $(wildcard $(NL_IMAGES)),$(NL_IMAGES))

.PHONY: node-loader node-loader-check

node-loader: $(NL_LIB)

$(NL_OBJS): $(NL_OUT)/lib/%.o: $(NL_TOP)/node-loader/lib/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(NL_CC) $(NL_CFLAGS) -c $< -o $@

$(NL_SOBJS): $(NL_OUT)/san/%.o: $(NL_TOP)/node-loader/lib/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(NL_CC) $(NL_CFLAGS) $(MINT_SAN) -c $< -o $@

$(NL_TOBJS): $(NL_OUT)/tests/%.o: $(NL_TOP)/tests/unit/%.c
	@mkdir -p $(@D)
	$(call mint_quiet,CC,$@)$(NL_CC) $(NL_CFLAGS) $(NL_TFLAGS) $(MINT_SAN) \
		$(CHECK_CFLAGS) -c $< -o $@

$(NL_LIB): $(NL_OBJS)
	@rm -f $@
	$(call mint_quiet,AR,$@)ar rcs $@ $^

$(NL_TEST): $(NL_TOBJS) $(NL_SOBJS)
	$(call mint_quiet,LD,$@)$(NL_CC) $(MINT_SAN) -o $@ $^ $(CHECK_LIBS)

node-loader-check: $(NL_LIB) $(NL_TEST) | $(NL_MISSING_IMAGES)
	@MINT_BZIMAGE=$(B)/bzImage MINT_STOCK_BZIMAGE=$(B)/guest/vmlinuz \
	 MINT_FIXTURES=$(NL_TOP)/tests/unit/fixtures \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 $(NL_TEST)

-include $(patsubst %.o,%.d,$(NL_OBJS) $(NL_SOBJS) $(NL_TOBJS))
