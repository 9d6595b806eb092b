# SPDX-License-Identifier: GPL-2.0
#
# sspi_kmod: top-level make targets.
#
#   make			build sspi_kmod.ko against KDIR and the userspace tools
#   make install		modules_install (M=), the tools and libsspi (the
#			library, its headers and libsspi.pc); PREFIX and
#			DESTDIR as usual (DESTDIR is the modules'
#			INSTALL_MOD_PATH too)
#   make install-tools	the userspace part of make install alone
#   make run		boot the test kernel under QEMU and run the sspictl demo
#   make check		every test layer; ends with "N passed, N failed"
#   make bench		benchmarks (ratios against anchors measured in the same run)
#   make fuzz		the full fuzzing runs in the debug kernel (FUZZ_COUNT, FUZZ_SEED,
#			FUZZ_IFACE_COUNT, FUZZ_FAULTS, FUZZ_STRESS_SECONDS)
#
# KDIR defaults to the running kernel's build directory, or, where there is
# none, to the project's cached test kernel (built on first use).

RUNNING_KDIR := $(wildcard /lib/modules/$(shell uname -r)/build)
ifeq ($(origin KDIR),undefined)
ifneq ($(RUNNING_KDIR),)
KDIR := $(RUNNING_KDIR)
else
KDIR := $(shell scripts/kernel kdir test)
KDIR_PREPARE := scripts/kernel prepare test
endif
endif

PREFIX ?= /usr/local

.PHONY: all modules tools install install-tools modules_install clean run check \
	bench fuzz kunit static-check setup

all: modules tools

modules:
	$(if $(KDIR_PREPARE),$(KDIR_PREPARE))
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C userspace-tools

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) \
		modules_install

install: modules_install install-tools

install-tools: tools
	$(MAKE) -C userspace-tools install PREFIX=$(PREFIX)

clean:
	$(if $(wildcard $(KDIR)/Makefile),$(MAKE) -C $(KDIR) M=$(CURDIR) clean)
	$(MAKE) -C userspace-tools clean

setup:
	scripts/setup-host

run: setup
	scripts/demo

check: setup
	tests/run

bench: setup
	scripts/bench $(BENCH_ARGS)

fuzz: setup
	FUZZ_COUNT=$(FUZZ_COUNT) FUZZ_SEED=$(FUZZ_SEED) FUZZ_IFACE_COUNT=$(FUZZ_IFACE_COUNT) \
		FUZZ_STRESS_SECONDS=$(FUZZ_STRESS_SECONDS) FUZZ_FAULTS=$(FUZZ_FAULTS) scripts/fuzz

kunit: setup
	scripts/kunit

static-check: setup
	scripts/static-check
