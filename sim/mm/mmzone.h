/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The modeled zone: pages, pageblocks, buddy free lists, per-cpu pagesets and
 * counters, named as in include/linux/mmzone.h and include/linux/mm_types.h.
 *
 * One zone per world. All state is plain data with no pointers into itself:
 * lists link pfns and list heads by index (see list.h), so a world is reset
 * or copied with one memcpy (engine/world.c).
 *
 * Model departures from the kernel, each listed in docs/model.md:
 *  - struct page keeps only what the allocator reads: PageBuddy/guard flags,
 *    page_private (order), page->index (the free-time migratetype cache of
 *    v3.x, get/set_freepage_migratetype()), and a refcount of 0 or 1;
 *  - vmstat counters are exact (no per-cpu vm_stat_diff);
 *  - no watermarks, no NUMA, no zonelists, one zone.
 */
#ifndef SIM_MM_MMZONE_H
#define SIM_MM_MMZONE_H

#include <stdbool.h>
#include <stdint.h>

/* Hard limits of the model (the scenario loader refuses more, with a message naming them). */
#define SIM_MAX_ORDER_LIMIT  12 /* MAX_ORDER up to 12: orders 0..11 */
#define SIM_NR_CPUS_LIMIT    64
#define SIM_ZONE_PAGES_LIMIT (1ul << 26) /* 256 GiB of 4 KiB pages */

/* include/linux/mmzone.h (v3.16). Variants of later eras append their types here. */
enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_MOVABLE,
	MIGRATE_PCPTYPES, /* the number of types on the pcp lists */
	MIGRATE_RESERVE = MIGRATE_PCPTYPES,
	MIGRATE_CMA,
	MIGRATE_ISOLATE, /* can't allocate from here */
	MIGRATE_TYPES
};

static inline bool is_migrate_isolate(int migratetype)
{
	return migratetype == MIGRATE_ISOLATE;
}

static inline bool is_migrate_cma(int migratetype)
{
	return migratetype == MIGRATE_CMA;
}

const char *migratetype_name(int migratetype);
int migratetype_from_name(const char *name); /* -1 if unknown */

/* enum zone_stat_item: only the free-page counters are modeled. */
enum zone_stat_item {
	NR_FREE_PAGES,
	NR_FREE_CMA_PAGES,
	NR_VM_ZONE_STAT_ITEMS
};

/* An intrusive doubly linked list; links are arena offsets (mm/list.h). */
struct list_head {
	uint32_t next, prev;
};

/* page flags the model keeps */
#define PG_buddy    0x01 /* PageBuddy(): head of a free chunk, order in private */
#define PG_guard    0x02 /* page_is_guard(): DEBUG_PAGEALLOC guard, order in private */
#define PG_isolated 0x04 /* PageIsolated() of Joonsoo Kim's v2 series: parked, order in private */
#define PG_reserved 0x08 /* PageReserved(): captured (Goto 2007) or offlined */
#define PG_private  0x10 /* PagePrivate(): captured for an isolation_info (Goto 2007) */
#define PG_reported 0x20 /* PageReported() (v5.7): a free chunk free page reporting has reported */

/* Model-only: where a page heads (the truth the invariants compare counters against). */
enum sim_where {
	SIM_WHERE_NONE,	    /* a tail page, or allocated */
	SIM_WHERE_FREE,	    /* heads a chunk on free_area[private].free_list[where_mt] */
	SIM_WHERE_PCP,	    /* on pageset[where_arg].lists[where_mt] */
	SIM_WHERE_GUARD,    /* a guard page of order private */
	SIM_WHERE_INFLIGHT, /* being freed: past free_pages_prepare(), not on a list yet */
	SIM_WHERE_HELD,	    /* free, but held off the buddy lists by the design (see below) */
};

/*
 * Held pages: free pages a design keeps off the buddy lists and out of
 * NR_FREE_PAGES, e.g. pages captured for an isolation (Goto 2007), parked
 * PageIsolated pages (Joonsoo Kim v2), special per-cpu lists of isolating
 * blocks (Vlastimil Babka 2014), pages taken by alloc_contig_range() or
 * offlined. A held page heads 2^page_private() pages. It is held either on
 * one of the world's held lists (held_list(w, i): one per CPU, then one for
 * the zone; the list primitives account for it) or, off any list, by
 * sim_shadow_hold() (mm/shadow.h).
 */
#define SIM_HELD_NOLIST 0xff /* where_arg of a page held off any list */

/*
 * struct page, reduced to 16 bytes.
 * The kernel-visible fields are lru, flags, private, index and _count; where,
 * where_mt, where_arg and alloc_mt are the model's own bookkeeping and are never read
 * by code that mirrors the kernel.
 */
struct page {
	struct list_head lru;
	uint8_t flags;
	uint8_t private;   /* page_private(): buddy or guard order */
	uint8_t index;	   /* page->index: freepage migratetype (v3.x) */
	uint8_t _count;	   /* page_count(): 0 when free or on a pcplist */
	uint8_t where;	   /* enum sim_where */
	uint8_t where_mt;  /* migratetype of the list the page is on */
	uint8_t where_arg; /* order of the chunk (FREE), cpu of the pcplist (PCP), held list
			    * (HELD), order of the allocation (allocated head) */
	uint8_t alloc_mt;  /* migratetype the page was allocated with (MOVABLE = on the LRU) */
};

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free;
};

/*
 * spinlock_t: the owner cpu, or -1. Acquisition is a scheduling point;
 * zone->lock through SIM_SPIN_LOCK, any other lock through SIM_WAIT_LOCK
 * (engine/step.h).
 */
struct sim_spinlock {
	int owner;
};

/*
 * struct mutex: the owner cpu, or -1. A CPU that finds it held sleeps
 * (SIM_MUTEX_LOCK: a SIM_NEXT_WAIT point) until it is released; meanwhile it
 * can still take IPIs and run work items. page_alloc.c's pcpu_drain_mutex
 * (v4.11+ drains) and pcp_batch_high_lock (held across
 * zone_pcp_disable/enable, v5.11+; Joonsoo Kim's v2 pcplist disable), in
 * struct sim_state.
 */
struct sim_mutex {
	int owner;
};

/* struct per_cpu_pages (v3.16): order-0 only, one list per pcp type. */
struct per_cpu_pages {
	struct sim_spinlock lock; /* v6.0+ pcp->lock, protects lists and count (v6.10 variant) */
	int count;		  /* number of pages in the list */
	int high;		  /* high watermark, emptying needed */
	int batch;		  /* chunk size for buddy add/remove */
	short free_count;	  /* v6.7+: consecutive free count (v6.10 variant) */
	uint8_t alloc_factor;	  /* v6.7+: batch scaling factor during allocate (v6.10 variant) */
	struct list_head lists[MIGRATE_PCPTYPES];
};

/*
 * Vlastimil Babka's drift-tolerant accounting (vbabka-2014, linux-mm
 * 2014-07-04, never posted as patches): an isolation user remembers what it
 * subtracted from NR_FREE_PAGES for its range ("remember the value of X") and
 * settles the rest at test_pages_isolated() or gives it back at undo. In the
 * kernel this would be the caller's local variables; the model keeps one
 * record per isolation (owner CPU and range) so that a scenario's separate
 * start/test/undo calls find it. Protected by zone->lock; only vbabka-2014
 * uses it (sim/variants/vbabka_2014.c).
 */
enum isolate_acct_state {
	ISOLATE_ACCT_UNUSED,
	ISOLATE_ACCT_OPEN,    /* the owner is handling the range: drift tolerated */
	ISOLATE_ACCT_SETTLED, /* test_pages_isolated() passed: N subtracted in all */
};

struct isolate_acct {
	uint32_t start_pfn, end_pfn; /* [start_pfn, end_pfn): N = end_pfn - start_pfn */
	int32_t nr_moved;	     /* X: what move_freepages_block() moved at isolation */
	int32_t nr_debited;	     /* subtracted from NR_FREE_PAGES, not yet given back */
	int32_t nr_debited_cma;	     /* ... of it, from NR_FREE_CMA_PAGES */
	uint8_t owner;		     /* the isolating task (its CPU) */
	uint8_t state;		     /* enum isolate_acct_state */
	uint8_t tested;		     /* N - X subtracted (once) */
};

#define SIM_NR_ISOLATE_ACCT 4 /* isolations in progress at once (vbabka-2014) */

/*
 * struct isolation_info (include/linux/page_isolation.h of Yasunori Goto and
 * KAMEZAWA Hiroyuki, "[RFC] memory hotremove patch take 2 [02/10]", 2007):
 * a pfn range whose freed pages __free_one_page() captures. Used by the
 * goto-2007 variant only. The kernel kmallocs one per caller and links it on
 * zone->isolation_list; the model keeps a table of them in the zone, an
 * entry being on the list while `zone` is set (detach_isolation_info_zone()
 * clears info->zone). info->pages, the captured order-0 pages, are the
 * zone's held list (see "Held pages" above) restricted to the pages whose
 * page->index names the entry (variants/goto_2007.c).
 */
#define SIM_ISOLATION_INFO_MAX 8

struct isolation_info {
	uint32_t start_pfn;
	uint32_t end_pfn;
	uint8_t zone;  /* on zone->isolation_list (info->zone != NULL) */
	uint8_t used;  /* kmalloc'd: from register_isolation() to free_isolation_info() */
	uint8_t owner; /* model: the CPU whose caller holds the pointer */
};

struct zone {
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;
	unsigned int max_order; /* MAX_ORDER: orders 0 .. MAX_ORDER-1 */
	unsigned int pageblock_order;
	unsigned int debug_guardpage_minorder;
	struct sim_spinlock lock;
	int nr_isolate_pageblock;			       /* v3.18+: protected by zone->lock */
	struct isolate_acct isolate_acct[SIM_NR_ISOLATE_ACCT]; /* vbabka-2014, see above */
	/*
	 * v5.11 ("mm, page_alloc: cache pageset high and batch in struct
	 * zone"): the pcp high and batch every CPU gets back from
	 * zone_pcp_enable() after zone_pcp_disable() set them to 0 and 1
	 * (v5.11, v6.10: pageset_high_min = pageset_high_max here). Constant:
	 * the scenario's pcp values.
	 */
	int pageset_high;
	int pageset_batch;
	/*
	 * Goto 2007 (CONFIG_PAGE_ISOLATION): zone->isolation_list, as the
	 * length of the list (list_empty() is 0) and the table its entries
	 * live in. Protected by zone->isolation_lock, which the model does not
	 * need as a lock (variants/goto_2007.c says why).
	 */
	int isolation_list_len;
	struct isolation_info isolation_info[SIM_ISOLATION_INFO_MAX];
	long vm_stat[NR_VM_ZONE_STAT_ITEMS];
	struct free_area free_area[SIM_MAX_ORDER_LIMIT];
};

#define MAX_ORDER(zone)		 ((zone)->max_order)
#define pageblock_order(zone)	 ((zone)->pageblock_order)
#define pageblock_nr_pages(zone) (1ul << (zone)->pageblock_order)

#endif /* SIM_MM_MMZONE_H */
