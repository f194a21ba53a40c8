/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulator's PRNG: xoshiro256** (Blackman, Vigna), its state expanded
 * from a 64-bit seed by splitmix64. The state is a plain uint64_t[4], so it
 * can live in a world's arena and be reset with it.
 */
#ifndef SIM_UTIL_PRNG_H
#define SIM_UTIL_PRNG_H

#include <stdint.h>

static inline void sim_prng_seed(uint64_t s[4], uint64_t seed)
{
	for (int i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ull);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		s[i] = z ^ (z >> 31);
	}
}

static inline uint64_t sim_prng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t sim_prng_next(uint64_t s[4])
{
	uint64_t result = sim_prng_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = sim_prng_rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n) without modulo bias (Lemire). */
static inline unsigned int sim_prng_below(uint64_t s[4], unsigned int n)
{
	return (unsigned int)(((unsigned __int128)sim_prng_next(s) * n) >> 64);
}

/* Uniform in [0, 1). */
static inline double sim_prng_unit(uint64_t s[4])
{
	return (double)(sim_prng_next(s) >> 11) * 0x1.0p-53;
}

#endif /* SIM_UTIL_PRNG_H */
