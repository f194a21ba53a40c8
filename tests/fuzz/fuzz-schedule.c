// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: --replay schedule strings (parse, print, parse again). */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sim_fuzz_schedule(data, size);
	return 0;
}
