/*
 * The libFuzzer entry point shared by tests/fuzz/fuzz_*.c.  With clang and
 * -DPGTVIZ_FUZZ=ON the targets are linked with libFuzzer; otherwise with
 * replay_main.c, which feeds them every file of a corpus directory.
 */
#ifndef PGTVIZ_FUZZ_H
#define PGTVIZ_FUZZ_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reports a broken invariant and aborts (libFuzzer records the input as a
 * crash; the replay driver fails). */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 1, 2)))
#endif
void pgtf_fail(const char *fmt, ...);

#endif
