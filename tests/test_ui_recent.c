/*
 * Recent files in the picker (recent.h, picker.h): the XDG state file is
 * read, capped, de-duplicated and written back; entries that went missing
 * or cannot be read stay listed and say so; the picker lists them first,
 * before the gallery, and draws them; PGTVIZ_NO_PREFS leaves the file alone.
 */
#define _DEFAULT_SOURCE
#include "t.h"

#include "pgtviz/picker.h"
#include "pgtviz/recent.h"
#include "pgtviz/render.h"
#include "pgtviz/view.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_state_file(void)
{
	char file[512], want[512];
	REQUIRE(pgt_recent_file(file, sizeof(file)));
	snprintf(want, sizeof(want), "%s/state/pgtviz/recent", dir);
	CHECK_STR(file, want);
	pgt_recent r;
	CHECK(pgt_recent_load(&r, NULL, NULL)); /* no file yet: empty */
	CHECK_U64(r.n, 0);
	char p[64];
	for (int i = 0; i < 12; i++) {
		snprintf(p, sizeof(p), "/logs/boot-%02d.log", i);
		CHECK(pgt_recent_add(&r, p));
	}
	CHECK_U64(r.n, PGT_RECENT_MAX);
	CHECK_STR(r.path[0], "/logs/boot-11.log");
	CHECK_STR(r.path[PGT_RECENT_MAX - 1], "/logs/boot-02.log");
	CHECK(pgt_recent_add(&r, "/logs/boot-05.log")); /* again: first, once */
	CHECK_STR(r.path[0], "/logs/boot-05.log");
	CHECK_STR(r.path[1], "/logs/boot-11.log");
	CHECK_U64(r.n, PGT_RECENT_MAX);
	size_t fives = 0;
	for (size_t i = 0; i < r.n; i++)
		fives += strcmp(r.path[i], "/logs/boot-05.log") == 0;
	CHECK_U64(fives, 1);
	/* a relative path is kept absolute */
	char cwd[256], abs[512];
	REQUIRE(getcwd(cwd, sizeof(cwd)));
	CHECK(pgt_recent_add(&r, "./mine.json"));
	snprintf(abs, sizeof(abs), "%s/mine.json", cwd);
	CHECK_STR(r.path[0], abs);
	CHECK(!pgt_recent_add(&r, ""));
	/* written (directories created) and read back the same */
	CHECK(pgt_recent_save(&r, NULL, NULL));
	pgt_recent back;
	CHECK(pgt_recent_load(&back, NULL, NULL));
	CHECK_U64(back.n, r.n);
	for (size_t i = 0; i < r.n && i < back.n; i++)
		CHECK_STR(back.path[i], r.path[i]);
}

static void test_bad_files(void)
{
	char file[512];
	snprintf(file, sizeof(file), "%s/edited", dir);
	/* relative, blank, duplicate and over-long lines are skipped */
	char text[3000];
	char longp[1100];
	memset(longp, 'x', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	snprintf(text, sizeof(text),
	         "/a/one.log\n\nrelative.json\r\n/a/one.log\n%s\n/b/two.json\r\n", longp);
	write_file(file, text);
	pgt_recent r;
	pgt_diags d;
	pgt_diags_init(&d, NULL);
	CHECK(pgt_recent_load(&r, file, &d));
	CHECK_U64(r.n, 2);
	CHECK_STR(r.path[0], "/a/one.log");
	CHECK_STR(r.path[1], "/b/two.json");
	CHECK_U64(d.n, 0);
	/* a directory where the file should be: a warning, an empty list */
	snprintf(file, sizeof(file), "%s/adir", dir);
	mkdir(file, 0700);
	CHECK(!pgt_recent_load(&r, file, &d));
	CHECK_U64(r.n, 0);
	CHECK_U64(d.n, 1);
	char msg[600];
	CHECK(strstr(pgt_diags_format(&d, 0, msg, sizeof(msg)), "recent files") != NULL);
	/* and it is not written over */
	r.n = 1;
	snprintf(r.path[0], sizeof(r.path[0]), "/x.log");
	CHECK(!pgt_recent_save(&r, file, &d));
	struct stat st;
	CHECK(stat(file, &st) == 0 && S_ISDIR(st.st_mode));
	pgt_diags_free(&d);
	/* a state directory that cannot be created: a warning, no crash */
	pgt_diags_init(&d, NULL);
	CHECK(!pgt_recent_save(&r, "/proc/pgtviz-no-such-dir/pgtviz/recent", &d));
	CHECK_U64(d.n, 1);
	CHECK(strstr(pgt_diags_format(&d, 0, msg, sizeof(msg)), "not saving the recent files") !=
	      NULL);
	CHECK(stat("/proc/pgtviz-no-such-dir", &st) != 0);
	pgt_diags_free(&d);
	/* neither XDG_STATE_HOME nor HOME: no state file, nothing read or written */
	char *xdg = strdup(getenv("XDG_STATE_HOME")), *home = getenv("HOME");
	home = home ? strdup(home) : NULL;
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	CHECK(!pgt_recent_file(file, sizeof(file)));
	CHECK(!pgt_recent_save(&r, NULL, NULL));
	CHECK(pgt_recent_load(&r, NULL, NULL));
	CHECK_U64(r.n, 0);
	setenv("XDG_STATE_HOME", xdg, 1);
	if (home)
		setenv("HOME", home, 1);
	free(xdg);
	free(home);
}

static void test_no_prefs(void)
{
	char file[512];
	REQUIRE(pgt_recent_file(file, sizeof(file)));
	unlink(file);
	setenv("PGTVIZ_NO_PREFS", "1", 1);
	pgt_recent r = {.n = 1};
	snprintf(r.path[0], sizeof(r.path[0]), "/x.log");
	CHECK(!pgt_recent_save(&r, NULL, NULL));
	struct stat st;
	CHECK(stat(file, &st) != 0);
	write_file(file, "/y.log\n");
	CHECK(pgt_recent_load(&r, NULL, NULL));
	CHECK_U64(r.n, 0);
	unsetenv("PGTVIZ_NO_PREFS");
	CHECK(pgt_recent_load(&r, NULL, NULL));
	CHECK_U64(r.n, 1);
}

static bool dl_has(const pgt_drawlist *dl, const char *needle)
{
	for (size_t i = 0; i < dl->n; i++)
		if (dl->cmds[i].kind == PGT_DL_TEXT &&
		    strstr(pgt_dl_text(dl, &dl->cmds[i]), needle))
			return true;
	return false;
}

static void test_picker(void)
{
	char here[512], gone[512], locked[512];
	snprintf(here, sizeof(here), "%s/here.log", dir);
	snprintf(gone, sizeof(gone), "%s/gone.log", dir);
	snprintf(locked, sizeof(locked), "%s/adir", dir); /* a directory: cannot be read */
	write_file(here, "x\n");
	pgt_recent r;
	memset(&r, 0, sizeof(r));
	CHECK(pgt_recent_add(&r, locked));
	CHECK(pgt_recent_add(&r, gone));
	CHECK(pgt_recent_add(&r, here));
	pgt_pick_list l;
	REQUIRE(pgt_pick_list_build(&l, PGTVIZ_SCENARIO_DIR));
	size_t gallery = l.n;
	REQUIRE(gallery > 3);
	char first[64];
	snprintf(first, sizeof(first), "%s", l.v[0].name);
	REQUIRE(pgt_pick_list_add_recent(&l, &r));
	REQUIRE(pgt_pick_list_add_recent(&l, &r)); /* again: replaces, no copies */
	CHECK_U64(l.n, gallery + 3);
	CHECK(l.v[0].recent && l.v[1].recent && l.v[2].recent && !l.v[3].recent);
	CHECK_STR(l.v[0].name, "here.log");
	CHECK_STR(l.v[0].arg, here);
	CHECK(l.v[0].state == PGT_RECENT_OK);
	CHECK(strstr(l.v[0].desc, dir) != NULL);
	CHECK(l.v[1].state == PGT_RECENT_MISSING);
	CHECK(strncmp(l.v[1].desc, "missing: ", 9) == 0);
	CHECK(l.v[2].state == PGT_RECENT_UNREADABLE);
	CHECK(strncmp(l.v[2].desc, "cannot be read: ", 16) == 0);
	CHECK_STR(l.v[3].name, first);
	/* the picker draws them */
	pgt_scenario sc;
	REQUIRE(pgt_builtin_load(0, &sc));
	pgt_sim *sim = pgt_sim_run(&sc, NULL);
	REQUIRE(sim);
	pgt_view_model m;
	REQUIRE(pgt_view_model_init(&m, &sc, sim, NULL));
	pgt_theme th;
	REQUIRE(pgt_theme_load(&th, "dark", NULL));
	pgt_viewstate vs;
	pgt_viewstate_init(&vs);
	vs.show_picker = true;
	vs.pick_count = (int)l.n;
	pgt_drawlist dl;
	pgt_dl_init(&dl);
	pgt_view_layout lay;
	pgt_view_params p = {1280, 720, &th, NULL, NULL, true, &l, NULL, NULL, 0};
	pgt_view_build(&dl, &lay, &m, &vs, &p);
	CHECK(dl_has(&dl, "here.log"));
	CHECK(dl_has(&dl, "missing: "));
	CHECK(dl_has(&dl, "cannot be read: "));
	CHECK(dl_has(&dl, first));
	pgt_dl_free(&dl);
	pgt_view_model_free(&m);
	pgt_sim_free(sim);
	pgt_scenario_clear(&sc);
	pgt_pick_list_free(&l);
}

/* The row the picker highlights when it opens is the scenario on screen:
 * the recent row of its file (in any spelling of the path), a gallery
 * file's row, else the built-in or gallery row of its name; recent rows
 * are never matched by name. */
static void test_pick_find(void)
{
	char here[512], here2[600], gone[512], gallery_file[600], gallery_alias[600];
	snprintf(here, sizeof(here), "%s/mine.json", dir);
	snprintf(here2, sizeof(here2), "%s/./mine.json", dir); /* another spelling */
	snprintf(gone, sizeof(gone), "%s/gone.json", dir);
	snprintf(gallery_file, sizeof(gallery_file), "%s/mail-0-1g-4k.json", PGTVIZ_SCENARIO_DIR);
	snprintf(gallery_alias, sizeof(gallery_alias), "%s/../scenarios/./mail-0-1g-4k.json",
	         PGTVIZ_SCENARIO_DIR);
	write_file(here, "{}\n");
	pgt_recent r;
	memset(&r, 0, sizeof(r));
	CHECK(pgt_recent_add(&r, gone));
	CHECK(pgt_recent_add(&r, here));
	pgt_pick_list l;
	REQUIRE(pgt_pick_list_build(&l, PGTVIZ_SCENARIO_DIR));
	REQUIRE(pgt_pick_list_add_recent(&l, &r));
	REQUIRE(l.n > 4 && l.v[0].recent && l.v[1].recent && !l.v[2].recent);
	/* a built-in by name: its own row, not the first one */
	int i = pgt_pick_list_find(&l, "xen-live-patient", NULL);
	REQUIRE(i >= 2);
	CHECK_STR(l.v[i].name, "xen-live-patient");
	CHECK(l.v[i].builtin);
	CHECK(pgt_pick_list_find(&l, "xen-live-patient", "") == i);
	i = pgt_pick_list_find(&l, "pc-4g", NULL);
	REQUIRE(i >= 2);
	CHECK_STR(l.v[i].name, "pc-4g");
	/* a gallery file, by another spelling of its path, or by its name */
	i = pgt_pick_list_find(&l, "mail-0-1g-4k", gallery_alias);
	REQUIRE(i >= 2);
	CHECK(!l.v[i].builtin && !l.v[i].recent);
	CHECK_STR(l.v[i].arg, gallery_file);
	CHECK(pgt_pick_list_find(&l, "mail-0-1g-4k", NULL) == i);
	/* a file of the user's whose scenario is named like a built-in: its
	 * recent row, not the built-in's */
	CHECK(pgt_pick_list_find(&l, "pc-4g", here2) == 0);
	CHECK(pgt_pick_list_find(&l, "pc-4g", here) == 0);
	/* a recent file that is gone: by its text */
	CHECK(pgt_pick_list_find(&l, "x", gone) == 1);
	/* recent rows are named by file name: never matched by name */
	CHECK(pgt_pick_list_find(&l, "mine.json", NULL) == -1);
	CHECK(pgt_pick_list_find(&l, "no-such-scenario", "/no/such/file.json") == -1);
	CHECK(pgt_pick_list_find(&l, NULL, NULL) == -1);
	CHECK(pgt_pick_list_find(NULL, "pc-4g", NULL) == -1);
	pgt_pick_list_free(&l);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/pgtviz-recent-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	char state[300];
	snprintf(state, sizeof(state), "%s/state", dir);
	setenv("XDG_STATE_HOME", state, 1);
	unsetenv("PGTVIZ_NO_PREFS");
	RUN(test_state_file);
	RUN(test_bad_files);
	RUN(test_no_prefs);
	RUN(test_picker);
	RUN(test_pick_find);
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	return t_report();
}
