/*
 * The browser page's keys come from the C side (src/web/web_keys.c), not
 * from numbers written in web/pgtviz.js.  This test fails when they could
 * disagree:
 *   - the enum tables list every enumerator in order (values 0, 1, 2, ...),
 *     so an enumerator inserted in input.h without a row here, or a row
 *     out of place, is caught;
 *   - every key the window binds (src/ui/input.c's table) has a DOM name
 *     the page sends, or a stated reason why the page leaves it out;
 *   - the JSON the wasm module hands the page holds exactly those pairs;
 *   - web/pgtviz.js has no key numbers of its own (it reads pgw_constants);
 *   - the page's '?' overlay lists the window's rows but those of the keys
 *     it leaves out.
 */
#include "t.h"
#include "web_keys.h"

#include "pgtviz/input.h"

#include <stdlib.h>

/* Enumerators listed in order from 0, each once. */
static void check_enum(const pgw_enum_name *e, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++) {
		if (e[i].value != (int)i)
			fprintf(stderr, "%s: %s is %d, listed at %zu\n", what, e[i].name,
			        e[i].value, i);
		CHECK(e[i].value == (int)i);
	}
}

static void test_enums_in_order(void)
{
	size_t n;
	const pgw_enum_name *e = pgw_key_enum(&n);
	check_enum(e, n, "enum pgt_key");
	CHECK(n > PGT_KEY_I);
	e = pgw_input_enum(&n);
	check_enum(e, n, "enum pgt_input_type");
	CHECK(n > PGT_IN_TEXT);
	e = pgw_request_enum(&n);
	check_enum(e, n, "enum pgt_request_kind");
	CHECK(n > PGT_REQ_RERUN);
}

/* The DOM name sending key, or NULL. */
static const char *dom_name(int key)
{
	size_t n;
	const pgw_key_name *d = pgw_dom_keys(&n);
	for (size_t i = 0; i < n; i++)
		if (d[i].key == key)
			return d[i].dom;
	return NULL;
}

static void test_every_binding_reachable(void)
{
	size_t nb, nk;
	const pgt_key_binding *b = pgt_input_bindings(&nb);
	pgw_key_enum(&nk);
	REQUIRE(nb > 20);
	for (size_t i = 0; i < nb; i++) {
		int k = b[i].key;
		if (k == PGT_KEY_NONE)
			continue;
		CHECK(k > 0 && (size_t)k < nk); /* listed in web_keys.c's key_enum */
		bool sent = dom_name(k) != NULL, left = pgw_key_left_out(k) != NULL;
		if (sent == left)
			fprintf(stderr, "binding %zu (key %d, %s): %s\n", i, k,
			        b[i].keys ? b[i].keys : "",
			        sent ? "sent and left out"
			             : "neither sent nor left out with a reason");
		CHECK(sent != left);
	}
	/* Every key of the enum, bound or not (picker keys), likewise. */
	for (size_t k = 1; k < nk; k++)
		CHECK((dom_name((int)k) != NULL) != (pgw_key_left_out((int)k) != NULL));
	/* The clicker's keys and the arrows are there. */
	CHECK_STR(dom_name(PGT_KEY_PAGEDOWN), "PageDown");
	CHECK_STR(dom_name(PGT_KEY_PAGEUP), "PageUp");
	CHECK_STR(dom_name(PGT_KEY_SPACE), " ");
	CHECK_STR(dom_name(PGT_KEY_RIGHT), "ArrowRight");
}

static void test_dom_names_unique(void)
{
	size_t n, nk;
	const pgw_key_name *d = pgw_dom_keys(&n);
	pgw_key_enum(&nk);
	for (size_t i = 0; i < n; i++) {
		CHECK(d[i].key > 0 && (size_t)d[i].key < nk);
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(d[i].dom, d[j].dom) != 0);
		/* single characters are lower case: the page lower-cases letters */
		if (strlen(d[i].dom) == 1)
			CHECK(!(d[i].dom[0] >= 'A' && d[i].dom[0] <= 'Z'));
	}
}

/* pair "name":value is in json. */
static bool has_pair(const char *json, const char *name, int value)
{
	char want[64];
	snprintf(want, sizeof(want), "\"%s\":%d", name, value);
	const char *p = strstr(json, want);
	return p && (p[strlen(want)] == ',' || p[strlen(want)] == '}');
}

static void test_json(void)
{
	const char *j = pgw_constants_json();
	REQUIRE(j != NULL);
	CHECK(j == pgw_constants_json()); /* built once */
	CHECK(strncmp(j, "{\"dom\":{", 8) == 0);
	size_t n;
	const pgw_key_name *d = pgw_dom_keys(&n);
	for (size_t i = 0; i < n; i++)
		CHECK(has_pair(j, d[i].dom, d[i].key));
	const struct {
		const char *label;
		const pgw_enum_name *(*get)(size_t *);
	} groups[] = {{"\"key\":{", pgw_key_enum},
	              {"\"input\":{", pgw_input_enum},
	              {"\"request\":{", pgw_request_enum}};
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		const char *sec = strstr(j, groups[g].label);
		REQUIRE(sec != NULL);
		const pgw_enum_name *e = groups[g].get(&n);
		for (size_t i = 0; i < n; i++)
			CHECK(has_pair(sec, e[i].name, e[i].value));
	}
	CHECK(has_pair(j, "PAGEDOWN", PGT_KEY_PAGEDOWN));
	CHECK(has_pair(j, "THEME", PGT_REQ_THEME));
}

/* web/pgtviz.js (read from the source tree) names no key number itself. */
static void test_page_has_no_numbers(void)
{
	FILE *f = fopen(PGTVIZ_TEST_DIR "/../web/pgtviz.js", "rb");
	REQUIRE(f != NULL);
	static char js[1 << 20];
	size_t len = fread(js, 1, sizeof(js) - 1, f);
	fclose(f);
	js[len] = '\0';
	REQUIRE(len > 1000);
	CHECK(strstr(js, "_pgw_constants()") != NULL);
	size_t n;
	const pgw_key_name *d = pgw_dom_keys(&n);
	for (size_t i = 0; i < n; i++) {
		if (strlen(d[i].dom) < 2)
			continue;
		for (int sp = 0; sp < 2; sp++) {
			char pat[64];
			snprintf(pat, sizeof(pat), "%s:%s", d[i].dom, sp ? " " : "");
			for (const char *p = strstr(js, pat); p; p = strstr(p + 1, pat)) {
				char c = p[strlen(pat)];
				if (c >= '0' && c <= '9')
					fprintf(stderr, "web/pgtviz.js numbers %s itself\n",
					        d[i].dom);
				CHECK(!(c >= '0' && c <= '9'));
			}
		}
	}
}

/* The page's '?' rows: the window's, in order, minus the left-out keys'. */
static void test_help_rows(void)
{
	size_t nw, np, nb;
	const pgt_help_row *w = pgt_input_help(&nw);
	const pgt_help_row *p = pgw_help_rows(&np);
	const pgt_key_binding *b = pgt_input_bindings(&nb);
	size_t left = 0;
	for (size_t i = 0; i < nb; i++)
		if (b[i].keys && b[i].help && b[i].key != PGT_KEY_NONE &&
		    pgw_key_left_out(b[i].key))
			left++;
	CHECK(left >= 3); /* q, e, m */
	CHECK(np + left == nw);
	size_t k = 0;
	for (size_t i = 0; i < nw && k < np; i++)
		if (w[i].action == p[k].action)
			k++;
	CHECK(k == np); /* a subsequence of the window's rows */
	for (size_t i = 0; i < np; i++)
		CHECK(strcmp(p[i].keys, "q") != 0 && strcmp(p[i].keys, "e") != 0 &&
		      strcmp(p[i].keys, "m") != 0);
}

int main(void)
{
	RUN(test_enums_in_order);
	RUN(test_every_binding_reachable);
	RUN(test_dom_names_unique);
	RUN(test_json);
	RUN(test_page_has_no_numbers);
	RUN(test_help_rows);
	return t_report();
}
