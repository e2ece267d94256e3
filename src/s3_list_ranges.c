/*-------------------------------------------------------------------------
 *
 * s3_list_ranges.c
 *		The rest of a ListObjectsV2 listing after its first page, listed in
 *		partitions of the key range at once and handed out in key order.
 *
 * A listing is a chain: each page needs the continuation token of the one
 * before, so a million keys cost a thousand round trips one after another.
 * Once the first page has come, what is left of the listing is split
 * (key_ranges.c) into partitions (lo, hi]: the first goes on with the
 * page's token, each other is asked for with start-after=lo, and each stops
 * at the first entry above its hi.  Up to max_concurrency pages are in
 * flight across the partitions, the ones read soonest first.  A partition
 * whose page ends below its hi is large: it goes on with its token, and is
 * split again from that page while there are fewer than twice
 * max_concurrency partitions to list.  One whose first page goes past its
 * hi costs that one request; a page that ends the listing ends every
 * partition after it.
 *
 * The pages come out in exactly the order, and with exactly the entries,
 * of the sequential chain: the partitions cover the range without gaps or
 * overlaps, entries outside a partition are dropped, and no bound falls
 * inside a delimiter's group (see key_ranges.c).  Memory is bounded: at
 * most twice max_concurrency pages are held, come or coming (one more for
 * the partition read now), whatever the listing's size.  Each page lives in
 * a memory context of its own, deleted when the next page is handed out;
 * everything else in the listing's context, deleted at the end.
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

/* A page come, not yet handed out */
typedef struct ReadyPage
{
	S3ObjectPage *page;
	MemoryContext cxt;
} ReadyPage;

/* One partition: the entries above lo, up to and with hi */
typedef struct Range
{
	char	   *lo;				/* UTF-8; the last entry listed so far */
	char	   *hi;				/* UTF-8, or NULL: to the listing's end */
	char	   *token;			/* the next page's continuation token, or
								 * NULL: start-after lo */
	bool		done;			/* no page left to ask for */
	S3ListFetch *fetch;			/* the page in flight, or NULL */
	bool		guarded;		/* it checks its token with the listing's
								 * guard itself (asked for before the split) */
	MemoryContext fetch_cxt;	/* its context, or NULL (the caller's) */
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
	int			held;			/* ready pages */
	size_t		min_keys;		/* a new partition should hold about this */
	const char *delimiter;		/* UTF-8, or NULL */
	size_t		prefix_len;		/* of the prefix in UTF-8 */
	MemoryContext handed;		/* the page handed out last, or NULL */
	int64		requests;
	int			partitions;
};

/* The key (or common prefix) of a page's entry i, in UTF-8 */
#define ENTRY(page, i) ((page)->objects[i].key)

static Range *
new_range(S3ListRanges *r, const char *lo, const char *hi)
{
	Range	   *rg = MemoryContextAllocZero(r->cxt, sizeof(Range));

	rg->lo = MemoryContextStrdup(r->cxt, lo);
	rg->hi = hi ? MemoryContextStrdup(r->cxt, hi) : NULL;
	r->partitions++;
	return rg;
}

static int
unfinished(S3ListRanges *r)
{
	ListCell   *lc;
	int			n = 0;

	foreach(lc, r->ranges)
		n += !((Range *) lfirst(lc))->done;
	return n;
}

/*
 * Split what is left of the partition at index i (after rg->lo, its page's
 * last entry), the page being the sample (key_ranges.c).  The partitions
 * to list at most double at each split, up to twice max_concurrency: a
 * listing of a few pages makes a few partitions, one of a million keys
 * reaches max_concurrency pages in flight within a few round trips.
 */
static void
split_range(S3ListRanges *r, int i, const S3ObjectPage *page)
{
	Range	   *rg = list_nth(r->ranges, i);
	int			open = unfinished(r);
	int			room = Min(2 * r->concurrency - open, Max(open, 2));
	s3_key_alphabet *alpha;
	s3_split_input in;
	char	  **bounds;
	size_t		vary;
	int			n,
				k;

	if (room <= 0 || page->nobjects == 0)
		return;
	alpha = palloc(sizeof(s3_key_alphabet));
	s3_key_alphabet_init(alpha);
	vary = s3_key_common_prefix(ENTRY(page, 0), ENTRY(page, page->nobjects - 1));
	for (k = 0; k < page->nobjects; k++)
		s3_key_alphabet_add(alpha, ENTRY(page, k), vary);
	memset(&in, 0, sizeof(in));
	in.lo = rg->lo;
	in.hi = rg->hi;
	in.prefix_len = r->prefix_len;
	in.delimiter = r->delimiter;
	in.first = ENTRY(page, 0);
	in.sample_keys = page->nobjects;
	in.alphabet = alpha;
	in.min_keys = r->min_keys;
	bounds = palloc(sizeof(char *) * room);
	n = s3_key_split(&in, room, bounds);
	if (n < 0)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	for (k = n - 1; k >= 0; k--)
	{
		Range	   *nr = new_range(r, bounds[k], k + 1 < n ? bounds[k + 1] : rg->hi);

		r->ranges = list_insert_nth(r->ranges, i + 1, nr);
	}
	if (n > 0)
		rg->hi = MemoryContextStrdup(r->cxt, bounds[0]);
	for (k = 0; k < n; k++)
		free(bounds[k]);
	pfree(bounds);
	pfree(alpha);
}

/* Ask for a partition's next page */
static void
start_range(S3ListRanges *r, Range *rg)
{
	S3ListRequest lr = r->lr;
	MemoryContext old;

	rg->fetch_cxt = AllocSetContextCreate(r->cxt, "s3_fdw page", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(rg->fetch_cxt);
	lr.continuation_token = rg->token;
	lr.start_after = rg->token ? NULL : rg->lo;
	lr.start_after_utf8 = true;
	rg->fetch = s3_list_objects_start(r->server, &lr);
	MemoryContextSwitchTo(old);
	r->in_flight++;
	r->requests++;
}

/*
 * Start the pages that may start: up to concurrency in flight, the first
 * partitions first, and no more than max_held come or coming (the first
 * partition's next page always may).
 */
static void
schedule(S3ListRanges *r)
{
	ListCell   *lc;

	foreach(lc, r->ranges)
	{
		Range	   *rg = lfirst(lc);

		if (r->in_flight >= r->concurrency)
			break;
		if (rg->done || rg->fetch != NULL)
			continue;
		if (r->held + r->in_flight >= r->max_held &&
			!(foreach_current_index(lc) == 0 && rg->ready == NIL))
			break;
		start_range(r, rg);
	}
}

/*
 * The listing ends with the entry last (UTF-8): the partitions after index
 * i that start at or after it have nothing, and end.
 */
static void
end_after(S3ListRanges *r, int i, const char *last)
{
	int			j;

	for (j = i + 1; j < list_length(r->ranges); j++)
	{
		Range	   *rg = list_nth(r->ranges, j);
		ListCell   *lc;

		if (strcmp(rg->lo, last) < 0)
			continue;

		if (rg->fetch != NULL)
		{
			s3_list_objects_cancel(rg->fetch);
			rg->fetch = NULL;
			r->in_flight--;
		}
		if (rg->fetch_cxt != NULL)
			MemoryContextDelete(rg->fetch_cxt);
		rg->fetch_cxt = NULL;
		foreach(lc, rg->ready)
		{
			MemoryContextDelete(((ReadyPage *) lfirst(lc))->cxt);
			r->held--;
		}
		rg->ready = NIL;
		rg->done = true;
	}
}

/*
 * Take the page come for the partition at index i: its entries within the
 * partition kept, the partition ended, or gone on from the page (and split
 * again, when there is room).
 */
static void
take_page(S3ListRanges *r, int i)
{
	Range	   *rg = list_nth(r->ranges, i);
	MemoryContext old;
	S3ObjectPage *page;
	int			total,
				start = 0,
				cut;

	bool		guarded = rg->guarded;
	bool		after_lo = rg->token == NULL;	/* asked with start-after=lo */

	/* the page asked for before the listing was split has no context yet */
	if (rg->fetch_cxt == NULL)
		rg->fetch_cxt = AllocSetContextCreate(r->cxt, "s3_fdw page", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(rg->fetch_cxt);
	page = s3_list_objects_finish(rg->fetch);
	MemoryContextSwitchTo(old);
	rg->fetch = NULL;
	rg->guarded = false;
	r->in_flight--;

	/* S3 lists what follows lo; what goes past hi is the next partition's */
	total = page->nobjects;
	while (start < total && strcmp(ENTRY(page, start), rg->lo) <= 0)
		start++;
	if (after_lo && start > 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_STRING_FORMAT),
				 errmsg_internal("%s", r->what),
				 errdetail("The answer is invalid: asked for the keys after \"%s\", the server listed \"%s\".",
						   s3_escape_bytes(rg->lo, strlen(rg->lo)),
						   s3_escape_bytes(ENTRY(page, 0), strlen(ENTRY(page, 0)))),
				 errhint("A server that does not take start-after cannot list in partitions: set the server's or the table's option parallel_listing to 'false'.")));
	for (cut = start; cut < total; cut++)
		if (rg->hi != NULL && strcmp(ENTRY(page, cut), rg->hi) > 0)
			break;
	/* the listing ends here: no partition that starts later has entries */
	if (!page->is_truncated)
		end_after(r, i, total > 0 ? ENTRY(page, total - 1) : rg->lo);
	page->objects += start;
	page->nobjects = cut - start;

	if (!page->is_truncated || cut < total)
		rg->done = true;
	else
	{
		/* the partition goes on from this page */
		if (r->guard != NULL && !guarded)
			s3_token_guard_check(r->guard, r->what, page->next_continuation_token);
		if (rg->token)
			pfree(rg->token);
		rg->token = MemoryContextStrdup(r->cxt, page->next_continuation_token);
		if (page->nobjects > 0)
		{
			pfree(rg->lo);
			rg->lo = MemoryContextStrdup(r->cxt, ENTRY(page, page->nobjects - 1));
			split_range(r, i, page);
		}
	}

	if (page->nobjects > 0)
	{
		ReadyPage  *rp = MemoryContextAlloc(r->cxt, sizeof(ReadyPage));

		rp->page = page;
		rp->cxt = rg->fetch_cxt;
		rg->ready = lappend(rg->ready, rp);
		r->held++;
	}
	else
		MemoryContextDelete(rg->fetch_cxt);
	rg->fetch_cxt = NULL;
}

/* Take every page that has come; false when none had */
static bool
take_arrived(S3ListRanges *r)
{
	bool		any = false;
	int			i;

	for (i = 0; i < list_length(r->ranges); i++)
	{
		Range	   *rg = list_nth(r->ranges, i);

		if (rg->fetch != NULL && s3_list_objects_arrived(rg->fetch))
		{
			take_page(r, i);
			any = true;
		}
	}
	return any;
}

static bool
any_arrived(void *arg)
{
	S3ListRanges *r = (S3ListRanges *) arg;
	ListCell   *lc;

	foreach(lc, r->ranges)
	{
		Range	   *rg = lfirst(lc);

		if (rg->fetch != NULL && s3_list_objects_arrived(rg->fetch))
			return true;
	}
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
					 const char *token, S3ListFetch *next, int concurrency, int page_size)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "s3_fdw listing ranges",
											  ALLOCSET_DEFAULT_SIZES);
	S3ListRanges *r = MemoryContextAllocZero(cxt, sizeof(S3ListRanges));
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Range	   *rg;

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
	r->max_held = 2 * r->concurrency;
	r->min_keys = (size_t) 2 * (page_size > 0 ? page_size : 1000);
	if (lr->prefix != NULL)
		r->prefix_len = strlen(pg_server_to_any(lr->prefix, strlen(lr->prefix), PG_UTF8));
	if (lr->delimiter != NULL && lr->delimiter[0] != '\0')
		r->delimiter = pg_server_to_any(lr->delimiter, strlen(lr->delimiter), PG_UTF8);

	rg = new_range(r, ENTRY(first, first->nobjects - 1), NULL);
	rg->token = pstrdup(token);
	r->ranges = list_make1(rg);
	if (next != NULL)
	{
		rg->fetch = next;		/* in the caller's context, counted there */
		rg->guarded = true;
		r->in_flight++;
	}
	split_range(r, 0, first);
	MemoryContextSwitchTo(old);
	return r;
}

/*
 * The listing's next page, in key order, or NULL at its end.  The page
 * lives in *page_cxt, which is deleted at the next call.
 */
S3ObjectPage *
s3_list_ranges_next(S3ListRanges *r, MemoryContext *page_cxt)
{
	/* the lists of partitions and pages live as long as the listing */
	MemoryContext old = MemoryContextSwitchTo(r->cxt);
	S3ObjectPage *page = NULL;

	if (r->handed != NULL)
		MemoryContextDelete(r->handed);
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
				r->held--;
				r->handed = rp->cxt;
				*page_cxt = rp->cxt;
				page = rp->page;
				pfree(rp);
				schedule(r);
				break;
			}
			if (!head->done || head->fetch != NULL)
				break;
			r->ranges = list_delete_first(r->ranges);
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
 * End the listing, done or not: pages in flight are dropped, memory freed.
 * Says how many requests it made, and how many partitions.
 */
void
s3_list_ranges_end(S3ListRanges *r, int64 *requests, int *partitions)
{
	ListCell   *lc;

	foreach(lc, r->ranges)
	{
		Range	   *rg = lfirst(lc);

		if (rg->fetch != NULL)
			s3_list_objects_cancel(rg->fetch);
		rg->fetch = NULL;
	}
	if (requests)
		*requests = r->requests;
	if (partitions)
		*partitions = r->partitions;
	MemoryContextDelete(r->cxt);
}
