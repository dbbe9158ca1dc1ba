# Cross-compilation settings shared by every ppc64le userspace program of the
# project (selftests, minivmm). Include with TOP set to the repository root.
CROSS_COMPILE ?= powerpc64le-linux-gnu-
PPC_CC := $(CROSS_COMPILE)gcc
BUILD ?= $(TOP)/build
UAPI_INC := $(BUILD)/uapi/include
PPC_SYSROOT := $(BUILD)/deps/ppc64el

# KVM-HV can hand the guest's FP/VMX registers to the VMM thread across
# KVM_RUN (see Documentation/). Keep the compiler away from every
# non-volatile FPR and VR so no value of ours is live in one across a call.
NO_NONVOLATILE_FP := $(foreach r,14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31,-ffixed-fr$(r)) \
	$(foreach r,20 21 22 23 24 25 26 27 28 29 30 31,-ffixed-v$(r))

PPC_CFLAGS := -O2 -g -Wall -Wextra -Werror -static -D_GNU_SOURCE \
	-D__SANE_USERSPACE_TYPES__ -isystem $(UAPI_INC) $(NO_NONVOLATILE_FP)
