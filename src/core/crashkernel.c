/*
 * reserve_crashkernel(): the crashkernel=SIZE reservation that setup_arch
 * makes after the direct mapping is built.  (Placeholder: the version rules
 * are being researched; see docs/kernel-model.md.)
 */
#include "sim_internal.h"

void sim_reserve_crashkernel(pgt_sim *s)
{
	(void)s;
}
