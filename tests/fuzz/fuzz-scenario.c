// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: scenario files (loader, validator, then short runs of what loads). */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sim_fuzz_scenario(data, size);
	return 0;
}
