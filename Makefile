# spapr-tce-iommu: the one entry point. See README.md.
#
#   make deps          install every dependency (Debian packages)
#   make kernel        build the patched kernel (FLAVOUR="release debug";
#                      FLAVOUR=pristine builds 6.12 without our series)
#   make unit          native unit tests (ASan/UBSan)
#   make lab           boot the lab machines and run the selftests
#                      MACHINES="powernv8 powernv9 pseries-nested"
#                      KERNEL_FLAVOUR=debug|release|modules|pristine  LAB_EXTRA=DIR
#   make check         unit + kernel + lab on every machine
#   make bench         minivmm on every machine (release kernel): build/bench/
#   make bench-ddw     the iommu path on a 1 GiB and a 1 TiB 64-bit window,
#                      same boot: build/bench-ddw/ (DDW_MACHINES)
#   make demo          a short minivmm run on powernv8, the comparison table
#   make fuzz          minivmm's fuzz workload against the TCE model on every machine
#                      (debug kernel): FUZZ_SEED=1 FUZZ_CALLS=1000000, build/fuzz/
#   make lint          checkpatch --strict, sparse and W=1 on the series
#   make configs       build the series without SPAPR_TCE_IOMMU, without VFIO,
#                      KVM-PR only, as modules, with Debian's configuration
SHELL := /bin/bash
TOP := $(CURDIR)
BUILD := $(TOP)/build
export BUILD

FLAVOUR ?= release debug
KERNEL_FLAVOUR ?= debug
MACHINES ?= powernv8 powernv9 pseries-nested
LAB_EXTRA ?=

NATIVE := $(BUILD)/native
NATIVE_CC ?= gcc
NATIVE_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

VERDICT_SRCS := tools/lab/verdict/verdict.c tools/lab/verdict/verdict.h
TCEMODEL_SRCS := tools/tcemodel/tce_model.c tools/tcemodel/tce_model.h tools/include/tap.h
RULES_SRCS := kvm/book3s_64_tce_rules.h $(wildcard kvm/tests/shim/*/*.h) tools/include/tap.h
UNIT_TESTS := $(NATIVE)/tests/test_verdict $(NATIVE)/tests/test_minivmm $(NATIVE)/tests/test_tce_model \
	$(NATIVE)/tests/test_tce_rules_4k $(NATIVE)/tests/test_tce_rules_64k

.PHONY: all deps kernel headers unit native selftests lab check clean help minivmm minivmm-unit bench bench-ddw demo fuzz series lint configs

all: check

help:
	@sed -n '2,19p' Makefile

deps:
	@tools/lab/deps.sh

kernel: deps
	@for f in $(FLAVOUR); do tools/lab/kernel.sh $$f || exit 1; done

kernel-%: deps
	@tools/lab/kernel.sh $*

headers: deps
	@tools/lab/kernel.sh headers

native: $(NATIVE)/labverdict $(NATIVE)/tests/test_verdict $(NATIVE)/tests/test_tce_model \
	$(NATIVE)/tests/test_tce_rules_4k $(NATIVE)/tests/test_tce_rules_64k minivmm-unit

minivmm-unit: | deps
	@$(MAKE) -s -C tools/minivmm unit

minivmm: headers
	@$(MAKE) -s -C tools/minivmm

$(NATIVE)/labverdict: tools/lab/verdict/labverdict.c $(VERDICT_SRCS) | deps
	@mkdir -p $(dir $@)
	$(NATIVE_CC) $(NATIVE_CFLAGS) -o $@ $< tools/lab/verdict/verdict.c

$(NATIVE)/tests/test_verdict: tools/lab/verdict/test_verdict.c $(VERDICT_SRCS) | deps
	@mkdir -p $(dir $@)
	$(NATIVE_CC) $(NATIVE_CFLAGS) -o $@ $< tools/lab/verdict/verdict.c

# the kernel's own TCE rules, natively, with 4 KiB and 64 KiB host pages
$(NATIVE)/tests/test_tce_rules_4k: kvm/tests/test_tce_rules.c $(RULES_SRCS) | deps
	@mkdir -p $(dir $@)
	$(NATIVE_CC) $(NATIVE_CFLAGS) -Ikvm/tests/shim -DSHIM_PAGE_SHIFT=12 -o $@ $<

$(NATIVE)/tests/test_tce_rules_64k: kvm/tests/test_tce_rules.c $(RULES_SRCS) | deps
	@mkdir -p $(dir $@)
	$(NATIVE_CC) $(NATIVE_CFLAGS) -Ikvm/tests/shim -DSHIM_PAGE_SHIFT=16 -o $@ $<

$(NATIVE)/tests/test_tce_model: tools/tcemodel/test_tce_model.c $(TCEMODEL_SRCS) | deps
	@mkdir -p $(dir $@)
	$(NATIVE_CC) $(NATIVE_CFLAGS) -pthread -o $@ $< tools/tcemodel/tce_model.c

unit: native
	@tools/lab/unit.sh $(UNIT_TESTS)

selftests: headers
	@$(MAKE) -s -C selftests

lab: native selftests minivmm kernel-$(KERNEL_FLAVOUR)
	@tools/lab/lab.sh -k $(KERNEL_FLAVOUR) $(if $(LAB_EXTRA),-e $(abspath $(LAB_EXTRA))) $(MACHINES)

BENCH_ARGS ?= --rounds 3
DEMO_ARGS ?= --calls 200 --workloads put,indirect-8,indirect-512,stuff,get,map-window,null

bench: native minivmm kernel-release
	@tools/minivmm/lab/bench.sh -k release -a "$(BENCH_ARGS)" $(MACHINES)

# the iommu path on a 1 GiB and a 1 TiB 64-bit window, same boot (the
# machines with 64-bit windows)
DDW_MACHINES ?= powernv8 powernv9
bench-ddw: native minivmm kernel-release
	@tools/minivmm/lab/ddw-bench.sh -k release $(DDW_MACHINES)

demo: native minivmm kernel-release
	@tools/minivmm/lab/bench.sh -k release -o $(BUILD)/demo -a "$(DEMO_ARGS)" powernv8

# every path that claims the TCE semantics, checked call by call against the
# model (Documentation/minivmm.md, "The fuzz workload"); bench.sh adds --vfio
FUZZ_SEED ?= 1
FUZZ_CALLS ?= 1000000
FUZZ_TIMEOUT ?= 7200
FUZZ_ARGS ?= --workloads fuzz --seed $(FUZZ_SEED) --calls $(FUZZ_CALLS) \
	--paths iommu,user,kvm-table,kvm-vfio

fuzz: native minivmm kernel-debug
	@LAB_TEST_TIMEOUT=$(FUZZ_TIMEOUT) LAB_MACHINE_TIMEOUT=$$(($(FUZZ_TIMEOUT) + 300)) \
		tools/minivmm/lab/bench.sh -k debug -o $(BUILD)/fuzz -a "$(FUZZ_ARGS)" $(MACHINES)

lint: kernel-debug
	@tools/kernel-lint.sh

configs: deps
	@tools/lab/configs.sh

series: deps
	@tools/lab/kernel.sh headers >/dev/null
	@tools/series.sh

check: deps
	@tools/check.sh

clean:
	rm -rf $(BUILD)/native $(BUILD)/selftests $(BUILD)/lab $(BUILD)/unit
