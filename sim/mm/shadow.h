/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model-only bookkeeping beside the kernel state (see mm/shadow.c). The list
 * primitives call the list hooks; the functions below are called explicitly,
 * next to the kernel lines whose effect they record, and say so.
 */
#ifndef SIM_MM_SHADOW_H
#define SIM_MM_SHADOW_H

#include "engine/world.h"

/* A guard page of this order was made (sign 1) or merged back (sign -1). */
void sim_shadow_guard(struct sim_world *w, struct page *page, unsigned int order, int sign);
/* 2^order pages were handed out of the allocator (sign 1) or came back to it (sign -1). */
void sim_shadow_alloc(struct sim_world *w, unsigned int order, int sign);

/*
 * A free chunk of 2^order pages is held off the buddy lists and any list
 * (sign 1), or is no longer (sign -1): e.g. PageIsolated parking
 * (mm/mmzone.h). Pages on the held lists are accounted by the list hooks.
 */
void sim_shadow_hold(struct sim_world *w, struct page *page, unsigned int order, int sign);

/* free_pages_prepare(): the page leaves its user and is in flight until it is on a list. */
void sim_shadow_freeing(struct sim_world *w, struct page *page, unsigned int order);
/* __free_one_page() takes the page: it is no longer in flight. */
void sim_shadow_freed(struct sim_world *w, struct page *page);

#endif /* SIM_MM_SHADOW_H */
