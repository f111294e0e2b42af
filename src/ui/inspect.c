/*
 * inspect.c: the table-page inspector's data (inspect.h).  The core keeps
 * table contents only as of the end of a run; an earlier step is a run cut
 * after that event (max_events), exactly what `pgtviz ptdump --step N`
 * prints, so the inspector and ptdump agree by construction.
 */
#include "pgtviz/inspect.h"

#include "pgtviz/session.h"

#include <string.h>

/* The refused pin whose writable alias sits in `table`, at or before ev. */
static size_t alias_entry(const pgt_sim *sim, uint32_t table, size_t ev)
{
	size_t alias = SIZE_MAX;
	for (size_t i = 0; i <= ev && i < pgt_sim_event_count(sim); i++) {
		pgt_event e = pgt_sim_event(sim, i);
		if (e.kind == PGT_EV_VIOLATION && (e.flags & 1) && e.b == table)
			alias = (size_t)(e.aux & 0xffff);
	}
	return alias;
}

bool pgt_inspect_update(pgt_inspect *in, const pgt_session *s, int p, uint32_t table, size_t ev)
{
	if (in->valid && in->pane == p && in->table == table && in->event == ev && p < s->nsims &&
	    in->of == s->sims[p])
		return true;
	in->valid = false;
	if (p < 0 || p >= s->nsims || table >= pgt_sim_table_count(s->sims[p]))
		return true;
	pgt_table t = pgt_sim_table(s->sims[p], table);
	if (t.alloc_event > ev)
		return true; /* not there yet */
	pgt_run_opts o = pgt_run_opts_default(s->spec[p].scheme);
	o.kver = s->spec[p].kver;
	o.max_events = (uint64_t)ev + 1;
	pgt_sim *cut = pgt_sim_run(&s->sc, &o);
	if (!cut)
		return false;
	in->n = pgt_sim_table_entries(cut, table, in->e, sizeof(in->e) / sizeof(in->e[0]));
	in->xen = pgt_sim_xen(cut);
	pgt_sim_free(cut);
	if (!in->n)
		return true;
	in->pane = p;
	in->table = table;
	in->event = ev;
	in->info = t;
	in->alias = alias_entry(s->sims[p], table, ev);
	in->of = s->sims[p];
	in->valid = true;
	return true;
}
