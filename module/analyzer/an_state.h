/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The value analysis' lattice (constprop.c): values, sparse states, and
 * the join of two states where paths meet. Inline: every instruction of
 * every pass reads and writes locations through these.
 */
#ifndef BPFRT_AN_STATE_H
#define BPFRT_AN_STATE_H

#include "an_internal.h"

static inline struct an_val an_v(u8 tag, s64 val)
{
	struct an_val v = { .tag = tag, .val = val };

	return v;
}


static inline bool an_val_eq(const struct an_val *a, const struct an_val *b)
{
	if (a->tag != b->tag)
		return false;
	switch (a->tag) {
	case AN_V_CONST:
	case AN_V_FP:
	case AN_V_MAP:
	case AN_V_FUNC:
		return a->val == b->val;
	case AN_V_IV:
		return a->val == b->val && a->loop == b->loop &&
		       a->loc == b->loc && a->vflags == b->vflags &&
		       a->init == b->init;
	}
	return true;
}

static inline bool an_maybe_fp(const struct an_val *v)
{
	return v->tag == AN_V_FP || v->tag == AN_V_ANY || v->tag == AN_V_UNDEF;
}

/* ---- states (see struct an_state) ---- */

static inline struct an_val an_get(const struct an_state *s, u32 loc)
{
	u32 bit = 1u << loc;

	if (s->valued & bit)
		return s->v[loc];
	if (s->any & bit)
		return an_v(AN_V_ANY, 0);
	if (s->undef & bit)
		return an_v(AN_V_UNDEF, 0);
	return an_v(AN_V_NS, 0);
}

/* Every location of @mask becomes @tag: AN_V_NS, AN_V_ANY or AN_V_UNDEF. */
static inline void an_set_tag(struct an_state *s, u32 mask, u8 tag)
{
	s->valued &= ~mask;
	s->any &= ~mask;
	s->undef &= ~mask;
	if (tag == AN_V_ANY)
		s->any |= mask;
	else if (tag == AN_V_UNDEF)
		s->undef |= mask;
}

static inline void an_set(struct an_state *s, u32 loc, struct an_val v)
{
	switch (v.tag) {
	case AN_V_NS:
	case AN_V_ANY:
	case AN_V_UNDEF:
		an_set_tag(s, 1u << loc, v.tag);
		break;
	default:
		an_set_tag(s, 1u << loc, AN_V_NS);
		s->valued |= 1u << loc;
		s->v[loc] = v;
		break;
	}
}

/* Copies the values of @mask from @s to @d, where d has none of them. */
static inline void an_copy_values(struct an_state *d, const struct an_state *s,
			   u32 mask)
{
	while (mask) {
		u32 i = an_ffs(mask);

		mask &= mask - 1;
		d->v[i] = s->v[i];
	}
}

static inline void an_state_copy(struct an_state *d, const struct an_state *s)
{
	d->valued = s->valued;
	d->any = s->any;
	d->undef = s->undef;
	an_copy_values(d, s, s->valued);
}

/* Every location @tag; writes whole masks (pool states start as garbage). */
static inline void an_state_fill(struct an_state *s, u8 tag)
{
	s->valued = 0;
	s->any = tag == AN_V_ANY ? AN_ALL_LOCS : 0;
	s->undef = tag == AN_V_UNDEF ? AN_ALL_LOCS : 0;
}

/*
 * Where two paths meet, per location: UNDEF takes the other side, equal
 * values stay, anything else is unknown: ANY if either side may point into
 * this frame (FP or ANY), else NS.
 */
static inline void an_merge(struct an_state *d, const struct an_state *s)
{
	u32 take = d->undef & ~s->undef;
	u32 both = AN_ALL_LOCS & ~d->undef & ~s->undef;
	u32 d_ns = both & ~d->valued & ~d->any;
	u32 s_ns = both & ~s->valued & ~s->any;
	u32 to_any = both & s->any & ~d->any;
	u32 to_ns = 0, m;

	/* valued against NS: the valued side decides ANY or NS */
	for (m = both & d->valued & s_ns; m; m &= m - 1) {
		u32 i = an_ffs(m);

		if (d->v[i].tag == AN_V_FP)
			to_any |= 1u << i;
		else
			to_ns |= 1u << i;
	}
	for (m = d_ns & s->valued; m; m &= m - 1) {
		u32 i = an_ffs(m);

		if (s->v[i].tag == AN_V_FP)
			to_any |= 1u << i;
	}
	for (m = both & d->valued & s->valued; m; m &= m - 1) {
		u32 i = an_ffs(m);

		if (an_val_eq(&d->v[i], &s->v[i]))
			continue;
		if (d->v[i].tag == AN_V_FP || s->v[i].tag == AN_V_FP)
			to_any |= 1u << i;
		else
			to_ns |= 1u << i;
	}
	an_set_tag(d, to_ns, AN_V_NS);
	an_set_tag(d, to_any, AN_V_ANY);

	d->undef &= ~take;
	d->any |= take & s->any;
	d->valued |= take & s->valued;
	an_copy_values(d, s, take & s->valued);
}

#endif /* BPFRT_AN_STATE_H */
