// SPDX-License-Identifier: GPL-2.0
/*
 * The reference model of the PAPR TCE hypercalls (see tce_model.h and
 * Documentation/papr-tce-model.md for every rule it applies).
 *
 * Every call first resolves all it was asked (the window range, the list,
 * each TCE's rules and page) without changing anything, then commits the
 * entries in order: a call that fails before the commit leaves every entry
 * as it was.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "tce_model.h"

void tce_model_init(struct tce_model *m)
{
	memset(m, 0, sizeof(*m));
}

struct tce_model_window *tce_model_window(struct tce_model *m, uint64_t liobn)
{
	unsigned int i;

	for (i = 0; i < m->nwin; i++)
		if (m->win[i].liobn == liobn)
			return &m->win[i];
	return NULL;
}

int tce_model_add_window(struct tce_model *m, uint64_t liobn, unsigned int page_shift,
			 uint64_t offset, uint64_t size, uint64_t *view)
{
	struct tce_model_window *w;

	if (page_shift < TCE_MODEL_SHIFT_MIN || page_shift > TCE_MODEL_SHIFT_MAX ||
	    !size || !view || offset + size < offset ||
	    offset + size - 1 > (UINT64_MAX >> page_shift))
		return -EINVAL;
	if (tce_model_window(m, liobn))
		return -EEXIST;
	if (m->nwin == TCE_MODEL_MAX_WINDOWS)
		return -ENOSPC;
	w = &m->win[m->nwin++];
	w->liobn = liobn;
	w->page_shift = page_shift;
	w->offset = offset;
	w->size = size;
	w->view = view;
	return 0;
}

int tce_model_remove_window(struct tce_model *m, uint64_t liobn)
{
	struct tce_model_window *w = tce_model_window(m, liobn);

	if (!w)
		return -ENOENT;
	*w = m->win[--m->nwin];
	return 0;
}

int tce_model_add_slot(struct tce_model *m, uint64_t gpa, uint64_t size, int readonly,
		       const void *host)
{
	struct tce_model_slot *s;
	unsigned int i;

	if (!size || gpa + size < gpa)
		return -EINVAL;
	for (i = 0; i < m->nslots; i++) {
		s = &m->slot[i];
		if (gpa < s->gpa + s->size && s->gpa < gpa + size)
			return -EEXIST;
	}
	if (m->nslots == TCE_MODEL_MAX_SLOTS)
		return -ENOSPC;
	s = &m->slot[m->nslots++];
	s->gpa = gpa;
	s->size = size;
	s->readonly = readonly;
	s->host = host;
	return 0;
}

void tce_model_set_hooks(struct tce_model *m, tce_model_page_fn page_ok,
			 tce_model_commit_fn commit, void *ctx)
{
	m->page_ok = page_ok;
	m->commit = commit;
	m->ctx = ctx;
}

/* ---- the rules ---------------------------------------------------------- */

/*
 * The entries [*idx, *idx + npages) of w that ioba starts: ioba is
 * IOMMU-page aligned, and the range, computed without overflow, lies in
 * the window. An empty range may start at the window's end.
 */
static long rule_range(const struct tce_model_window *w, uint64_t ioba, uint64_t npages,
		       uint64_t *idx)
{
	uint64_t entry;

	if (ioba & ((1ULL << w->page_shift) - 1))
		return TCE_H_PARAMETER;
	entry = ioba >> w->page_shift;
	if (entry < w->offset || entry - w->offset > w->size ||
	    npages > w->size - (entry - w->offset))
		return TCE_H_PARAMETER;
	*idx = entry - w->offset;
	return TCE_H_SUCCESS;
}

/* The slot holding guest physical gpa, or NULL */
static const struct tce_model_slot *slot_of(const struct tce_model *m, uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < m->nslots; i++)
		if (gpa >= m->slot[i].gpa && gpa - m->slot[i].gpa < m->slot[i].size)
			return &m->slot[i];
	return NULL;
}

/* [gpa, gpa + len) wholly inside one slot (len >= 1); the slot or NULL */
static const struct tce_model_slot *slot_holding(const struct tce_model *m, uint64_t gpa,
						 uint64_t len)
{
	const struct tce_model_slot *s = slot_of(m, gpa);

	/* gpa lies in s: s->gpa + s->size - gpa is at least 1, no overflow */
	if (!s || len > s->gpa + s->size - gpa)
		return NULL;
	return s;
}

/*
 * A mapping TCE (a permission bit set): the bits between the permissions
 * and the IOMMU page are reserved (zero), the page lies wholly in one
 * slot, a read-only slot is not given to a device that may write, and the
 * caller's page_ok accepts its addresses.
 */
static long rule_mapping(const struct tce_model *m, const struct tce_model_window *w,
			 uint64_t tce)
{
	uint64_t gpa = tce & ~TCE_MODEL_PERM;
	uint64_t psize = 1ULL << w->page_shift;
	const struct tce_model_slot *s;
	long rc;

	if (gpa & (psize - 1))
		return TCE_H_PARAMETER;
	s = slot_holding(m, gpa, psize);
	if (!s)
		return TCE_H_PARAMETER;
	if ((tce & TCE_MODEL_WRITE) && s->readonly)
		return TCE_H_PARAMETER;
	if (!m->page_ok)
		return TCE_H_SUCCESS;
	rc = m->page_ok(m->ctx, w, gpa, tce);
	if (rc == TCE_H_SUCCESS || rc == TCE_H_PARAMETER)
		return rc;
	return TCE_H_HARDWARE;
}

static long rule_tce(const struct tce_model *m, const struct tce_model_window *w,
		     uint64_t tce)
{
	if (!(tce & TCE_MODEL_PERM))
		return TCE_H_SUCCESS;	/* an unmapping, whatever else it holds */
	return rule_mapping(m, w, tce);
}

/* ---- the commit --------------------------------------------------------- */

static long commit_one(struct tce_model *m, struct tce_model_window *w, uint64_t idx,
		       uint64_t tce)
{
	uint64_t old = w->view[idx];

	if ((old & TCE_MODEL_PERM) || (tce & TCE_MODEL_PERM)) {
		enum tce_model_commit r = TCE_MODEL_COMMIT_OK;

		if (m->commit)
			r = m->commit(m->ctx, w, idx, old, tce);
		if (r == TCE_MODEL_COMMIT_CLEARED) {
			w->view[idx] = 0;
			return TCE_H_HARDWARE;
		}
		if (r != TCE_MODEL_COMMIT_OK)
			return TCE_H_HARDWARE;	/* the view keeps the old TCE */
	}
	w->view[idx] = tce;
	return TCE_H_SUCCESS;
}

/* ---- the hypercalls ----------------------------------------------------- */

long tce_model_put(struct tce_model *m, uint64_t liobn, uint64_t ioba, uint64_t tce)
{
	struct tce_model_window *w = tce_model_window(m, liobn);
	uint64_t idx;
	long rc;

	if (!w)
		return TCE_H_PARAMETER;
	rc = rule_range(w, ioba, 1, &idx);
	if (rc == TCE_H_SUCCESS)
		rc = rule_tce(m, w, tce);
	if (rc != TCE_H_SUCCESS || m->check_only)
		return rc;
	return commit_one(m, w, idx, tce);
}

/*
 * One list entry, big-endian in guest memory, read with a single aligned
 * 8-byte load: another CPU of the guest may be rewriting the list, and each
 * of its stores must be seen whole, old or new, never half of each.
 */
static uint64_t load_be64(const void *p)
{
	uint64_t raw = __atomic_load_n((const uint64_t *)p, __ATOMIC_RELAXED);
	const unsigned char *b = (const unsigned char *)&raw;
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

long tce_model_put_indirect(struct tce_model *m, uint64_t liobn, uint64_t ioba,
			    const uint64_t *list, uint64_t list_gpa, uint64_t npages)
{
	struct tce_model_window *w = tce_model_window(m, liobn);
	uint64_t tces[TCE_MODEL_LIST_MAX];
	const struct tce_model_slot *s;
	const unsigned char *src;
	uint64_t idx, i;
	long rc;

	if (!w)
		return TCE_H_PARAMETER;
	rc = rule_range(w, ioba, npages, &idx);
	if (rc != TCE_H_SUCCESS)
		return rc;
	if (npages > TCE_MODEL_LIST_MAX || (list_gpa & (TCE_MODEL_LIST_ALIGN - 1)))
		return TCE_H_PARAMETER;
	if (!npages)
		return TCE_H_SUCCESS;	/* nothing is read, nothing changes */
	s = slot_holding(m, list_gpa, npages * sizeof(uint64_t));
	if (!s)
		return TCE_H_PARAMETER;
	src = (const unsigned char *)list;
	if (!src && s->host)
		src = (const unsigned char *)s->host + (size_t)(list_gpa - s->gpa);
	if (!src)
		return TCE_H_PARAMETER;
	/* read once: what is resolved is what is committed */
	for (i = 0; i < npages; i++)
		tces[i] = load_be64(src + i * sizeof(uint64_t));
	for (i = 0; i < npages; i++) {
		rc = rule_tce(m, w, tces[i]);
		if (rc != TCE_H_SUCCESS)
			return rc;
	}
	if (m->check_only)
		return TCE_H_SUCCESS;
	for (i = 0; i < npages; i++) {
		rc = commit_one(m, w, idx + i, tces[i]);
		if (rc != TCE_H_SUCCESS)
			return rc;
	}
	return TCE_H_SUCCESS;
}

long tce_model_stuff(struct tce_model *m, uint64_t liobn, uint64_t ioba, uint64_t value,
		     uint64_t npages)
{
	struct tce_model_window *w = tce_model_window(m, liobn);
	uint64_t idx, i;
	long rc;

	if (!w)
		return TCE_H_PARAMETER;
	rc = rule_range(w, ioba, npages, &idx);
	if (rc != TCE_H_SUCCESS)
		return rc;
	if (value & TCE_MODEL_PERM)
		return TCE_H_PARAMETER;	/* H_STUFF_TCE clears */
	if (m->check_only)
		return TCE_H_SUCCESS;
	for (i = 0; i < npages; i++) {
		rc = commit_one(m, w, idx + i, value);
		if (rc != TCE_H_SUCCESS)
			return rc;
	}
	return TCE_H_SUCCESS;
}

long tce_model_get(struct tce_model *m, uint64_t liobn, uint64_t ioba, uint64_t *tce)
{
	struct tce_model_window *w = tce_model_window(m, liobn);
	uint64_t idx;
	long rc;

	if (!w)
		return TCE_H_PARAMETER;
	rc = rule_range(w, ioba, 1, &idx);
	if (rc != TCE_H_SUCCESS)
		return rc;
	*tce = w->view[idx];
	return TCE_H_SUCCESS;
}

int tce_model_is_tce_hcall(uint64_t nr)
{
	return nr == TCE_H_PUT_TCE || nr == TCE_H_GET_TCE || nr == TCE_H_STUFF_TCE ||
	       nr == TCE_H_PUT_TCE_INDIRECT;
}

long tce_model_hcall(struct tce_model *m, uint64_t nr, const uint64_t args[4], uint64_t *r4)
{
	switch (nr) {
	case TCE_H_PUT_TCE:
		return tce_model_put(m, args[0], args[1], args[2]);
	case TCE_H_PUT_TCE_INDIRECT:
		return tce_model_put_indirect(m, args[0], args[1], NULL, args[2], args[3]);
	case TCE_H_STUFF_TCE:
		return tce_model_stuff(m, args[0], args[1], args[2], args[3]);
	case TCE_H_GET_TCE:
		return tce_model_get(m, args[0], args[1], r4);
	}
	return TCE_H_FUNCTION;
}

const char *tce_model_rc_name(long rc)
{
	switch (rc) {
	case TCE_H_SUCCESS:
		return "H_SUCCESS";
	case TCE_H_HARDWARE:
		return "H_HARDWARE";
	case TCE_H_FUNCTION:
		return "H_FUNCTION";
	case TCE_H_PARAMETER:
		return "H_PARAMETER";
	}
	return "H_?";
}
