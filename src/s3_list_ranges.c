/*-------------------------------------------------------------------------
 *
 * s3_list_ranges.c
 *		The rest of a ListObjectsV2 listing after its first page, listed in
 *		partitions of the key range at once and handed out in key order.
 *
 * A listing is a chain: each page needs the continuation token of the one
 * before, so a million keys cost a thousand round trips one after another.
 * Once the first page has come, what is left of the listing is cut into
 * partitions (lo, hi] ahead of where it is read: each is asked for with
 * start-after=lo (or the token of the page that ended at lo) and stops at
 * the first entry above its hi.  Where to cut comes from the pages
 * themselves (key_ranges.c): a page says how far a thousand keys reach
 * there, so a partition cut RANGE_PAGES times that far after its lo is
 * expected to hold that many pages, and the next starts there.  Up to
 * max_concurrency pages are in flight, the partitions nearest to the one
 * read now first.
 *
 * A page covers every key from where it was asked for up to its last
 * entry.  Its entries go to each partition that interval meets: a
 * partition it covers to the end is done (its own page in flight, if any,
 * is dropped), the one it ends in goes on from its last entry with its
 * token.  So a guess too short costs a request and nothing more, and a
 * partition whose keys reach further than guessed goes on page after page,
 * cut again from its own pages.
 *
 * The pages come out in exactly the order, and with exactly the entries,
 * of the sequential chain: the partitions cover the range without gaps or
 * overlaps, each entry goes to the one partition it falls in, once, and no
 * bound falls inside a delimiter's group (see key_ranges.c).  Memory is
 * bounded: at most max_held pages are held, come or coming (one more for
 * the partition read now), whatever the listing's size.
 * Each page lives in a memory context of its own, deleted when the last
 * part of it is handed out and the next page asked for; everything else in
 * the listing's context, freed as the partitions are read.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/memutils.h"

#include "key_ranges.h"
#include "s3_call.h"

/* A page come: its memory, and how many partitions' parts of it are held */
typedef struct PageBuf
{
	MemoryContext cxt;
	int			refs;
} PageBuf;

/* The part of a page come for a partition, not yet handed out */
typedef struct ReadyPage
{
	S3ObjectPage *page;			/* in buf->cxt: the part's entries */
	PageBuf    *buf;
} ReadyPage;

/* One partition: the entries above lo, up to and with hi */
typedef struct Range
{
	char	   *lo;				/* UTF-8; the last entry listed so far */
	char	   *hi;				/* UTF-8, or NULL: to the listing's end */
	char	   *token;			/* the token of the page that ended at lo,
								 * or NULL: start-after lo */
	bool		done;			/* no page left to ask for */
	S3ListFetch *fetch;			/* the page in flight, or NULL */
	MemoryContext fetch_cxt;	/* its context */
	const char *fetch_lo;		/* it lists what follows this (in fetch_cxt) */
	bool		fetch_after;	/* ... asked with start-after, not a token */
	bool		guarded;		/* it checks its token with the listing's
								 * guard itself (asked for before the split) */
	char	   *ref_x;			/* two entries of a page (set_ref()): */
	char	   *ref_y;			/* how far keys reach near here, or NULL */
	int			ref_scale;		/* ... times this */
	bool		measured;		/* ref is from a page that ended here */
	bool		uncut;			/* no guess cuts it (till lo, hi or ref
								 * change) */
	List	   *ready;			/* ReadyPage, in order */
} Range;

struct S3ListRanges
{
	S3Server   *server;
	S3ListRequest lr;			/* the listing's request (without its guard:
								 * pages that end a partition may repeat the
								 * next one's, and their tokens) */
	S3TokenGuard *guard;		/* the tokens partitions went on with */
	const char *what;			/* "could not list objects in bucket ..." */
	MemoryContext cxt;			/* the listing's: pages' contexts under it */
	List	   *ranges;			/* Range, in key order; the first is read */
	int			concurrency;	/* pages in flight at most */
	int			max_held;		/* pages come or coming at most (but one
								 * for the first partition) */
	int			in_flight;
	const char *delimiter;		/* UTF-8, or NULL */
	size_t		prefix_len;		/* the prefix's bytes, in UTF-8 */
	s3_key_places places;		/* the bytes the keys listed have */
	PageBuf    *handed;			/* the page handed out last, or NULL */
	int64		requests;
	int			partitions;
};

/*
 * How many pages a partition is cut to hold.  A partition's pages after its
 * first are a chain, but each boundary between partitions costs a request
 * that brings few new keys (the page that ends a partition reaches into the
 * next, which is listed by then): three pages a partition measured best on
 * the bench's buckets (bench/list_server.py).
 */
#define RANGE_PAGES 3

/*
 * Pages come or coming at most: four times max_concurrency (a partition of
 * three pages read while the next ones come), up to 64 pages (some 40 MB of
 * 1,000-key pages and their bodies), and no fewer than twice
 * max_concurrency.
 */
#define MAX_HELD 64

/* groups of keys gone past at once after a guess went past one (8 levels) */
#define MAX_GROUP_ENDS 8

/* The key (or common prefix) of a page's entry i, in UTF-8 */
#define ENTRY(page, i) ((page)->objects[i].key)

static void add_group_ends(S3ListRanges *r, int i, const char *lo);

/*
 * A bound key_ranges.c gave (malloc'd) copied into the listing's context,
 * and freed; NULL when out of memory.  Nothing here throws, so a bound is
 * never left to leak by an error.
 */
static char *
adopt_bound(S3ListRanges *r, char *bound)
{
	char	   *copy = MemoryContextAllocExtended(r->cxt, strlen(bound) + 1, MCXT_ALLOC_NO_OOM);

	if (copy != NULL)
		strcpy(copy, bound);
	free(bound);
	return copy;
}

static void
replace(S3ListRanges *r, char **field, const char *value)
{
	if (*field != NULL)
		pfree(*field);
	*field = value ? MemoryContextStrdup(r->cxt, value) : NULL;
}

static Range *
new_range(S3ListRanges *r, const char *lo, const char *hi)
{
	Range	   *rg = MemoryContextAllocZero(r->cxt, sizeof(Range));

	replace(r, &rg->lo, lo);
	replace(r, &rg->hi, hi);
	r->partitions++;
	return rg;
}

static void
release(S3ListRanges *r, PageBuf *buf)
{
	if (--buf->refs > 0)
		return;
	MemoryContextDelete(buf->cxt);
	pfree(buf);
}

/* Drop a partition's page in flight */
static void
drop_fetch(S3ListRanges *r, Range *rg)
{
	if (rg->fetch != NULL)
	{
		s3_list_objects_cancel(rg->fetch);
		rg->fetch = NULL;
		r->in_flight--;
	}
	if (rg->fetch_cxt != NULL)
		MemoryContextDelete(rg->fetch_cxt);
	rg->fetch_cxt = NULL;
}

static void
free_range(S3ListRanges *r, Range *rg)
{
	ListCell   *lc;

	drop_fetch(r, rg);
	foreach(lc, rg->ready)
		release(r, ((ReadyPage *) lfirst(lc))->buf);
	list_free_deep(rg->ready);
	replace(r, &rg->lo, NULL);
	replace(r, &rg->hi, NULL);
	replace(r, &rg->token, NULL);
	replace(r, &rg->ref_x, NULL);
	replace(r, &rg->ref_y, NULL);
	pfree(rg);
}

/*
 * How far a page reaches near partition i and those after it not measured:
 * its last quarter, times four (a page that reaches over the end of a
 * group of keys into the next reaches far, but not its last quarter), and
 * a partition is cut to hold RANGE_PAGES of it
 */
static void
set_ref(S3ListRanges *r, int i, const S3ObjectPage *page, const char *before)
{
	int			total = page->nobjects;
	int			q = (total - 1) / 4;
	const char *x = q > 0 ? ENTRY(page, total - 1 - q) : total >= 2 ? ENTRY(page, 0) : before;
	const char *y = ENTRY(page, total - 1);
	int			scale = (q > 0 ? (total - 1 + q / 2) / q : 1) * RANGE_PAGES;
	int			j;

	for (j = i; j < list_length(r->ranges); j++)
	{
		Range	   *rg = list_nth(r->ranges, j);

		if (j > i && rg->measured)
			break;
		replace(r, &rg->ref_x, x);
		replace(r, &rg->ref_y, y);
		rg->ref_scale = scale;
		rg->measured = j == i;
		rg->uncut = false;
	}
}

/*
 * Cut the partition at index i where its next page is expected to end: a
 * new partition takes the rest.  False when there is nothing to cut.
 *
 * A guess that went past the group of keys lo is in (a table's last month,
 * a day's last hour) is where the next group starts, and what follows it
 * is known only when a page shows it: one group a round trip.  So the
 * groups around it are gone past at once as well: partitions start just
 * past each "/"-group that lo is in (s3_key_group_ends(): after
 * "data/tenant=hooli/table=clicks/dt=..." come ".../table=clickt" and
 * "data/tenant=hoolj"), and their first pages show the next table and the
 * next tenant in the same round trip.  Nothing is cut ahead in them before
 * those pages come.  A listing of a few pages does without: each such
 * partition costs a request.
 */
static bool
split_range(S3ListRanges *r, int i)
{
	Range	   *rg = list_nth(r->ranges, i);
	Range	   *nr;
	s3_guess_input in;
	char	   *bound,
			   *copy;
	int			rc;

	if (rg->ref_x == NULL || rg->uncut)
		return false;
	in.x = rg->ref_x;
	in.y = rg->ref_y;
	in.scale = rg->ref_scale;
	in.lo = rg->lo;
	in.hi = rg->hi;
	in.delimiter = r->delimiter;
	in.places = &r->places;
	rc = s3_key_guess(&in, &bound);
	if (rc < 0)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (rc == 0)
	{
		rg->uncut = true;
		return false;
	}
	if ((copy = adopt_bound(r, bound)) == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	nr = new_range(r, copy, rg->hi);
	pfree(copy);
	/* where a counter was guessed to go on, no guess goes further before a page */
	if (rc != 3)
	{
		replace(r, &nr->ref_x, rg->ref_x);
		replace(r, &nr->ref_y, rg->ref_y);
		nr->ref_scale = rg->ref_scale;
	}
	replace(r, &rg->hi, nr->lo);
	r->ranges = list_insert_nth(r->ranges, i + 1, nr);
	/* in a listing of more pages than are in flight at once */
	if (rc >= 2 && r->requests >= r->concurrency)
		add_group_ends(r, i + 1, rg->lo);
	return true;
}

/*
 * Partitions from just past each group of keys that lo is in, after the
 * partition at index i, which a guess that went past lo's group starts
 */
static void
add_group_ends(S3ListRanges *r, int i, const char *lo)
{
	Range	   *at = list_nth(r->ranges, i);
	char	   *ends[MAX_GROUP_ENDS];
	char	   *copy[MAX_GROUP_ENDS];
	int			n,
				k;

	n = s3_key_group_ends(lo, at->lo, at->hi, r->prefix_len, r->delimiter, ends, MAX_GROUP_ENDS);
	if (n < 0)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	/* every one taken from malloc before anything may throw */
	for (k = 0; k < n; k++)
		copy[k] = adopt_bound(r, ends[k]);
	for (k = 0; k < n; k++)
		if (copy[k] == NULL)
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	for (k = 0; k < n; k++)
	{
		Range	   *nr = new_range(r, copy[k], at->hi);

		pfree(copy[k]);
		replace(r, &at->hi, nr->lo);
		r->ranges = list_insert_nth(r->ranges, ++i, nr);
		at = nr;
	}
}

/* Ask for a partition's next page */
static void
start_range(S3ListRanges *r, Range *rg)
{
	S3ListRequest lr = r->lr;
	MemoryContext old;

	rg->fetch_cxt = AllocSetContextCreate(r->cxt, "s3_fdw page", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(rg->fetch_cxt);
	rg->fetch_lo = pstrdup(rg->lo);
	rg->fetch_after = rg->token == NULL;
	lr.continuation_token = rg->token ? pstrdup(rg->token) : NULL;
	lr.start_after = rg->token ? NULL : rg->fetch_lo;
	lr.start_after_utf8 = true;
	rg->fetch = s3_list_objects_start(r->server, &lr);
	MemoryContextSwitchTo(old);
	r->in_flight++;
	r->requests++;
}

/*
 * Start the pages that may start: up to concurrency in flight, nearest to
 * the partition read now first, and no more than max_held come or coming
 * (but the next page of the partition read now, when it has none come:
 * the listing never waits for pages that are held for later).  A
 * partition with its page asked for is cut where that page is expected to
 * end, so that the next request goes on from there.
 */
static void
schedule(S3ListRanges *r)
{
	int			used = 0;		/* pages come or coming, up to partition i */
	int			i;

	for (i = 0; i < list_length(r->ranges); i++)
	{
		Range	   *rg = list_nth(r->ranges, i);

		if (r->in_flight >= r->concurrency)
			break;
		used += list_length(rg->ready) + (rg->fetch != NULL);
		if (rg->done)
			continue;
		if (rg->fetch == NULL)
		{
			if (used >= r->max_held && !(i == 0 && rg->ready == NIL))
				break;
			start_range(r, rg);
			used++;
		}
		if (r->in_flight < r->concurrency && used < r->max_held)
			split_range(r, i);
	}
}

/* A partition has every entry: its page in flight is not needed */
static void
finish_range(S3ListRanges *r, Range *rg)
{
	rg->done = true;
	drop_fetch(r, rg);
}

/* Hold the entries [from, to) of a page come for a partition */
static void
hold(S3ListRanges *r, Range *rg, PageBuf *buf, const S3ObjectPage *page, int from, int to)
{
	ReadyPage  *rp = MemoryContextAlloc(r->cxt, sizeof(ReadyPage));

	rp->page = MemoryContextAlloc(buf->cxt, sizeof(S3ObjectPage));
	*rp->page = *page;
	rp->page->objects = page->objects + from;
	rp->page->nobjects = to - from;
	rp->buf = buf;
	buf->refs++;
	rg->ready = lappend(rg->ready, rp);
	replace(r, &rg->lo, ENTRY(page, to - 1));
	rg->uncut = false;
}

/*
 * Take the page come for the partition at index i.  It covers every entry
 * after what it was asked for up to its last (to the listing's end when it
 * is the last page): each partition from i on gets the entries of it that
 * fall in it and are new to it; those it covers to their hi are done, and
 * the one it ends in goes on from it with its token.
 */
static void
take_page(S3ListRanges *r, int i)
{
	Range	   *rg = list_nth(r->ranges, i);
	MemoryContext old;
	S3ObjectPage *page;
	PageBuf    *buf;
	bool		guarded = rg->guarded;
	int			total,
				pos = 0,
				j,
				k;

	/* the page asked for before the listing was split has no context yet */
	if (rg->fetch_cxt == NULL)
		rg->fetch_cxt = AllocSetContextCreate(r->cxt, "s3_fdw page", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(rg->fetch_cxt);
	page = s3_list_objects_finish(rg->fetch);
	MemoryContextSwitchTo(old);
	rg->fetch = NULL;
	rg->guarded = false;
	r->in_flight--;
	buf = MemoryContextAlloc(r->cxt, sizeof(PageBuf));
	buf->cxt = rg->fetch_cxt;
	buf->refs = 1;				/* this function's, till its end */
	rg->fetch_cxt = NULL;

	total = page->nobjects;
	if (rg->fetch_after && total > 0 && strcmp(ENTRY(page, 0), rg->fetch_lo) <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_STRING_FORMAT),
				 errmsg_internal("%s", r->what),
				 errdetail("The answer is invalid: asked for the keys after \"%s\", the server listed \"%s\".",
						   s3_escape_bytes(rg->fetch_lo, strlen(rg->fetch_lo)),
						   s3_escape_bytes(ENTRY(page, 0), strlen(ENTRY(page, 0)))),
				 errhint("A server that does not take start-after cannot list in partitions: set the server's or the table's option parallel_listing to 'false'.")));
	for (k = 0; k < total; k++)
		s3_key_places_add(&r->places, ENTRY(page, k));

	for (j = i; j < list_length(r->ranges); j++)
	{
		Range	   *p = list_nth(r->ranges, j);
		int			start;

		while (pos < total && strcmp(ENTRY(page, pos), p->lo) <= 0)
			pos++;
		start = pos;
		while (pos < total && (p->hi == NULL || strcmp(ENTRY(page, pos), p->hi) <= 0))
			pos++;
		if (p->done)
		{
			if (pos < total || !page->is_truncated)
				continue;
			break;
		}
		if (pos > start)
			hold(r, p, buf, page, start, pos);
		if (pos < total || !page->is_truncated)
		{
			/* covered to its hi (or the listing's end) */
			finish_range(r, p);
			continue;
		}
		/* the page ends in this partition: it goes on from the page */
		if (pos > start)
		{
			if (r->guard != NULL && !guarded)
				s3_token_guard_check(r->guard, r->what, page->next_continuation_token);
			replace(r, &p->token, page->next_continuation_token);
			set_ref(r, j, page, rg->fetch_lo);
		}
		break;
	}
	release(r, buf);
}

/* Whether a partition's page in flight has come */
static bool
arrived(const Range *rg)
{
	return rg->fetch != NULL && s3_list_objects_arrived(rg->fetch);
}

/* Take every page that has come; false when none had */
static bool
take_arrived(S3ListRanges *r)
{
	bool		any = false;
	int			i;

	for (i = 0; i < list_length(r->ranges); i++)
		if (arrived(list_nth(r->ranges, i)))
		{
			take_page(r, i);
			any = true;
		}
	return any;
}

/* Whether any page has come (what a wait waits for) */
static bool
any_arrived(void *arg)
{
	S3ListRanges *r = (S3ListRanges *) arg;
	ListCell   *lc;

	foreach(lc, r->ranges)
		if (arrived(lfirst(lc)))
			return true;
	return false;
}

/*
 * Begin the partitioned listing after its first page, whose last entry and
 * continuation token it goes on from; next is the page after it when it
 * was asked for already (with that token), else NULL.  lr is the listing's
 * request: its keys are wanted (S3_WANT_KEY), its strings must outlive the
 * listing.  Everything is allocated under the current memory context.
 */
S3ListRanges *
s3_list_ranges_begin(S3Server *server, const S3ListRequest *lr, const S3ObjectPage *first,
					 const char *token, S3ListFetch *next, int concurrency)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "s3_fdw listing ranges",
											  ALLOCSET_DEFAULT_SIZES);
	S3ListRanges *r = MemoryContextAllocZero(cxt, sizeof(S3ListRanges));
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Range	   *rg;
	size_t		prefix_len = 0;
	const char *x;
	int			k;

	Assert(first->nobjects > 0 && token != NULL);
	r->server = server;
	r->cxt = cxt;
	r->lr = *lr;
	r->lr.continuation_token = NULL;
	r->lr.start_after = NULL;
	r->lr.ahead = false;
	r->guard = lr->guard;
	r->lr.guard = NULL;
	r->what = psprintf(_("could not list objects in bucket \"%s\""), lr->bucket);
	r->concurrency = Max(concurrency, 1);
	r->max_held = Max(2 * r->concurrency, Min(4 * r->concurrency, MAX_HELD));
	x = "";
	if (lr->prefix != NULL)
	{
		x = pg_server_to_any(lr->prefix, strlen(lr->prefix), PG_UTF8);
		prefix_len = strlen(x);
	}
	if (lr->delimiter != NULL && lr->delimiter[0] != '\0')
		r->delimiter = pg_server_to_any(lr->delimiter, strlen(lr->delimiter), PG_UTF8);
	r->prefix_len = prefix_len;
	s3_key_places_init(&r->places, prefix_len);
	for (k = 0; k < first->nobjects; k++)
		s3_key_places_add(&r->places, ENTRY(first, k));

	rg = new_range(r, ENTRY(first, first->nobjects - 1), NULL);
	rg->token = pstrdup(token);
	r->ranges = list_make1(rg);
	/* the first page reaches from its first entry (or the prefix) to its last */
	set_ref(r, 0, first, x);
	if (next != NULL)
	{
		rg->fetch = next;		/* in the caller's context, counted there */
		rg->fetch_lo = pstrdup(rg->lo);
		rg->guarded = true;
		r->in_flight++;
	}
	MemoryContextSwitchTo(old);
	return r;
}

/*
 * The listing's next page, in key order, or NULL at its end.  The page
 * lives in *page_cxt, which may hold other parts of it, and is deleted at
 * a later call (or at the end).
 */
S3ObjectPage *
s3_list_ranges_next(S3ListRanges *r, MemoryContext *page_cxt)
{
	/* the lists of partitions and pages live as long as the listing */
	MemoryContext old = MemoryContextSwitchTo(r->cxt);
	S3ObjectPage *page = NULL;

	if (r->handed != NULL)
		release(r, r->handed);
	r->handed = NULL;
	while (page == NULL)
	{
		Range	   *head;
		ListCell   *lc;
		bool		waited;

		while (r->ranges != NIL)
		{
			head = linitial(r->ranges);
			if (head->ready != NIL)
			{
				ReadyPage  *rp = linitial(head->ready);

				head->ready = list_delete_first(head->ready);
				r->handed = rp->buf;
				*page_cxt = rp->buf->cxt;
				page = rp->page;
				pfree(rp);
				schedule(r);
				break;
			}
			if (!head->done || head->fetch != NULL)
				break;
			r->ranges = list_delete_first(r->ranges);
			free_range(r, head);
		}
		if (page != NULL || r->ranges == NIL)
			break;

		schedule(r);
		if (take_arrived(r))
			continue;
		/* wait for a page: the first partition's, or any that comes before */
		waited = false;
		foreach(lc, r->ranges)
		{
			Range	   *rg = lfirst(lc);

			if (rg->fetch != NULL)
			{
				s3_list_objects_wait(rg->fetch, any_arrived, r);
				waited = true;
				break;
			}
		}
		if (!waited)
			elog(ERROR, "s3_fdw: a partitioned listing has no page to wait for");
		CHECK_FOR_INTERRUPTS();
	}
	MemoryContextSwitchTo(old);
	return page;
}

/* How many requests the listing has made so far, and partitions */
void
s3_list_ranges_counts(S3ListRanges *r, int64 *requests, int *partitions)
{
	*requests = r->requests;
	*partitions = r->partitions;
}

/*
 * End the listing, done or not: pages in flight are dropped, memory freed
 * (s3_list_ranges_counts() says what it made, before)
 */
void
s3_list_ranges_end(S3ListRanges *r)
{
	ListCell   *lc;

	foreach(lc, r->ranges)
	{
		Range	   *rg = lfirst(lc);

		if (rg->fetch != NULL)
			s3_list_objects_cancel(rg->fetch);
		rg->fetch = NULL;
	}
	MemoryContextDelete(r->cxt);
}
