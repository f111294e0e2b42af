/*
 * moment.c: scenario notes as markers, and the one grammar of moments that
 * `--steps`, the window's `g` and its marker keys read (moment.h).
 *
 * A moment is "[PANE:]WHAT".  PANE names a pane by its scheme (old, new,
 * pgtbuf, top-down, ...) or as left / right; WHAT is a number (a step of
 * the lockstep timeline, or with PANE an event as `pgtviz trace` numbers
 * it), a marker (end, violation[:K], panic, call:K, note:K, event:N) or a
 * condition searched forward (note, marker, call, full, buffer, step-size,
 * alloc>=ADDR, table:LEVEL, ro).  Without PANE a form means whichever pane
 * gets there first.  Everything resolves to a global step through
 * pgt_view_global_step(), so an event number means the same in `trace`,
 * in the window's pane heading and in `--steps`.
 *
 * Plain C11 over the core and the view model: no SDL, no I/O.
 */
#include "pgtviz/moment.h"
#include "pgtviz/number.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================== */
/* Scenario notes                                                           */
/* ======================================================================== */

/* A note prefix: "SCHEME[ VERSION][ xen-RULE]: ". */
typedef struct note_prefix {
	int scheme;    /* enum pgt_scheme */
	uint32_t kver; /* 0: any version */
	int rule;      /* enum pgt_xen_rule; AUTO: not named */
} note_prefix;

/* One word of a prefix after the scheme: a version or a Xen rule. */
static bool prefix_word(const char *w, size_t len, note_prefix *pf)
{
	static const char *const rules[] = {"xen-end", "xen-top", "xen-top-nohook"};
	static const int rule_v[] = {PGT_XEN_RULE_END, PGT_XEN_RULE_TOP, PGT_XEN_RULE_TOP_NOHOOK};
	for (size_t k = 0; k < 3; k++)
		if (strlen(rules[k]) == len && !strncmp(w, rules[k], len) && !pf->rule) {
			pf->rule = rule_v[k];
			return true;
		}
	char v[24], msg[160];
	if (len == 0 || len >= sizeof(v) || pf->kver)
		return false;
	memcpy(v, w, len);
	v[len] = '\0';
	pf->kver = pgt_kver_check(v, msg, sizeof(msg));
	return pf->kver != 0;
}

/* Length of the prefix at p (0: none) and what it says. */
static size_t prefix_at(const char *p, note_prefix *pf)
{
	static const char *const names[] = {"pgtbuf", "top-down", "bottom-up", "chunk-end"};
	static const int schemes[] = {PGT_SCHEME_PGTBUF, PGT_SCHEME_TOPDOWN, PGT_SCHEME_BOTTOMUP,
	                              PGT_SCHEME_CHUNKEND};
	for (size_t k = 0; k < 4; k++) {
		size_t l = strlen(names[k]);
		if (strncmp(p, names[k], l) != 0)
			continue;
		*pf = (note_prefix){.scheme = schemes[k]};
		const char *q = p + l;
		while (*q == ' ') {
			const char *w = q + 1;
			size_t wl = strcspn(w, " :");
			if (!prefix_word(w, wl, pf))
				return 0;
			q = w + wl;
		}
		return q[0] == ':' && q[1] == ' ' ? (size_t)(q + 2 - p) : 0;
	}
	return 0;
}

/* Whether the pane running sim shows a part with this prefix. */
static bool prefix_applies(const note_prefix *pf, const pgt_scenario *sc, const pgt_sim *sim)
{
	if (pf->scheme != pgt_sim_scheme(sim))
		return false;
	if (pf->kver && pf->kver != pgt_sim_kver(sim))
		return false;
	if (!pgt_sim_xen(sim))
		return !pf->rule;
	int rule = pf->rule;
	if (!rule && pf->kver) /* the rule that version ran in this scenario */
		rule = sc->xen_rule ? sc->xen_rule : pgt_xen_rule_for_kver(pf->kver);
	return !rule || rule == pgt_sim_xen_rule(sim);
}

const char *pgt_note_text(const pgt_scenario *sc, const pgt_note *n, const pgt_sim *sim, char *buf,
                          size_t size)
{
	if (!sc || !n || !n->text || !size)
		return NULL;
	size_t len = 0;
	buf[0] = '\0';
	const char *t = n->text, *seg = t;
	bool mine = true; /* the current part is for this pane */
	for (const char *p = t;; p++) {
		note_prefix pf = {0};
		size_t plen = 0;
		if (*p && (p == t || (p >= t + 2 && p[-1] == ' ' && p[-2] == '.')))
			plen = prefix_at(p, &pf);
		if (*p && !plen)
			continue;
		const char *end = p; /* emit [seg, end) if it is for this pane */
		while (end > seg && end[-1] == ' ')
			end--;
		if (end > seg && mine && len < size) {
			/* a part shown after a sentence of another starts one:
			 * "... item 5). The low call", not "). the low call" */
			bool cap = len && buf[len - 1] == '.' && *seg >= 'a' && *seg <= 'z';
			len += (size_t)snprintf(buf + len, size - len, "%s%c%.*s", len ? " " : "",
			                        cap ? *seg - 'a' + 'A' : *seg, (int)(end - seg - 1),
			                        seg + 1);
		}
		if (!*p)
			break;
		mine = prefix_applies(&pf, sc, sim);
		seg = p + plen;
		p += plen - 1;
	}
	return len ? buf : NULL;
}

/* "name" or "name:N" -> name length and number (has_num false: none);
 * false if the number is malformed. */
static bool split_marker(const char *at, size_t *nlen, unsigned long long *num, bool *has_num)
{
	const char *colon = strchr(at, ':');
	*nlen = colon ? (size_t)(colon - at) : strlen(at);
	*has_num = colon != NULL;
	*num = 0;
	if (!colon)
		return true;
	const char *p = colon + 1;
	if (*p < '0' || *p > '9' || pgt_number_leading_zero(p))
		return false; /* "violation:01" is refused like --fps 010 */
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || *num > (1ull << 60))
			return false;
		*num = *num * 10 + (unsigned long long)(*p - '0');
	}
	return true;
}

size_t pgt_note_event(const char *at, const pgt_sim *sim)
{
	size_t nlen, nev = pgt_sim_event_count(sim);
	unsigned long long num;
	bool has;
	if (!at || !split_marker(at, &nlen, &num, &has))
		return SIZE_MAX;
	if (nlen == 5 && !strncmp(at, "event", 5))
		return has && num < nev ? (size_t)num : SIZE_MAX;
	int kind = -1;
	if (nlen == 4 && !strncmp(at, "call", 4) && has)
		kind = PGT_EV_CALL_BEGIN;
	else if (nlen == 5 && !strncmp(at, "panic", 5) && !has)
		kind = PGT_EV_PANIC;
	else if (nlen == 9 && !strncmp(at, "violation", 9))
		kind = PGT_EV_VIOLATION;
	if (kind < 0)
		return SIZE_MAX;
	unsigned long long want = has ? num : 1, seen = 0;
	for (size_t i = 0; i < nev; i++) {
		pgt_event e = pgt_sim_event(sim, i);
		if (e.kind != kind)
			continue;
		if (kind == PGT_EV_CALL_BEGIN ? e.aux + 1 == want : ++seen == want)
			return i;
	}
	return SIZE_MAX;
}

static int cmp_note_at(const void *a, const void *b)
{
	const pgt_note_at *x = a, *y = b;
	if (x->event != y->event)
		return x->event < y->event ? -1 : 1;
	return x->note < y->note ? -1 : x->note > y->note;
}

pgt_note_at *pgt_note_index(const pgt_scenario *sc, const pgt_sim *sim, size_t *n)
{
	*n = 0;
	if (!sc || !sc->n_notes || !sim)
		return NULL;
	pgt_note_at *v = malloc(sc->n_notes * sizeof(*v));
	char buf[1200];
	for (size_t k = 0; v && k < sc->n_notes; k++) {
		size_t ev = pgt_note_event(sc->notes[k].at, sim);
		if (ev != SIZE_MAX && pgt_note_text(sc, &sc->notes[k], sim, buf, sizeof(buf)))
			v[(*n)++] = (pgt_note_at){ev, (uint32_t)k};
	}
	if (!v || !*n) {
		free(v);
		*n = 0;
		return NULL;
	}
	qsort(v, *n, sizeof(*v), cmp_note_at);
	return v;
}

/* pgt_note_current, with each note's short wording where brief (NULL
 * then when no note shown has one). */
static const char *note_current(const pgt_view_model *m, int p, size_t ev, size_t *since,
                                bool brief, char *buf, size_t size)
{
	const pgt_pane_model *pm = &m->pane[p];
	size_t lo = 0, hi = pm->nnotes; /* the first note after ev */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pm->notes[mid].event <= ev)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || !size)
		return NULL;
	size_t at = pm->notes[lo - 1].event, len = 0, i = lo - 1;
	while (i > 0 && pm->notes[i - 1].event == at)
		i--;
	buf[0] = '\0';
	char part[1200];
	bool any_brief = false;
	for (; i < lo && len < size; i++) {
		pgt_note n = m->sc->notes[pm->notes[i].note];
		if (brief && n.brief &&
		    pgt_note_text(m->sc, &(pgt_note){n.at, n.brief, NULL}, pm->sim, part,
		                  sizeof(part)))
			any_brief = true;
		else if (!pgt_note_text(m->sc, &n, pm->sim, part, sizeof(part)))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "", part);
	}
	if (since)
		*since = at;
	return len && (any_brief || !brief) ? buf : NULL;
}

const char *pgt_note_current(const pgt_view_model *m, int p, size_t ev, size_t *since, char *buf,
                             size_t size)
{
	return note_current(m, p, ev, since, false, buf, size);
}

const char *pgt_note_current_short(const pgt_view_model *m, int p, size_t ev, char *buf,
                                   size_t size)
{
	return note_current(m, p, ev, NULL, true, buf, size);
}

/* ======================================================================== */
/* Moments                                                                  */
/* ======================================================================== */

const char *pgt_moment_forms(void)
{
	return "N (a step of the timeline), PANE:N (event N of a pane, as 'pgtviz trace' "
	       "numbers it; PANE: a scheme name or alias, left or right), end, violation, "
	       "violation:K, panic, call:K, note:K, event:N, or the next note, marker, call, "
	       "full (buffer full), buffer (buffer placed), step-size, alloc>=ADDR, "
	       "table:pgd|pud|pmd|pte (or table:4..1), ro (read-only change); each may start with "
	       "PANE:";
}

/* What a moment asks for. */
enum what {
	W_NUMBER,    /* a step, or with a pane an event */
	W_END,       /* the last step */
	W_EVENT,     /* event:N */
	W_VIOLATION, /* the K-th violation */
	W_PANIC,     /* the panic */
	W_CALL_K,    /* the K-th init_memory_mapping call */
	W_NOTE_K,    /* the K-th note */
	W_NOTE,      /* the next note */
	W_MARKER,    /* the next marker or note */
	W_CALL,      /* the next call */
	W_FULL,      /* the next buffer-full marker */
	W_BUFFER,    /* the next buffer placement */
	W_STEPSIZE,  /* the next step-size change */
	W_ALLOC,     /* the next table page at or above addr */
	W_TABLE,     /* the next table page of a level */
	W_RO,        /* the next read-only change */
};

typedef struct moment {
	int pane;             /* -1: whichever comes first */
	int what;             /* enum what */
	unsigned long long k; /* number, count, address or level */
} moment;

/* Reads a number ("42", "0x7e000000", "2G", "512M"); false if malformed. */
static bool read_number(const char *s, unsigned long long *out)
{
	const char *p = s;
	int base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	unsigned long long v = 0;
	const char *d = p;
	for (; *p; p++) {
		int x = *p >= '0' && *p <= '9'                 ? *p - '0'
		        : base == 16 && *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
		        : base == 16 && *p >= 'A' && *p <= 'F' ? *p - 'A' + 10
		                                               : -1;
		if (x < 0)
			break;
		if (v > (~0ull - (unsigned)x) / (unsigned)base)
			return false;
		v = v * (unsigned)base + (unsigned)x;
	}
	if (p == d || (base == 10 && pgt_number_leading_zero(d)))
		return false; /* "010" is refused like --fps 010 (pgtviz/number.h) */
	if (*p && base == 10 && !p[1]) {
		const char *units = "KMGT";
		const char *u = strchr(units, *p);
		if (!u)
			return false;
		unsigned sh = 10u * (unsigned)(u - units + 1);
		if (v > (~0ull >> sh))
			return false;
		v <<= sh;
		p++;
	}
	*out = v;
	return !*p;
}

/* The pane a name means; -1 with a message if none or both. */
static int pane_named(const pgt_view_model *m, const char *text, const char *name, size_t len,
                      char *msg, size_t size)
{
	char w[32];
	if (len >= sizeof(w))
		return -2;
	memcpy(w, name, len);
	w[len] = '\0';
	if (!strcmp(w, "left"))
		return 0;
	if (!strcmp(w, "right")) {
		if (m->npanes > 1)
			return 1;
		snprintf(msg, size, "'%s': there is one pane", text);
		return -1;
	}
	int s = pgt_scheme_parse(w);
	if (s < 0)
		return -2; /* not a pane name: the whole text is the form */
	int found = -1, count = 0;
	for (int p = 0; p < m->npanes; p++)
		if (pgt_sim_scheme(m->pane[p].sim) == s) {
			found = p;
			count++;
		}
	if (count == 1)
		return found;
	if (count == 2)
		snprintf(msg, size, "'%s': both panes run %s: say left:... or right:...", text,
		         pgt_scheme_name(s));
	else
		snprintf(msg, size, "'%s': no pane runs %s (the panes run %s%s%s)", text,
		         pgt_scheme_name(s), pgt_scheme_name(pgt_sim_scheme(m->pane[0].sim)),
		         m->npanes > 1 ? " and " : "",
		         m->npanes > 1 ? pgt_scheme_name(pgt_sim_scheme(m->pane[1].sim)) : "");
	return -1;
}

/* Parses WHAT (after any pane). */
static bool parse_what(const char *w, moment *mo)
{
	static const struct {
		const char *name;
		int what;
		bool num; /* takes ":N" */
	} words[] = {
	    {"end", W_END, false},
	    {"violation", W_VIOLATION, false},
	    {"violation", W_VIOLATION, true},
	    {"panic", W_PANIC, false},
	    {"call", W_CALL_K, true},
	    {"note", W_NOTE_K, true},
	    {"event", W_EVENT, true},
	    {"note", W_NOTE, false},
	    {"marker", W_MARKER, false},
	    {"call", W_CALL, false},
	    {"full", W_FULL, false},
	    {"buffer", W_BUFFER, false},
	    {"step-size", W_STEPSIZE, false},
	    {"ro", W_RO, false},
	};
	mo->k = 1;
	if (*w >= '0' && *w <= '9') {
		mo->what = W_NUMBER;
		return read_number(w, &mo->k) && strspn(w, "0123456789") == strlen(w);
	}
	if (!strncmp(w, "alloc>=", 7)) {
		mo->what = W_ALLOC;
		return read_number(w + 7, &mo->k);
	}
	if (!strncmp(w, "table:", 6)) {
		static const char *const lv[] = {"pte", "pmd", "pud", "pgd"};
		mo->what = W_TABLE;
		for (unsigned i = 0; i < 4; i++)
			if (!strcmp(w + 6, lv[i]) || (w[6] == (char)('1' + i) && !w[7])) {
				mo->k =
				    PGT_PTE + i; /* table:1 is table:pte ... table:4 table:pgd */
				return true;
			}
		return false;
	}
	size_t nlen;
	unsigned long long num;
	bool has;
	if (!split_marker(w, &nlen, &num, &has))
		return false;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i].name) == nlen && !strncmp(w, words[i].name, nlen) &&
		    words[i].num == has) {
			mo->what = words[i].what;
			if (has && num == 0 && mo->what != W_EVENT)
				return false; /* counts start at 1 */
			if (has)
				mo->k = num;
			return true;
		}
	return false;
}

/* Whether event e of a pane is what a searching form looks for. */
static bool event_is(const pgt_event *e, const moment *mo)
{
	switch (mo->what) {
	case W_CALL:
		return e->kind == PGT_EV_CALL_BEGIN;
	case W_ALLOC:
		return e->kind == PGT_EV_ALLOC && e->a >= mo->k;
	case W_TABLE:
		return e->kind == PGT_EV_ALLOC && e->level == mo->k;
	case W_RO:
		return e->kind == PGT_EV_MARK_RO || e->kind == PGT_EV_MARK_RW;
	default:
		return false;
	}
}

/* The timeline marker kind a form searches (-1: none). */
static int marker_kind(int what)
{
	return what == W_FULL       ? PGT_MK_FULL
	       : what == W_BUFFER   ? PGT_MK_BUFFER
	       : what == W_STEPSIZE ? PGT_MK_STEP
	       : what == W_NOTE     ? PGT_MK_NOTE
	                            : -1;
}

/* First global step > after (after SIZE_MAX: >= 0) where pane p matches a
 * searching form; SIZE_MAX if none. */
static size_t search_pane(const pgt_view_model *m, int p, const moment *mo, size_t after)
{
	const pgt_pane_model *pm = &m->pane[p];
	size_t e0 = after == SIZE_MAX ? 0 : pgt_view_pane_step(m, p, after) + 1;
	int mk = marker_kind(mo->what);
	if (mk >= 0 || mo->what == W_MARKER) { /* the timeline's markers, notes included */
		for (size_t i = 0; i < m->nmarkers; i++) {
			const pgt_marker *k = &m->markers[i];
			if (k->pane == p && (mk < 0 || k->kind == mk) &&
			    (after == SIZE_MAX || k->step > after))
				return k->step;
		}
		return SIZE_MAX;
	}
	for (size_t e = e0; e < pm->nev; e++) {
		pgt_event ev = pgt_sim_event(pm->sim, e);
		if (event_is(&ev, mo))
			return pgt_view_global_step(m, p, e);
	}
	return SIZE_MAX;
}

/* Last global step < before where pane p matches a searching form (the
 * mirror of search_pane); SIZE_MAX if none. */
static size_t search_pane_back(const pgt_view_model *m, int p, const moment *mo, size_t before)
{
	const pgt_pane_model *pm = &m->pane[p];
	int mk = marker_kind(mo->what);
	if (mk >= 0 || mo->what == W_MARKER) {
		for (size_t i = m->nmarkers; i-- > 0;) {
			const pgt_marker *k = &m->markers[i];
			if (k->pane == p && (mk < 0 || k->kind == mk) && k->step < before)
				return k->step;
		}
		return SIZE_MAX;
	}
	for (size_t e = pgt_view_pane_step(m, p, before); e-- > 0;) {
		pgt_event ev = pgt_sim_event(pm->sim, e);
		if (event_is(&ev, mo))
			return pgt_view_global_step(m, p, e);
	}
	return SIZE_MAX;
}

/* The event of pane p a naming form means; SIZE_MAX if it has none. */
static size_t named_event(const pgt_view_model *m, int p, const moment *mo)
{
	const pgt_pane_model *pm = &m->pane[p];
	char at[48];
	switch (mo->what) {
	case W_NUMBER:
	case W_EVENT:
		return mo->k < pm->nev ? (size_t)mo->k : SIZE_MAX;
	case W_VIOLATION:
		snprintf(at, sizeof(at), "violation:%llu", mo->k);
		return pgt_note_event(at, pm->sim);
	case W_PANIC:
		return pgt_note_event("panic", pm->sim);
	case W_CALL_K:
		snprintf(at, sizeof(at), "call:%llu", mo->k);
		return pgt_note_event(at, pm->sim);
	case W_NOTE_K:
		return mo->k <= pm->nnotes ? pm->notes[mo->k - 1].event : SIZE_MAX;
	default:
		return SIZE_MAX;
	}
}

/* Why a moment has no step (into msg). */
static void say_none(const pgt_view_model *m, const char *text, const moment *mo, size_t after,
                     char *msg, size_t size)
{
	size_t last = m->nsteps ? m->nsteps - 1 : 0;
	if (mo->what == W_NUMBER && mo->pane < 0)
		snprintf(msg, size, "'%s': this run has steps 0..%zu", text, last);
	else if ((mo->what == W_NUMBER || mo->what == W_EVENT) && mo->pane >= 0)
		snprintf(msg, size, "'%s': the %s pane has events 0..%zu", text,
		         pgt_scheme_name(pgt_sim_scheme(m->pane[mo->pane].sim)),
		         m->pane[mo->pane].nev ? m->pane[mo->pane].nev - 1 : 0);
	else if (after != SIZE_MAX && mo->what >= W_NOTE)
		snprintf(msg, size, "'%s': none after step %zu", text, after);
	else
		snprintf(msg, size, "'%s': %s has %s", text,
		         mo->pane >= 0 ? "this pane" : "this run",
		         mo->what == W_VIOLATION
		             ? (mo->k > 1 ? "fewer Xen violations" : "no Xen violation")
		         : mo->what == W_PANIC  ? "no kernel panic"
		         : mo->what == W_CALL_K ? "fewer init_memory_mapping calls"
		         : mo->what == W_NOTE_K ? "fewer scenario notes"
		                                : "no such moment");
}

/* Parses "[PANE:]WHAT" into mo; false with a message. */
static bool parse_moment(const pgt_view_model *m, const char *text, moment *mo, char *msg,
                         size_t size)
{
	mo->pane = -1;
	const char *w = text;
	const char *colon = strchr(text, ':');
	if (colon) {
		int p = pane_named(m, text, text, (size_t)(colon - text), msg, size);
		if (p == -1)
			return false;
		if (p >= 0) {
			mo->pane = p;
			w = colon + 1;
		}
	}
	if (!*w || !parse_what(w, mo)) {
		snprintf(msg, size, "'%.64s' is not a moment: use %s", text, pgt_moment_forms());
		return false;
	}
	if (mo->what == W_EVENT && mo->pane < 0 && m->npanes > 1) {
		snprintf(msg, size, "'%.64s': say which pane, e.g. %s:%llu or %s:%llu", text,
		         pgt_scheme_get(pgt_sim_scheme(m->pane[0].sim))->name, mo->k,
		         pgt_scheme_get(pgt_sim_scheme(m->pane[1].sim))->name, mo->k);
		return false;
	}
	return true;
}

bool pgt_moment_find(const pgt_view_model *m, const char *text, size_t after, size_t *step,
                     char *msg, size_t size)
{
	moment mo;
	if (!parse_moment(m, text, &mo, msg, size))
		return false;
	size_t last = m->nsteps ? m->nsteps - 1 : 0, best = SIZE_MAX;
	if (mo.what == W_END) {
		best = last;
	} else if (mo.what == W_NUMBER && mo.pane < 0) {
		best = mo.k <= last ? (size_t)mo.k : SIZE_MAX;
	} else {
		bool search = mo.what >= W_NOTE;
		for (int p = 0; p < m->npanes; p++) {
			if (mo.pane >= 0 && p != mo.pane)
				continue;
			size_t g = SIZE_MAX;
			if (search) {
				g = search_pane(m, p, &mo, after);
			} else {
				size_t ev = named_event(m, p, &mo);
				if (ev != SIZE_MAX)
					g = pgt_view_global_step(m, p, ev);
			}
			if (g < best)
				best = g;
		}
	}
	if (best == SIZE_MAX) {
		say_none(m, text, &mo, after, msg, size);
		return false;
	}
	*step = best;
	return true;
}

bool pgt_moment_find_before(const pgt_view_model *m, const char *text, size_t before, size_t *step,
                            char *msg, size_t size)
{
	moment mo;
	if (!parse_moment(m, text, &mo, msg, size))
		return false;
	if (mo.what < W_NOTE) /* names one step wherever it is */
		return pgt_moment_find(m, text, SIZE_MAX, step, msg, size);
	size_t best = SIZE_MAX;
	for (int p = 0; p < m->npanes; p++) {
		if (mo.pane >= 0 && p != mo.pane)
			continue;
		size_t g = search_pane_back(m, p, &mo, before);
		if (g != SIZE_MAX && (best == SIZE_MAX || g > best))
			best = g;
	}
	if (best == SIZE_MAX) {
		snprintf(msg, size, "'%s': none before step %zu", text, before);
		return false;
	}
	*step = best;
	return true;
}

bool pgt_moment_searches(const pgt_view_model *m, const char *text)
{
	moment mo;
	char msg[8];
	return parse_moment(m, text, &mo, msg, sizeof(msg)) && mo.what >= W_NOTE;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* Sorts v[0..n) and drops repeats; returns the new length. */
static size_t sort_unique(size_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_size);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/* Global steps of every timeline marker, notes included (notes_only: just
 * the notes); malloc'ed, sorted, unique. */
static size_t *collect_marks(const pgt_view_model *m, bool notes_only, size_t *n)
{
	size_t *v = malloc((m->nmarkers + 2) * sizeof(*v)), k = 0;
	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < m->nmarkers; i++)
		if (!notes_only || m->markers[i].kind == PGT_MK_NOTE)
			v[k++] = m->markers[i].step;
	*n = sort_unique(v, k);
	return v;
}

size_t *pgt_moment_marker_steps(const pgt_view_model *m, size_t *n)
{
	size_t *v = collect_marks(m, false, n);
	if (v && !*n) {
		free(v);
		v = NULL;
	}
	return v;
}

/* The steps of a list form ("all", "markers", "notes"); false if spec is
 * not one. */
static bool list_form(const pgt_view_model *m, const char *spec, size_t **steps, size_t *n,
                      char *msg, size_t size)
{
	size_t last = m->nsteps ? m->nsteps - 1 : 0;
	*steps = NULL;
	*n = 0;
	if (!strcmp(spec, "all")) {
		*steps = malloc((last + 1) * sizeof(size_t));
		for (size_t i = 0; *steps && i <= last; i++)
			(*steps)[(*n)++] = i;
		return true;
	}
	bool notes = !strcmp(spec, "notes");
	if (!notes && strcmp(spec, "markers") != 0)
		return false;
	size_t k;
	size_t *v = collect_marks(m, notes, &k);
	if (v && !notes) { /* step 0 and the last step as well */
		size_t *w = realloc(v, (k + 2) * sizeof(*v));
		if (w) {
			v = w;
			v[k++] = 0;
			v[k++] = last;
			k = sort_unique(v, k);
		}
	}
	if (v && !k)
		snprintf(msg, size, "'notes': the scenario has no note that shows in these panes");
	*steps = v;
	*n = k;
	if (!k) {
		free(v);
		*steps = NULL;
	}
	return true;
}

/* A moment that does not parse inside --steps: the message lists the list
 * and range forms as well, not only the moments. */
static bool steps_form_err(char *msg, size_t size)
{
	size_t l = strlen(msg);
	if (strstr(msg, " is not a moment: use ") && l < size)
		snprintf(msg + l, size - l,
		         "; --steps also takes all, markers, notes, and A..B (from moment A to the "
		         "first B after it; A.. runs to the end, ..B from the start)");
	return false;
}

bool pgt_moment_steps(const pgt_view_model *m, const char *spec, size_t **steps, size_t *n,
                      char *msg, size_t size)
{
	*steps = NULL;
	*n = 0;
	msg[0] = '\0';
	if (list_form(m, spec, steps, n, msg, size)) {
		if (!*n && !msg[0])
			snprintf(msg, size, "out of memory");
		return *n > 0;
	}
	const char *dots = strstr(spec, "..");
	char a_txt[128], b_txt[128];
	size_t a = 0, b = 0;
	if (!dots) {
		if (!pgt_moment_find(m, spec, SIZE_MAX, &a, msg, size))
			return steps_form_err(msg, size);
		b = a;
	} else {
		size_t al = (size_t)(dots - spec);
		if (al >= sizeof(a_txt) || strlen(dots + 2) >= sizeof(b_txt)) {
			snprintf(msg, size, "'%.64s...' is too long", spec);
			return false;
		}
		memcpy(a_txt, spec, al);
		a_txt[al] = '\0';
		snprintf(b_txt, sizeof(b_txt), "%s", dots + 2);
		if (al && !pgt_moment_find(m, a_txt, SIZE_MAX, &a, msg, size))
			return steps_form_err(msg, size);
		if (!b_txt[0])
			snprintf(b_txt, sizeof(b_txt), "end");
		if (!pgt_moment_find(m, b_txt, a, &b, msg, size))
			return steps_form_err(msg, size);
		if (b < a) {
			snprintf(msg, size, "'%s' runs backwards: %s is step %zu, %s is step %zu",
			         spec, al ? a_txt : "the start", a, b_txt, b);
			return false;
		}
	}
	*steps = malloc((b - a + 1) * sizeof(size_t));
	if (!*steps) {
		snprintf(msg, size, "out of memory");
		return false;
	}
	for (size_t i = a; i <= b; i++)
		(*steps)[(*n)++] = i;
	return true;
}

bool pgt_moment_table(const pgt_view_model *m, const char *text, int *pane, uint32_t *table,
                      char *msg, size_t size)
{
	const char *colon = strchr(text, ':'), *num = colon ? colon + 1 : text;
	int p = 0;
	if (colon) {
		p = pane_named(m, text, text, (size_t)(colon - text), msg, size);
		if (p == -2)
			snprintf(msg, size,
			         "'%s': '%.*s' is not a pane (left, right or a scheme name)", text,
			         (int)(colon - text), text);
		if (p < 0)
			return false;
	}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(num, &end, 10);
	size_t count = pgt_sim_table_count(m->pane[p].sim);
	if (!*num || *end || errno || num[0] == '-' || num[0] == '+') {
		snprintf(msg, size, "'%s': want N or PANE:N, a table number (as ptdump --table)",
		         text);
		return false;
	}
	if (num[0] == '0' && num[1]) {
		snprintf(msg, size, "'%s': write it without leading zeros", text);
		return false;
	}
	if (v >= count) {
		snprintf(msg, size, "'%s': the %s pane's run has tables 0..%zu", text,
		         p ? "right" : "left", count ? count - 1 : 0);
		return false;
	}
	*pane = p;
	*table = (uint32_t)v;
	return true;
}
