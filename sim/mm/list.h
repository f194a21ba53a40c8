/* SPDX-License-Identifier: GPL-2.0 */
/*
 * include/linux/list.h for the model: the same API (list_add, list_add_tail,
 * list_del, list_move, list_empty, list_entry) over links that are offsets
 * into the world's arena instead of pointers, so a world can be copied with
 * memcpy and its state hashed.
 *
 * Every list_head the model links (page->lru, free_area[].free_list[],
 * per_cpu_pages.lists[]) lives in the arena. An offset is counted in 4-byte
 * units from the arena's start.
 *
 * Adding to or removing from a free list or a pcplist also updates the
 * model's shadow bookkeeping (mm/shadow.c): which list each page heads and how
 * many pages each list holds. That is how the invariants know the truth the
 * counters are compared with, without the kernel-mirroring code doing
 * anything the kernel does not do.
 */
#ifndef SIM_MM_LIST_H
#define SIM_MM_LIST_H

#include <stddef.h>

#include "engine/world.h"

#define LIST_POISON 0u /* offset 0 is the arena header, never a list_head */

#define container_of(ptr, type, member) ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

void sim_shadow_list_add(struct sim_world *w, struct list_head *entry, struct list_head *where);
void sim_shadow_list_del(struct sim_world *w, struct list_head *entry);

static inline void INIT_LIST_HEAD(struct sim_world *w, struct list_head *list)
{
	list->next = list->prev = sim_lh_off(w, list);
}

static inline bool list_empty(struct sim_world *w, const struct list_head *head)
{
	return head->next == sim_lh_off(w, head);
}

static inline void __list_add(struct sim_world *w, struct list_head *entry, struct list_head *prev,
			      struct list_head *next)
{
	uint32_t e = sim_lh_off(w, entry);

	next->prev = e;
	entry->next = sim_lh_off(w, next);
	entry->prev = sim_lh_off(w, prev);
	prev->next = e;
}

/* Insert entry after head (at the front of the list head points to). */
static inline void list_add(struct sim_world *w, struct list_head *entry, struct list_head *head)
{
	sim_shadow_list_add(w, entry, head);
	__list_add(w, entry, head, sim_lh(w, head->next));
}

/* Insert entry before head (at the tail of the list head points to). */
static inline void list_add_tail(struct sim_world *w, struct list_head *entry,
				 struct list_head *head)
{
	sim_shadow_list_add(w, entry, head);
	__list_add(w, entry, sim_lh(w, head->prev), head);
}

static inline void list_del(struct sim_world *w, struct list_head *entry)
{
	sim_shadow_list_del(w, entry);
	sim_lh(w, entry->prev)->next = entry->next;
	sim_lh(w, entry->next)->prev = entry->prev;
	entry->next = entry->prev = LIST_POISON;
}

static inline void list_move(struct sim_world *w, struct list_head *entry, struct list_head *head)
{
	list_del(w, entry);
	list_add(w, entry, head);
}

#define list_first(w, head) sim_lh((w), (head)->next)
#define list_last(w, head)  sim_lh((w), (head)->prev)

#endif /* SIM_MM_LIST_H */
