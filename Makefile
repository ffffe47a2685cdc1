# SPDX-License-Identifier: GPL-2.0
#
# bpfrt top-level build.
#
#   make                  module (against the running kernel) + userspace
#   make module KDIR=...  the module against other kernel headers
#   make userspace        libbpfrt and the bpfrt CLI
#   make install          module, CLI, uapi header and man page
#   make dkms-install     register, build and install the module with DKMS
#   make demo             the demo in a QEMU guest (stock Debian kernel)
#   make check            the whole test suite; ends with "N passed, N failed"
#   make bench            benchmarks, reports under tests/out/
#
# The module is built by the top-level Kbuild; DKMS uses the same one.

VERSION := $(shell sed -n 's/^\#define BPFRT_VERSION "\(.*\)"/\1/p' module/bpfrt_version.h)
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
DESTDIR ?=
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
# bash-completion looks here whatever the PREFIX
BASHCOMPDIR ?= /usr/share/bash-completion/completions
BUILD := $(CURDIR)/build
OUT := $(CURDIR)/tests/out
# The guest suite runs on each of these kernels (see tests/guest/kernel.sh).
KERNELS ?= bookworm bookworm-backports
DEMO_KERNEL ?= bookworm

all: module userspace

module:
	@test -d "$(KDIR)" || { echo "error: no kernel headers at $(KDIR);" \
		"install linux-headers-$(KVER) or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" BPFRT_WERROR=y modules

userspace:
	$(MAKE) -C userspace O="$(BUILD)/userspace"

install: all
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules_install
	install -D -m 0755 "$(BUILD)/userspace/bpfrt" "$(DESTDIR)$(SBINDIR)/bpfrt"
	install -D -m 0644 uapi/linux/bpfrt.h "$(DESTDIR)$(INCLUDEDIR)/linux/bpfrt.h"
	install -D -m 0644 userspace/man/bpfrt.8 "$(DESTDIR)$(MANDIR)/man8/bpfrt.8"
	install -D -m 0644 userspace/completion/bpfrt "$(DESTDIR)$(BASHCOMPDIR)/bpfrt"
	-depmod -a "$(KVER)"

# DKMS builds the module for every installed kernel and on kernel updates.
DKMS_SRC := $(DESTDIR)/usr/src/bpfrt-$(VERSION)
dkms-install: userspace
	@command -v dkms >/dev/null || { echo "error: dkms is not installed" \
		"(apt-get install dkms)" >&2; exit 1; }
	rm -rf "$(DKMS_SRC)"
	mkdir -p "$(DKMS_SRC)"
	cp -r Kbuild Makefile dkms.conf LICENSE module uapi "$(DKMS_SRC)/"
	dkms add -m bpfrt -v $(VERSION) || true
	dkms build -m bpfrt -v $(VERSION)
	dkms install -m bpfrt -v $(VERSION)
	install -D -m 0755 "$(BUILD)/userspace/bpfrt" "$(DESTDIR)$(SBINDIR)/bpfrt"
	install -D -m 0644 uapi/linux/bpfrt.h "$(DESTDIR)$(INCLUDEDIR)/linux/bpfrt.h"
	install -D -m 0644 userspace/man/bpfrt.8 "$(DESTDIR)$(MANDIR)/man8/bpfrt.8"
	install -D -m 0644 userspace/completion/bpfrt "$(DESTDIR)$(BASHCOMPDIR)/bpfrt"

dkms-uninstall:
	-dkms remove -m bpfrt -v $(VERSION) --all
	rm -rf "$(DKMS_SRC)"

# --- tests -----------------------------------------------------------------

UNIT_CFLAGS := -O1 -g -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE \
	-Iuapi -Imodule -Imodule/analyzer -Iuserspace/lib -Iuserspace/cli \
	-DREPO_ROOT=\"$(CURDIR)\"
UNIT_TESTS := $(OUT)/unit/test_cli $(OUT)/unit/test_prog_fmt \
	$(OUT)/unit/test_prog_lib $(OUT)/unit/test_prog_cli \
	$(OUT)/unit/test_estimate $(OUT)/unit/test_policy_cli \
	$(OUT)/unit/test_calib
# The CLI library includes `bpfrt estimate`, which uses libbpf, and
# `bpfrt calibrate` and cost table files (json-c, libm).
UNIT_LIBS := $(shell pkg-config --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz) \
	$(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c) -lm

unit-build: userspace $(UNIT_TESTS)

$(OUT)/unit/test_cli: tests/unit/test_cli.c userspace
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(BUILD)/userspace/libbpfrt-cli.a \
		$(BUILD)/userspace/libbpfrt.a -lcmocka $(UNIT_LIBS)

# These two fake the module: libbpfrt's ioctl() calls go to the test's
# __wrap_ioctl.
$(OUT)/unit/test_prog_lib $(OUT)/unit/test_prog_cli: UNIT_WRAP := -Wl,--wrap=ioctl

$(OUT)/unit/test_prog_%: tests/unit/test_prog_%.c userspace
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(BUILD)/userspace/libbpfrt-cli.a \
		$(BUILD)/userspace/libbpfrt.a $(UNIT_WRAP) -lcmocka $(UNIT_LIBS)

$(OUT)/unit/test_policy_cli: tests/unit/test_policy_cli.c userspace
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -o $@ $< $(BUILD)/userspace/libbpfrt-cli.a \
		$(BUILD)/userspace/libbpfrt.a -lcmocka $(UNIT_LIBS)

$(OUT)/unit/test_estimate: tests/unit/test_estimate.c userspace
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -Itests/unit -o $@ $< \
		$(BUILD)/userspace/libbpfrt-cli.a $(BUILD)/userspace/libbpfrt.a \
		-lcmocka $(UNIT_LIBS)

$(OUT)/unit/test_calib: tests/unit/test_calib.c userspace
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -Iuserspace/calib -o $@ $< \
		$(BUILD)/userspace/libbpfrt-cli.a $(BUILD)/userspace/libbpfrt.a \
		-lcmocka $(UNIT_LIBS)

unit: unit-build
	@set -e; for t in $(UNIT_TESTS); do $$t; done

check:
	KERNELS="$(KERNELS)" tests/check.sh

demo:
	tests/install-deps.sh
	tests/guest/run.sh --demo $(DEMO_KERNEL)

# Re-runs one kernel's guest suite: make guest KERNELS=bookworm
guest:
	tests/install-deps.sh
	@set -e; for k in $(KERNELS); do tests/guest/run.sh $$k; done

-include tests/analyzer.mk

# The guest benchmarks (tests/guest/rootfs/bench-*.sh), one boot per kernel
# of BENCH_KERNELS; reports in tests/out/bench-NAME-KERNEL.txt.
BENCH_KERNELS ?= $(KERNELS)
bench: guest-bench
guest-bench:
	tests/install-deps.sh
	@set -e; for k in $(BENCH_KERNELS); do tests/guest/run.sh --bench $$k; done

clean:
	-$(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean 2>/dev/null
	rm -rf "$(BUILD)" "$(OUT)"

.PHONY: all module userspace install dkms-install dkms-uninstall unit-build \
	unit check demo guest bench guest-bench clean
