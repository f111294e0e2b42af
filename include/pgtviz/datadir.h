/*
 * Where pgtviz finds the files it ships: the themes (assets/), the gallery
 * of scenarios (scenarios/) and the browser page's parts (web/).  The same
 * binary works from its build tree and installed like a Debian program
 * (`cmake --install`: PREFIX/bin/pgtviz and PREFIX/share/pgtviz/...).
 */
#ifndef PGTVIZ_DATADIR_H
#define PGTVIZ_DATADIR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The directory of the shipped files SUB ("assets", "scenarios", "web"),
 * written into buf (and returned):
 *   1. $PGTVIZ_DATA_DIR/SUB when PGTVIZ_DATA_DIR is set (not checked: a
 *      wrong setting gives a message naming the path it looked at);
 *   2. PREFIX/share/pgtviz/SUB when the running binary is PREFIX/bin/NAME
 *      (read from /proc/self/exe) and that directory exists -- an
 *      installed pgtviz, wherever its prefix is (DESTDIR too);
 *   3. built_in, the path given at build time (the source tree).
 * A result that does not fit in buf falls back to built_in. */
const char *pgt_data_dir(const char *sub, const char *built_in, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
