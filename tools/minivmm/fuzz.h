/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzz workload's host side, free of KVM (unit-tested natively): from a
 * seed, batches of random TCE hypercalls (valid ones mostly, and every kind
 * of edge and error around them); after each batch the guest made, every
 * answer compared with the reference model's (tools/tcemodel) for the same
 * calls in the same order, and the path's view of the table with the
 * model's. See Documentation/minivmm.md, "The fuzz workload".
 */
#ifndef MINIVMM_FUZZ_H
#define MINIVMM_FUZZ_H

#include <stdint.h>
#include <stdio.h>

#include "../tcemodel/tce_model.h"
#include "abi.h"

#define FUZZ_BATCH		MV_FUZZ_BATCH_MAX	/* calls per script */
#define FUZZ_PAGE		4096ULL		/* the windows' IOMMU page */
#define FUZZ_PAST_PAGES		16	/* "just beyond" / "just past": up to 16 pages */
#define FUZZ_DMA_MAPPED		2	/* DMA samples per check: mapped RW entries */
#define FUZZ_DMA_UNMAPPED	1	/* ... and entries unmapped since they mapped */

/*
 * The classes of calls: what a call had (its LIOBN, IOBA, count, list and
 * TCEs), its most telling feature first. Every call falls in exactly one.
 */
#define FUZZ_CLASSES(X) \
	X(PUT_UNBOUND, "H_PUT_TCE: unbound LIOBN") \
	X(PUT_IOBA_UNALIGNED, "H_PUT_TCE: unaligned IOBA") \
	X(PUT_IOBA_END, "H_PUT_TCE: IOBA at the window's end") \
	X(PUT_IOBA_PAST, "H_PUT_TCE: IOBA just past the window") \
	X(PUT_IOBA_FAR, "H_PUT_TCE: IOBA far outside the window") \
	X(PUT_IOBA_WRAP, "H_PUT_TCE: IOBA near 2^64") \
	X(PUT_MAP_RAM_R, "H_PUT_TCE: map R, RAM") \
	X(PUT_MAP_RAM_W, "H_PUT_TCE: map W, RAM") \
	X(PUT_MAP_RAM_RW, "H_PUT_TCE: map RW, RAM") \
	X(PUT_MAP_LAST_R, "H_PUT_TCE: map R, RAM's last page") \
	X(PUT_MAP_LAST_W, "H_PUT_TCE: map W, RAM's last page") \
	X(PUT_MAP_LAST_RW, "H_PUT_TCE: map RW, RAM's last page") \
	X(PUT_MAP_BEYOND, "H_PUT_TCE: map just beyond RAM") \
	X(PUT_MAP_FAR, "H_PUT_TCE: map far beyond RAM") \
	X(PUT_MAP_RESERVED, "H_PUT_TCE: map with reserved bits") \
	X(PUT_UNMAP_0, "H_PUT_TCE: unmap, TCE 0") \
	X(PUT_UNMAP_ADDR, "H_PUT_TCE: unmap with a RAM address") \
	X(PUT_UNMAP_BEYOND, "H_PUT_TCE: unmap with an address beyond RAM") \
	X(PUT_UNMAP_RESERVED, "H_PUT_TCE: unmap with reserved bits") \
	X(GET_UNBOUND, "H_GET_TCE: unbound LIOBN") \
	X(GET_IOBA_UNALIGNED, "H_GET_TCE: unaligned IOBA") \
	X(GET_IOBA_END, "H_GET_TCE: IOBA at the window's end") \
	X(GET_IOBA_PAST, "H_GET_TCE: IOBA just past the window") \
	X(GET_IOBA_FAR, "H_GET_TCE: IOBA far outside the window") \
	X(GET_IOBA_WRAP, "H_GET_TCE: IOBA near 2^64") \
	X(GET_FIRST, "H_GET_TCE: the window's first entry") \
	X(GET_LAST, "H_GET_TCE: the window's last entry") \
	X(GET_INSIDE, "H_GET_TCE: an entry inside the window") \
	X(STUFF_UNBOUND, "H_STUFF_TCE: unbound LIOBN") \
	X(STUFF_IOBA_UNALIGNED, "H_STUFF_TCE: unaligned IOBA") \
	X(STUFF_IOBA_END, "H_STUFF_TCE: IOBA at the window's end, count > 0") \
	X(STUFF_IOBA_PAST, "H_STUFF_TCE: IOBA just past the window") \
	X(STUFF_IOBA_FAR, "H_STUFF_TCE: IOBA far outside the window") \
	X(STUFF_IOBA_WRAP, "H_STUFF_TCE: IOBA near 2^64") \
	X(STUFF_COUNT0_END, "H_STUFF_TCE: count 0 at the window's end") \
	X(STUFF_COUNT0, "H_STUFF_TCE: count 0") \
	X(STUFF_COUNT_HUGE, "H_STUFF_TCE: count ~0") \
	X(STUFF_COUNT_2_40, "H_STUFF_TCE: count 2^40") \
	X(STUFF_RANGE_PAST, "H_STUFF_TCE: range past the window's end") \
	X(STUFF_WHOLE, "H_STUFF_TCE: the whole window") \
	X(STUFF_COUNT_OVER, "H_STUFF_TCE: count over 512, in the window") \
	X(STUFF_VALUE_PERM, "H_STUFF_TCE: value with a permission bit") \
	X(STUFF_VALUE_ADDR, "H_STUFF_TCE: value with address or reserved bits only") \
	X(STUFF_VALUE_0, "H_STUFF_TCE: value 0") \
	X(IND_UNBOUND, "H_PUT_TCE_INDIRECT: unbound LIOBN") \
	X(IND_IOBA_UNALIGNED, "H_PUT_TCE_INDIRECT: unaligned IOBA") \
	X(IND_IOBA_END, "H_PUT_TCE_INDIRECT: IOBA at the window's end, count > 0") \
	X(IND_IOBA_PAST, "H_PUT_TCE_INDIRECT: IOBA just past the window") \
	X(IND_IOBA_FAR, "H_PUT_TCE_INDIRECT: IOBA far outside the window") \
	X(IND_IOBA_WRAP, "H_PUT_TCE_INDIRECT: IOBA near 2^64") \
	X(IND_LIST_UNALIGNED, "H_PUT_TCE_INDIRECT: unaligned list") \
	X(IND_LIST_BEYOND, "H_PUT_TCE_INDIRECT: list just beyond RAM") \
	X(IND_LIST_FAR, "H_PUT_TCE_INDIRECT: list far beyond RAM") \
	X(IND_COUNT0_END, "H_PUT_TCE_INDIRECT: count 0 at the window's end") \
	X(IND_COUNT0, "H_PUT_TCE_INDIRECT: count 0") \
	X(IND_COUNT_HUGE, "H_PUT_TCE_INDIRECT: count ~0") \
	X(IND_COUNT_2_40, "H_PUT_TCE_INDIRECT: count 2^40") \
	X(IND_COUNT_OVER, "H_PUT_TCE_INDIRECT: count over 512") \
	X(IND_RANGE_PAST, "H_PUT_TCE_INDIRECT: range past the window's end") \
	X(IND_UNMAP_ADDR_FIRST, "H_PUT_TCE_INDIRECT: first entry an unmapping with a RAM address") \
	X(IND_UNMAP_ADDR_AFTER, "H_PUT_TCE_INDIRECT: an unmapping with a RAM address after valid entries") \
	X(IND_MAP_BEYOND_FIRST, "H_PUT_TCE_INDIRECT: first entry maps just beyond RAM") \
	X(IND_MAP_BEYOND_AFTER, "H_PUT_TCE_INDIRECT: an entry mapping just beyond RAM after valid entries") \
	X(IND_MAP_FAR_FIRST, "H_PUT_TCE_INDIRECT: first entry maps far beyond RAM") \
	X(IND_MAP_FAR_AFTER, "H_PUT_TCE_INDIRECT: an entry mapping far beyond RAM after valid entries") \
	X(IND_MAP_RESERVED_FIRST, "H_PUT_TCE_INDIRECT: first entry a mapping with reserved bits") \
	X(IND_MAP_RESERVED_AFTER, "H_PUT_TCE_INDIRECT: a mapping with reserved bits after valid entries") \
	X(IND_UNMAP_BEYOND_FIRST, "H_PUT_TCE_INDIRECT: first entry an unmapping with an address beyond RAM") \
	X(IND_UNMAP_BEYOND_AFTER, "H_PUT_TCE_INDIRECT: an unmapping with an address beyond RAM after valid entries") \
	X(IND_UNMAP_RESERVED_FIRST, "H_PUT_TCE_INDIRECT: first entry an unmapping with reserved bits") \
	X(IND_UNMAP_RESERVED_AFTER, "H_PUT_TCE_INDIRECT: an unmapping with reserved bits after valid entries") \
	X(IND_LIST_LAST, "H_PUT_TCE_INDIRECT: valid entries, list in RAM's last page") \
	X(IND_COUNT_512, "H_PUT_TCE_INDIRECT: 512 valid entries") \
	X(IND_VALID, "H_PUT_TCE_INDIRECT: valid entries") \
	X(IND_RACED, "H_PUT_TCE_INDIRECT: list rewritten during the call") \
	X(IND_RACED_BAD, "H_PUT_TCE_INDIRECT: list rewritten during the call, to one with an entry beyond RAM")

enum fuzz_class {
#define FUZZ_CLASS_ENUM(id, name) FZ_##id,
	FUZZ_CLASSES(FUZZ_CLASS_ENUM)
#undef FUZZ_CLASS_ENUM
	FUZZ_NCLASSES
};

/* What the fuzzer knows of the VM: the window the path has, the RAM. */
struct fuzz_layout {
	uint64_t liobn;			/* the bound LIOBN */
	uint64_t win_start;		/* IOBA of the window's entry 0 (page aligned) */
	uint64_t entries;		/* the window's entries, 4 KiB each */
	uint64_t ram;			/* one memory slot, [0, ram) */
	uint64_t target_lo;		/* TCEs into RAM map [target_lo, ram) only */
	uint64_t lists;			/* FUZZ_BATCH list pages the guest does not use */
};

/* One generated call, and how it went */
struct fuzz_call {
	uint64_t index;			/* global call number, from 0 */
	uint64_t nr, args[4];
	unsigned int cls;		/* enum fuzz_class */
	long exp, ret;			/* the model's return code, the path's */
	uint64_t exp_r4, r4;		/* H_GET_TCE's TCE */
	unsigned int bad;		/* FUZZ_BAD_* */
	int exited;			/* it reached minivmm (KVM_EXIT_PAPR_HCALL) */
	unsigned int nlist;		/* INDIRECT: list entries generated */
	uint64_t list[TCE_MODEL_LIST_MAX];	/* INDIRECT: the TCEs, CPU order */
	/*
	 * A raced INDIRECT (fuzz.race): while the batch runs, another CPU
	 * rewrites the list, entry by entry, between list and alt
	 */
	int raced;
	uint64_t alt[TCE_MODEL_LIST_MAX];
};

#define FUZZ_BAD_RC	0x1	/* return code differs from the model's */
#define FUZZ_BAD_R4	0x2	/* H_GET_TCE's TCE differs */
#define FUZZ_BAD_VIEW	0x4	/* it was the last call to write an entry that differs */
#define FUZZ_BAD_EXIT	0x8	/* a bound LIOBN's call reached userspace (iommu) */

struct fuzz_class_stat {
	uint64_t calls;
	uint64_t rc_diffs;		/* return code or r4 differed */
	uint64_t view_diffs;		/* an entry it wrote last differed afterwards */
	uint64_t exits;			/* bound-LIOBN calls the kernel left to userspace */
	uint64_t ticks;			/* timebase ticks in its calls, seen by the guest */
};

/* rc_actual/rc_expected slots */
enum { FUZZ_RC_SUCCESS, FUZZ_RC_PARAMETER, FUZZ_RC_HARDWARE, FUZZ_RC_FUNCTION,
	FUZZ_RC_OTHER, FUZZ_NRC };

/* What one path's fuzzing found (summed over --rounds) */
struct fuzz_result {
	int ran;
	uint64_t seed;
	uint64_t calls;
	uint64_t disagreements;		/* calls that disagreed + untouched view entries */
	uint64_t rc_actual[FUZZ_NRC], rc_expected[FUZZ_NRC];
	uint64_t user_exits;		/* TCE hypercalls that reached minivmm */
	uint64_t bound_exits;		/* of those, the bound LIOBN's (in-kernel paths) */
	uint64_t get_followups;		/* H_GET_TCE differing only after an earlier diff */
	uint64_t view_checks, view_entries_differing, view_untouched;
	uint64_t dma_passed, dma_failed;
	uint64_t spared;		/* list entries rewritten (fuzz.spare_host) */
	/* raced INDIRECTs: done, with entries of both lists, refused (H_PARAMETER) */
	uint64_t raced, raced_mixed, raced_refused;
	uint64_t race_rounds;		/* lists the second vCPU rewrote */
	uint64_t batches;		/* scripts generated */
	uint64_t ticks;			/* timebase ticks in all calls, seen by the guest */
	/* minivmm's own time (CLOCK_MONOTONIC): checking, DMA samples, making calls */
	uint64_t check_ns, dma_ns, gen_ns, wall_ns;
	struct fuzz_class_stat cls[FUZZ_NCLASSES];
	char stopped[120];		/* why a stopping path stopped, else empty */
};

struct fuzz {
	struct fuzz_layout l;
	struct fuzz_result *res;
	FILE *out;			/* disagreements and reproducers; NULL: none */
	char label[64];			/* "<machine> fuzz <path>" starts every line */
	char path[16];
	char repro[160];		/* more options the reproducer needs */
	int stop_first;			/* a disagreement ends the run (iommu, user) */
	int kernel;			/* an in-kernel path: bound-LIOBN exits counted */
	int no_bound_exits;		/* a bound-LIOBN exit is a disagreement (iommu) */
	/*
	 * kvm-vfio: no INDIRECT list entry is an unmapping TCE whose address
	 * lies in RAM (upstream 6.12 maps it: a preregistered region's mapping
	 * count leaks, and with sub-page bits the exchange BUGs): each becomes
	 * a read mapping of a page in [target_lo, ram) instead
	 */
	int spare_host;
	/*
	 * Raced INDIRECTs: some batches end with an INDIRECT whose list the
	 * guest's second vCPU rewrites during the batch (fuzz_race_arm()); the answer is
	 * then one of the outcomes of the lists' mixes. Set before the first
	 * batch, the same on every path (it changes the calls' stream).
	 */
	int race;
	int stopped;
	uint64_t seed, rng, dma_rng;
	uint64_t total, generated;	/* calls asked for, generated so far */
	uint64_t hot;			/* entry where most calls land (seed's) */
	uint64_t nbatches, dma_every;
	struct tce_model model;
	uint64_t *view;			/* the model's view of the window */
	uint64_t *last_map;		/* per entry: the page it last mapped, or 0 */
	uint64_t *stamp;		/* per entry: batch + 1 when a diff tainted it */
	int printed[FUZZ_NCLASSES];	/* first example of each class printed */
	struct fuzz_call *batch;	/* FUZZ_BATCH */
	unsigned int n;			/* calls of the current batch */
	unsigned int exit_cursor;	/* fuzz_note_exit() looks from there */
	int last_owner;			/* the batch's call that filled RAM's last page */
	unsigned int lines;		/* printed (a path that goes on prints a few) */
};

/* splitmix64: the next value of the stream *state */
uint64_t fuzz_rand(uint64_t *state);

/*
 * A fuzzer for the window and RAM of l, from seed, for `calls` calls, its
 * findings added to res (res->seed set). 0, or -1 (a layout it cannot use,
 * or no memory). The model's view starts zero: fuzz_sync_view() sets it.
 */
int fuzz_init(struct fuzz *f, const struct fuzz_layout *l, uint64_t seed, uint64_t calls,
	      struct fuzz_result *res);
void fuzz_free(struct fuzz *f);
/* The model's view becomes view (l->entries u64, the path's table) */
void fuzz_sync_view(struct fuzz *f, const uint64_t *view);

/*
 * Generates the next batch (the calls' stream depends on the seed only):
 * the number of calls, 0 when all were made or the run stopped.
 */
unsigned int fuzz_next_batch(struct fuzz *f);
/*
 * Writes the batch as the guest's script, and its INDIRECT lists
 * (big-endian TCEs) into guest memory mem (l->ram bytes; NULL: no lists).
 */
void fuzz_write_batch(const struct fuzz *f, struct mv_fuzz_call *script, uint8_t *mem);
/*
 * The batch's raced INDIRECT (its last call), or NULL. While the first
 * vCPU makes the batch, the second rewrites the call's list in guest
 * memory again and again, to the other list of the two each time:
 * fuzz_race_arm() gives it the call's list and both contents (struct
 * mv_race, all but its state, seq and ack).
 */
const struct fuzz_call *fuzz_raced_call(const struct fuzz *f);
void fuzz_race_arm(const struct fuzz_call *c, struct mv_race *m);
/* A TCE hypercall of the batch reached minivmm (KVM_EXIT_PAPR_HCALL) */
void fuzz_note_exit(struct fuzz *f, uint64_t nr, const uint64_t args[4]);
/*
 * The batch was made: script holds the path's answers, view (l->entries
 * u64) its table now. Applies the calls to the model, compares every
 * answer and the whole view, counts, prints what differed. 0, or -1 when
 * the run stops (stop_first and a disagreement).
 */
int fuzz_check_batch(struct fuzz *f, const struct mv_fuzz_call *script, const uint64_t *view);

/* The class of a call, from what it had (layout l; list: INDIRECT's TCEs) */
unsigned int fuzz_classify(const struct fuzz_layout *l, uint64_t nr, const uint64_t args[4],
			   const uint64_t *list);
const char *fuzz_class_name(unsigned int cls);
const char *fuzz_hcall_name(uint64_t nr);
const char *fuzz_rc_slot_name(unsigned int slot);

/* ---- DMA samples (the caller makes the DMA) ---------------------------- */

struct fuzz_dma {
	int mapped;		/* 1: mapped RW, the DMA must land in gpa's page */
	uint64_t idx;		/* entry */
	uint64_t iova;
	uint64_t gpa;		/* mapped: its page; unmapped: the page it last mapped */
};

/* A DMA check is due after this batch (last: the run's last batch) */
int fuzz_dma_due(const struct fuzz *f, int last);
/*
 * Up to FUZZ_DMA_MAPPED entries the model has mapped RW and
 * FUZZ_DMA_UNMAPPED it has unmapped since they mapped a page (never one of
 * the mapped samples' pages), all in [target_lo, ram): how many, in s.
 */
unsigned int fuzz_dma_pick(struct fuzz *f, struct fuzz_dma *s);
/* The DMA through s went as it must (ok) or not (why); -1: the run stops */
int fuzz_dma_result(struct fuzz *f, const struct fuzz_dma *s, int ok, const char *why);

#endif
