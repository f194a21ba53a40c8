/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the fuzzers and their regression test run on one input: the loader
 * (and, for a scenario that loads, a few short runs and an exploration of
 * every variant), or a schedule string's parser and printer.
 */
#ifndef SIM_FUZZ_COMMON_H
#define SIM_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

void sim_fuzz_scenario(const uint8_t *data, size_t size);
void sim_fuzz_schedule(const uint8_t *data, size_t size);

#endif
