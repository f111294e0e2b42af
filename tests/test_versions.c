/*
 * The table of schemes and version models (src/core/versions.c): the one
 * strict version check every command uses, the scheme a version picks,
 * the eras, names and the release-candidate encoding.
 */
#include "pgtviz/core.h"
#include "t.h"

#include <string.h>

static void strict_check_accepts_models_and_refuses_the_rest(void)
{
	char m[160];
	CHECK_U64(pgt_kver_check("3.9", m, sizeof(m)), PGT_KVER(3, 9, 0));
	CHECK_U64(pgt_kver_check("3.9.8", m, sizeof(m)), PGT_KVER(3, 9, 8));
	CHECK_U64(pgt_kver_check("2.6.26", m, sizeof(m)), PGT_KVER(2, 6, 26));
	CHECK_U64(pgt_kver_check("2.6.39.3", m, sizeof(m)), PGT_KVER(2, 6, 39));
	CHECK_U64(pgt_kver_check("6.17", m, sizeof(m)), PGT_KVER(6, 17, 0));
	static const char *const bad[] = {
	    "7.0",     "3.9.4294967297", "2.4",  "99.99", "2.6.25",        "abc",  "",    "3",
	    "3.9.",    " 3.9",           "3.9 ", "v3.9",  "3.9.8-generic", "3.25", "2.7", "3.9.8.1",
	    "3.9-rc0", "3.9-rc1",        "+3.9", "-3.9",  "0x3.9",         "1.0"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m[0] = '\0';
		if (pgt_kver_check(bad[i], m, sizeof(m)) != 0)
			CHECK(!"accepted a version it must refuse" && bad[i]);
		char want[160];
		snprintf(want, sizeof(want),
		         "'%s' is not a version pgtviz models (2.6.26 to 6.x, e.g. 3.8 or 3.9.8)%s",
		         bad[i],
		         strstr(bad[i], "-rc")
		             ? "; the release candidates modelled: 2.6.39-rc1, 3.7-rc2"
		             : "");
		CHECK_STR(m, want);
	}
	/* the rc models themselves are accepted; their neighbours are not */
	CHECK_U64(pgt_kver_check("3.7-rc2", m, sizeof(m)), PGT_KVER_RC(3, 7, 0, 2));
	CHECK_U64(pgt_kver_check("3.7-rc1", m, sizeof(m)), 0);
	CHECK(strstr(m, "the release candidates modelled: 2.6.39-rc1, 3.7-rc2") != NULL);
	/* leading zeros (issue 16): refused, with the reason */
	static const char *const zeros[] = {"03.9",        "3.09", "3.9.08", "2.6.039",
	                                    "2.6.39-rc01", "00.9", "3.9.00"};
	for (size_t i = 0; i < sizeof(zeros) / sizeof(zeros[0]); i++) {
		m[0] = '\0';
		if (pgt_kver_check(zeros[i], m, sizeof(m)) != 0)
			CHECK(!"accepted a version with a leading zero" && zeros[i]);
		char want[200];
		snprintf(want, sizeof(want),
		         "'%s' is not a version pgtviz models (2.6.26 to 6.x, e.g. 3.8 or 3.9.8) "
		         "(write it without leading zeros)",
		         zeros[i]);
		CHECK_STR(m, want);
	}
	CHECK_U64(pgt_kver_check("3.10", m, sizeof(m)), PGT_KVER(3, 10, 0));
	CHECK_U64(pgt_kver_check("3.0", m, sizeof(m)), PGT_KVER(3, 0, 0));
	CHECK_U64(pgt_kver_check("3.9.0", m, sizeof(m)), PGT_KVER(3, 9, 0));
}

static void release_candidates_sort_before_their_release(void)
{
	CHECK(PGT_KVER_RC(2, 6, 39, 1) < PGT_KVER(2, 6, 39));
	CHECK(PGT_KVER_RC(2, 6, 39, 1) > PGT_KVER(2, 6, 38));
	CHECK(PGT_KVER_RC(2, 6, 39, 5) > PGT_KVER_RC(2, 6, 39, 1));
	CHECK_U64(PGT_KVER_RC_NUMBER(PGT_KVER_RC(2, 6, 39, 1)), 1);
	CHECK_U64(PGT_KVER_RC_NUMBER(PGT_KVER(2, 6, 39)), 0);
	CHECK_U64(PGT_KVER_MAJOR(PGT_KVER(3, 9, 8)), 3);
	CHECK_U64(PGT_KVER_MINOR(PGT_KVER(3, 9, 8)), 9);
	CHECK_U64(PGT_KVER_PATCH(PGT_KVER(3, 9, 8)), 8);
	CHECK(PGT_KVER_SAME_SERIES(PGT_KVER(3, 9, 8), PGT_KVER(3, 9, 0)));
	CHECK(!PGT_KVER_SAME_SERIES(PGT_KVER(3, 9, 8), PGT_KVER(3, 10, 0)));
	char b[24];
	CHECK_STR(pgt_kver_format(PGT_KVER_RC(2, 6, 39, 1), b, sizeof(b)), "2.6.39-rc1");
	CHECK_STR(pgt_kver_format(PGT_KVER_RC(3, 9, 0, 2), b, sizeof(b)), "3.9-rc2");
	CHECK_STR(pgt_kver_format(PGT_KVER(3, 9, 8), b, sizeof(b)), "3.9.8");
	/* logs: a release candidate is read as its release */
	CHECK_U64(pgt_kver_parse("3.10.0-rc6-00397-gee17608"), PGT_KVER(3, 10, 0));
}

static void each_version_picks_the_scheme_it_used(void)
{
	CHECK_U64(pgt_scheme_for_kver(PGT_KVER(2, 6, 26)), PGT_SCHEME_PGTBUF);
	CHECK_U64(pgt_scheme_for_kver(PGT_KVER(3, 8, 13)), PGT_SCHEME_PGTBUF);
	CHECK_U64(pgt_scheme_for_kver(PGT_KVER(3, 9, 0)), PGT_SCHEME_TOPDOWN);
	CHECK_U64(pgt_scheme_for_kver(PGT_KVER(6, 1, 0)), PGT_SCHEME_TOPDOWN);
	CHECK(pgt_scheme_accepts(PGT_SCHEME_PGTBUF, PGT_KVER(3, 8, 0)));
	CHECK(!pgt_scheme_accepts(PGT_SCHEME_PGTBUF, PGT_KVER(3, 9, 0)));
	CHECK(!pgt_scheme_accepts(PGT_SCHEME_TOPDOWN, PGT_KVER(3, 8, 0)));
	CHECK(!pgt_scheme_accepts(PGT_SCHEME_BOTTOMUP, PGT_KVER(3, 12, 0)));
	CHECK(pgt_scheme_accepts(PGT_SCHEME_BOTTOMUP, PGT_KVER(3, 13, 0)));
	CHECK(pgt_scheme_accepts(PGT_SCHEME_CHUNKEND, PGT_KVER(3, 0, 0)));
	CHECK(pgt_scheme_accepts(PGT_SCHEME_TOPDOWN, 0)); /* automatic */
	char m[160];
	CHECK(!pgt_scheme_check_kver(PGT_SCHEME_PGTBUF, PGT_KVER(3, 9, 0), m, sizeof(m)));
	CHECK_STR(m, "the pgtbuf scheme models kernels up to 3.8");
	CHECK(!pgt_scheme_check_kver(PGT_SCHEME_BOTTOMUP, PGT_KVER(3, 9, 0), m, sizeof(m)));
	CHECK_STR(m, "the bottom-up scheme models kernels from 3.13");
}

static void every_row_is_consistent(void)
{
	for (int s = 0; s < PGT_SCHEME_COUNT; s++) {
		const pgt_scheme_info *si = pgt_scheme_get(s);
		REQUIRE(si);
		CHECK_U64((uint64_t)si->scheme, (uint64_t)s);
		CHECK_U64((uint64_t)pgt_scheme_parse(si->name), (uint64_t)s);
		if (si->alias)
			CHECK_U64((uint64_t)pgt_scheme_parse(si->alias), (uint64_t)s);
		CHECK(pgt_scheme_accepts(s, si->default_kver));
		CHECK(si->n_models > 0);
		for (size_t i = 0; i < si->n_models; i++) {
			CHECK(pgt_scheme_accepts(s, si->models[i]));
			CHECK(i == 0 || si->models[i - 1] < si->models[i]);
			/* every model is a version a user may ask for */
			char b[24], m[160];
			CHECK_U64(pgt_kver_check(pgt_kver_format(si->models[i], b, sizeof(b)), m,
			                         sizeof(m)),
			          si->models[i]);
		}
	}
	CHECK(pgt_scheme_get(PGT_SCHEME_COUNT) == NULL);
	CHECK(pgt_scheme_get(-1) == NULL);
	CHECK_U64((uint64_t)pgt_scheme_parse("old"), PGT_SCHEME_PGTBUF);
	CHECK_U64((uint64_t)pgt_scheme_parse("new"), PGT_SCHEME_TOPDOWN);
	CHECK_U64((uint64_t)pgt_scheme_parse("hpa"), PGT_SCHEME_CHUNKEND);
	CHECK(pgt_scheme_parse("ol") < 0 && pgt_scheme_parse("old,new") < 0 &&
	      pgt_scheme_parse("") < 0);
}

int main(void)
{
	RUN(strict_check_accepts_models_and_refuses_the_rest);
	RUN(release_candidates_sort_before_their_release);
	RUN(each_version_picks_the_scheme_it_used);
	RUN(every_row_is_consistent);
	return t_report();
}
