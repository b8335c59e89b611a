# SPDX-License-Identifier: GPL-2.0
# What every user-space C build of mint shares: the C dialect, the
# warnings, the sanitizers of the test builds, the dependency files and the
# kbuild-style quiet lines. Included (with include, it must exist) by every
# fragment that compiles C: partitioner/partitioner.mk (libmint, mintctl,
# their tests, kexec-refusals, the fuzzer), node-loader/node-loader.mk,
# bench/bench.mk (mintbench) and kvm-per-node/kvm-per-node.mk (mint-guest).
# Each of those also works alone (make -f FRAGMENT), so each includes this
# file itself; a second inclusion changes nothing.
#
#   V=1   print every compile and link command in full; without it make
#         prints one line each: "  CC      partitioner/obj/lib/parse.o",
#         "  LD      bin/mintctl", "  AR      partitioner/libmint.a" (paths
#         under B)

ifndef MINT_COMMON_MK
MINT_COMMON_MK := 1

# The compilers stay per program (PART_CC, PART_CLANG, NL_CC, MB_CC,
# KP_CC); the flags are these, for gcc and clang alike.
MINT_CSTD  := -std=gnu11 -D_GNU_SOURCE
MINT_WARN  := -Wall -Wextra -Werror -Wformat=2 -Wmissing-prototypes \
	-Wstrict-prototypes -Wold-style-definition -Wshadow -Wundef \
	-Wwrite-strings -Wvla
MINT_CFLAGS := $(MINT_CSTD) -O2 -g $(MINT_WARN)
# Every object writes its .d (the headers it read, each also a phony
# target so that a removed header does not stop the build); the fragments
# -include them.
MINT_DEPFLAGS := -MMD -MP
# The unit tests and mintctl-san run under ASan and UBSan; any report
# fails the test.
MINT_SAN   := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

# Check's flags, read from pkg-config the first time a recipe needs them,
# never while make reads its makefiles: on a fresh machine `make check`
# installs Check and pkg-config (make deps) after make has read this file,
# and flags read before that were empty (every unit test's link failed
# with "undefined reference to `_ck_assert_failed'"). Read once, then kept.
mint_check_flags = $(if $(shell pkg-config --exists check 2>/dev/null && echo y),\
	$(shell pkg-config $(1) check),\
	$(error Check (libcheck) not found by pkg-config: run make deps))
CHECK_CFLAGS = $(eval CHECK_CFLAGS := $$(call mint_check_flags,--cflags))$(CHECK_CFLAGS)
CHECK_LIBS   = $(eval CHECK_LIBS := $$(call mint_check_flags,--libs))$(CHECK_LIBS)

# $(call mint_quiet,TAG,FILE) goes in front of a command: it prints
# "  TAG     FILE" (FILE relative to B) and hides the command; with V=1 it
# is empty and make prints the command.
ifeq ($(V),1)
mint_quiet =
else
mint_quiet = @printf '  %-8s%s\n' '$(1)' '$(patsubst $(B)/%,%,$(2))';
endif

endif
