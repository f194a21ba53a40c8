// SPDX-License-Identifier: GPL-2.0
/* Clean interruption (see interrupt.h). */
#include <signal.h>
#include <string.h>

#include "util/interrupt.h"

static volatile sig_atomic_t sim_signal;

static void sim_interrupt_handler(int sig)
{
	sim_signal = sig;
}

void sim_interrupt_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sim_interrupt_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

bool sim_interrupted(void)
{
	return sim_signal != 0;
}

int sim_interrupt_signal(void)
{
	return sim_signal;
}
