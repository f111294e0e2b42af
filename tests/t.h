/*
 * A tiny test harness: CHECK records a failure and goes on, REQUIRE stops
 * the test function.  Each test program prints "N passed, N failed".
 */
#ifndef PGTVIZ_T_H
#define PGTVIZ_T_H
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int t_passed, t_failed;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (cond) {                                                                        \
			t_passed++;                                                                \
		} else {                                                                           \
			t_failed++;                                                                \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
		}                                                                                  \
	} while (0)

#define REQUIRE(cond)                                                                              \
	do {                                                                                       \
		if (cond) {                                                                        \
			t_passed++;                                                                \
		} else {                                                                           \
			t_failed++;                                                                \
			fprintf(stderr, "%s:%d: REQUIRE failed: %s\n", __FILE__, __LINE__, #cond); \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define CHECK_U64(a, b)                                                                            \
	do {                                                                                       \
		uint64_t t_a_ = (uint64_t)(a), t_b_ = (uint64_t)(b);                               \
		if (t_a_ == t_b_) {                                                                \
			t_passed++;                                                                \
		} else {                                                                           \
			t_failed++;                                                                \
			fprintf(stderr,                                                            \
			        "%s:%d: %s == %s failed: 0x%" PRIx64 " != 0x%" PRIx64 "\n",        \
			        __FILE__, __LINE__, #a, #b, t_a_, t_b_);                           \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *t_a_ = (a), *t_b_ = (b);                                               \
		if (t_a_ && t_b_ && strcmp(t_a_, t_b_) == 0) {                                     \
			t_passed++;                                                                \
		} else {                                                                           \
			t_failed++;                                                                \
			fprintf(                                                                   \
			    stderr,                                                                \
			    "%s:%d: %s == %s failed:\n  got:      \"%s\"\n  expected: \"%s\"\n",   \
			    __FILE__, __LINE__, #a, #b, t_a_ ? t_a_ : "(null)",                    \
			    t_b_ ? t_b_ : "(null)");                                               \
		}                                                                                  \
	} while (0)

#define RUN(fn)                                                                                    \
	do {                                                                                       \
		int t_before_ = t_failed;                                                          \
		fn();                                                                              \
		if (t_failed != t_before_)                                                         \
			fprintf(stderr, "  in %s\n", #fn);                                         \
	} while (0)

static inline int t_report(void)
{
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return t_failed ? 1 : 0;
}
#endif
