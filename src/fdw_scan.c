/*-------------------------------------------------------------------------
 *
 * fdw_scan.c
 *		The scan of a foreign table: the request a (re)scan makes, with the
 *		values of its parameters, outer references and outer rows applied
 *		(one listing per value of a list condition), its pages of keys (or,
 *		with versions 'true', of versions: ListObjectVersions), the rows
 *		made of them, and EXPLAIN.
 *
 * Past its first page, a listing of every page goes on in key-range
 * partitions listed at once (s3_list_ranges.c), unless parallel_listing
 * says not to: the pages still come in key order, each in a context of its
 * own that the next page replaces.
 *
 * The content and tags columns: the bodies (GetObject) and the tags
 * (GetObjectTagging) of the next objects of the page are fetched
 * concurrently, up to max_concurrency requests in flight (and about
 * PREFETCH_BYTES of listed sizes), rows still returned in listing order.
 * The window opens gradually (1, 2, 4... requests), so that a LIMIT that
 * stops early leaves few requests wasted (none for LIMIT 1).
 *
 * Memory: each page of keys lives in a context reset before the next page
 * is fetched; each row's values in a context reset for every row; each
 * object fetched ahead in a context of its own, deleted once its row is
 * past; the values of a (re)scan's parameters in a context reset at every
 * rescan.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_foreign_table.h"
#include "catalog/pg_type.h"
#include "commands/explain.h"
#if PG_VERSION_NUM >= 180000
/* 18 split ExplainState and the ExplainProperty functions out of explain.h */
#include "commands/explain_format.h"
#include "commands/explain_state.h"
#endif
#include "executor/executor.h"
#include "foreign/foreign.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "parser/parsetree.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "credentials.h"
#include "fdw_modify_guard.h"
#include "fdw_scan.h"
#include "pushdown.h"
#include "s3_values.h"
#include "s3_xml.h"

/* listed bytes fetched ahead at most (one object may be larger) */
#define PREFETCH_BYTES ((int64) 64 * 1024 * 1024)

/* whether the query reads the tags column (one GetObjectTagging a row) */
#define NEED_TAGS(plan) (((plan)->needed_cols & COLBIT(COL_TAGS)) != 0)

/* An object of the page whose body or tags are fetched ahead */
typedef struct S3Ahead
{
	MemoryContext cxt;			/* its requests and answers, or NULL */
	S3ObjectFetch *fetch;		/* its body, or NULL */
	S3TagsFetch *tags;			/* its tags, or NULL */
	int			requests;		/* in flight for it */
} S3Ahead;

typedef struct S3ScanState
{
	S3Server   *server;
	S3ScanPlan *plan;			/* as planned */
	S3ScanPlan *run;			/* as this (re)scan runs: with run-time values */
	bool		statement_writes;	/* keys are needed to skip what it creates */
	List	   *param_states;	/* ExprStates of fdw_exprs */
	MemoryContext scan_cxt;		/* reset at every rescan */
	int			colmap[MaxTupleAttributeNumber];	/* attnum-1 -> S3Column, or -1 */
	TupleDesc	tupdesc;
	MemoryContext page_cxts[2];	/* the page's, and the next page's */
	int			cur;			/* which holds the page */
	MemoryContext page_cxt;		/* = page_cxts[cur] */
	S3ListFetch *next_fetch;	/* the next page, asked for ahead, or NULL */
	int			pages;			/* of this listing so far */
	int64		remaining;		/* keys max_keys still lets the listing give */
	char	   *next_token;		/* the token it was asked with */
	MemoryContext row_cxt;
	S3ObjectPage *page;
	int			next;			/* next object in page */
	bool		done;
	char	   *resume_token;	/* continuation token of the next page */
	S3TokenGuard guard;			/* tokens of this listing (in scan_cxt) */
	S3ScanPlan *base;			/* the run plan before a list's value */
	int			any_col;		/* the column of an OP_ANY condition, or -1 */
	List	   *any_values;		/* its distinct values (Datums), in scan_cxt */
	int			any_next;		/* the next value to scan */
	char	   *what_list;		/* "list objects in bucket ..." */
	S3ListRanges *ranges;		/* the listing after its first page, in
								 * partitions at once, or NULL */
	int			partitions;		/* of the listings so far */
	int64		list_requests;
	int64		get_requests;
	int64		tag_requests;
	/* the content and tags columns' bodies and tags, fetched ahead */
	int			max_concurrency;
	MemoryContext fetch_cxt;	/* parent of the S3Ahead contexts */
	S3Ahead    *ahead;			/* one per object of the page, or NULL */
	int			ahead_next;		/* the next object to start */
	int			ahead_running;	/* requests started, not yet returned */
	int64		ahead_bytes;	/* the listed sizes of the bodies among them */
	int			content_rows;	/* rows fetched so far (the window) */
	MemoryContext past_cxt;		/* the last row's body and tags, deleted
								 * at the next */
} S3ScanState;

void
s3BeginForeignScan(ForeignScanState *node, int eflags)
{
	ForeignScan *fs = (ForeignScan *) node->ss.ps.plan;
	Relation	rel = node->ss.ss_currentRelation;
	S3ScanState *st = palloc0(sizeof(S3ScanState));
	Oid			userid;

	st->plan = s3_list_to_plan(fs->fdw_private);
	st->tupdesc = RelationGetDescr(rel);
	st->statement_writes = node->ss.ps.state->es_plannedstmt->commandType != CMD_SELECT ||
		node->ss.ps.state->es_plannedstmt->hasModifyingCTE;
	s3_map_columns(rel, st->colmap);
	node->fdw_state = st;
	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;

	st->server = s3_server_from_oid(GetForeignTable(RelationGetRelid(rel))->serverid);
	/*
	 * The keys of the role the table is read as (a view's owner, say), loaded
	 * here so that they outlive the page contexts.
	 */
#if PG_VERSION_NUM >= 160000
	userid = OidIsValid(fs->checkAsUser) ? fs->checkAsUser : GetUserId();
#else
	{
		RangeTblEntry *rte = exec_rt_fetch(fs->scan.scanrelid, node->ss.ps.state);

		userid = OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
	}
#endif
	s3_load_credentials_for(st->server, userid);
	st->page_cxts[0] = AllocSetContextCreate(CurrentMemoryContext, "s3_fdw page",
											 ALLOCSET_DEFAULT_SIZES);
	st->page_cxts[1] = AllocSetContextCreate(CurrentMemoryContext, "s3_fdw page",
											 ALLOCSET_DEFAULT_SIZES);
	st->page_cxt = st->page_cxts[0];
	st->row_cxt = AllocSetContextCreate(CurrentMemoryContext, "s3_fdw row",
										ALLOCSET_DEFAULT_SIZES);
	st->scan_cxt = AllocSetContextCreate(CurrentMemoryContext, "s3_fdw scan",
										 ALLOCSET_SMALL_SIZES);
	st->fetch_cxt = AllocSetContextCreate(CurrentMemoryContext, "s3_fdw objects ahead",
										  ALLOCSET_SMALL_SIZES);
	{
		S3TableOptions topts;

		s3_table_options(GetForeignTable(RelationGetRelid(rel))->options, &topts);
		st->max_concurrency = s3_table_concurrency(&topts, st->server);
	}
	st->param_states = ExecInitExprList(fs->fdw_exprs, (PlanState *) node);
}

/*
 * The distinct, non-NULL elements of a list condition's array, copied into
 * the current memory context.
 */
static List *
distinct_elements(Datum array, int col)
{
	ArrayType  *arr = DatumGetArrayTypeP(array);
	Oid			elemtype = col == COL_MAX_KEYS ? INT4OID : TEXTOID;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;
	List	   *values = NIL;

	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(arr, elemtype, typlen, typbyval, typalign, &elems, &nulls, &n);
	for (i = 0; i < n; i++)
	{
		ListCell   *lc;
		bool		seen = false;

		if (nulls[i])
			continue;
		foreach(lc, values)
			if (col == COL_MAX_KEYS
				? DatumGetInt32((Datum) lfirst(lc)) == DatumGetInt32(elems[i])
				: DatumGetBool(DirectFunctionCall2Coll(texteq, C_COLLATION_OID,
													   (Datum) lfirst(lc), elems[i])))
				seen = true;
		if (!seen)
			values = lappend(values, (void *) (col == COL_MAX_KEYS ? elems[i]
											   : PointerGetDatum(PG_DETOAST_DATUM_COPY(elems[i]))));
	}
	return values;
}

/*
 * Start the listing (or lookup) of the next value of a list condition, or
 * of the only request when there is none; false when there is no more.
 */
static bool
begin_listing(S3ScanState *st)
{
	MemoryContext old = MemoryContextSwitchTo(st->scan_cxt);

	for (;;)
	{
		st->run = palloc(sizeof(S3ScanPlan));
		*st->run = *st->base;
		if (st->any_col >= 0)
		{
			if (st->any_next >= list_length(st->any_values))
			{
				MemoryContextSwitchTo(old);
				return false;
			}
			s3_apply_condition(st->run, st->any_col, OP_EQ,
							(Datum) list_nth(st->any_values, st->any_next++), false);
		}
		s3_finish_conditions(st->run);
		if (!st->run->empty || st->any_col < 0)
			break;
	}
	if (!st->run->empty)
	{
		if (st->run->bucket == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("bucket must not be null")));
		s3_check_bucket_arg(st->run->bucket);
		st->what_list = psprintf(_("could not list objects in bucket \"%s\""), st->run->bucket);
	}
	s3_token_guard_init(&st->guard, st->scan_cxt);
	st->pages = 0;
	st->remaining = st->run->single_page ? st->run->max_keys : -1;
	st->resume_token = NULL;
	st->page = NULL;
	st->next = 0;
	st->done = st->run->empty;
	MemoryContextSwitchTo(old);
	return true;
}

/*
 * Work out this (re)scan's request: the plan's, with the values of its
 * parameters, outer references and outer row applied.  A list condition
 * (= ANY, IN) makes one request per distinct value, one after another.
 */
static void
start_scan(ForeignScanState *node, S3ScanState *st)
{
	ExprContext *econtext = node->ss.ps.ps_ExprContext;
	MemoryContext old = MemoryContextSwitchTo(st->scan_cxt);
	ListCell   *lc;
	int			i = 0;

	st->base = palloc(sizeof(S3ScanPlan));
	*st->base = *st->plan;
	st->any_col = -1;
	st->any_values = NIL;
	st->any_next = 0;
	foreach(lc, st->param_states)
	{
		bool		isnull;
		Datum		v = ExecEvalExpr((ExprState *) lfirst(lc), econtext, &isnull);
		S3CondOp	op;
		int			col = s3_run_cond(st->plan, i, &op, NULL);

		if (op != OP_ANY)
			s3_apply_condition(st->base, col, op, v, isnull);
		else
		{
			st->any_col = col;
			st->any_values = isnull ? NIL : distinct_elements(v, col);
		}
		i++;
	}
	MemoryContextSwitchTo(old);
	(void) begin_listing(st);
}

/*
 * Drop the bodies and tags fetched ahead (the page is done, the scan ends
 * or starts again): requests still in flight are cancelled, their memory
 * freed.
 */
static void
drop_ahead(S3ScanState *st)
{
	int			i;

	if (st->ahead != NULL)
	{
		for (i = 0; i < st->page->nobjects; i++)
			if (st->ahead[i].cxt != NULL)
			{
				if (st->ahead[i].fetch != NULL)
					s3_get_object_cancel(st->ahead[i].fetch);
				if (st->ahead[i].tags != NULL)
					s3_get_tags_cancel(st->ahead[i].tags);
				MemoryContextDelete(st->ahead[i].cxt);
			}
	}
	st->ahead = NULL;
	st->ahead_next = 0;
	st->ahead_running = 0;
	st->ahead_bytes = 0;
	if (st->past_cxt != NULL)
		MemoryContextDelete(st->past_cxt);
	st->past_cxt = NULL;
}

/*
 * Whether an object's body or tags may be fetched ahead: its key, as S3
 * listed it (UTF-8), needs no conversion to name it in messages.  Other
 * keys are converted (or refused) at their row, and fetched there.
 */
static bool
fetch_ahead_ok(const char *key)
{
	const char *p;

	for (p = key; *p; p++)
		if (IS_HIGHBIT_SET(*p))
			return GetDatabaseEncoding() == PG_UTF8 &&
				pg_verify_mbstr(PG_UTF8, key, strlen(key), true);
	return true;
}

/*
 * Whether a row of the page has tags to fetch: a folder (common prefix)
 * has none, nor has a delete marker
 */
static bool
has_tags(const S3ObjectInfo *o)
{
	return !o->is_prefix && !o->is_delete_marker;
}

/*
 * Start the requests of the next objects of the page (a GET for the body,
 * a GetObjectTagging for the tags, as the query wants them), up to the
 * window: at most max_concurrency requests, 2^(rows so far) while the scan
 * is young, and PREFETCH_BYTES of listed sizes of bodies (but always one
 * object).
 */
static void
fill_window(S3ScanState *st)
{
	int			window = st->max_concurrency;
	bool		content = st->plan->need_content;
	bool		tags = NEED_TAGS(st->plan);

	if (st->content_rows < 6)
		window = Min(window, 1 << st->content_rows);
	if (st->ahead == NULL)
		st->ahead = MemoryContextAllocZero(st->page_cxt,
										   sizeof(S3Ahead) * Max(st->page->nobjects, 1));
	while (st->ahead_next < st->page->nobjects && st->ahead_running < window)
	{
		S3ObjectInfo *o = &st->page->objects[st->ahead_next];
		S3Ahead    *a = &st->ahead[st->ahead_next];
		bool		body = content && !o->is_delete_marker;	/* a marker has none */
		int64		size = body ? Max(o->size, 0) : 0;
		int			requests = (body ? 1 : 0) + (tags && has_tags(o) ? 1 : 0);
		MemoryContext old;

		if (o->is_prefix || requests == 0 || !fetch_ahead_ok(o->key))
		{
			st->ahead_next++;	/* fetched at its row, or nothing to fetch */
			continue;
		}
		if (st->ahead_running > 0 &&
			(st->ahead_running + requests > window || st->ahead_bytes + size > PREFETCH_BYTES))
			break;
		a->cxt = AllocSetContextCreate(st->fetch_cxt, "s3_fdw object",
									   ALLOCSET_SMALL_SIZES);
		old = MemoryContextSwitchTo(a->cxt);
		if (body)
		{
			a->fetch = s3_get_object_start(st->server, st->run->bucket, o->key, o->key,
										   o->version_id);
			st->get_requests++;
		}
		if (tags && has_tags(o))
		{
			a->tags = s3_get_tags_start(st->server, st->run->bucket, o->key, o->key,
										o->version_id);
			st->tag_requests++;
		}
		MemoryContextSwitchTo(old);
		a->requests = requests;
		st->ahead_next++;
		st->ahead_running += requests;
		st->ahead_bytes += size;
	}
}

/*
 * What the query wants of the page's object number i (the row being
 * returned), fetched ahead or now: its body and type when raw is not NULL,
 * its tags (a jsonb Datum) when tags is not NULL.  key is its name in the
 * database encoding.
 */
static void
object_fetched(S3ScanState *st, int i, const char *key, bytea **raw, char **content_type,
			   Datum *tags)
{
	S3ObjectInfo *o = &st->page->objects[i];
	S3Ahead    *a;

	if (st->past_cxt != NULL)
		MemoryContextDelete(st->past_cxt);
	st->past_cxt = NULL;
	fill_window(st);
	a = &st->ahead[i];
	if (a->cxt == NULL)
	{
		/* not fetched ahead: now, named in the database encoding */
		char	   *ukey = s3_check_key_arg(key);
		S3ObjectFetch *f = NULL;
		S3TagsFetch *t = NULL;

		if (raw != NULL)
		{
			st->get_requests++;
			f = s3_get_object_start(st->server, st->run->bucket, ukey, key, o->version_id);
		}
		if (tags != NULL)
		{
			st->tag_requests++;
			t = s3_get_tags_start(st->server, st->run->bucket, ukey, key, o->version_id);
		}
		if (f != NULL)
			*raw = s3_get_object_finish(f, content_type);
		if (t != NULL)
			*tags = s3_get_tags_finish(t);
		return;
	}
	if (a->fetch != NULL)
		*raw = s3_get_object_finish(a->fetch, content_type);
	if (a->tags != NULL)
		*tags = s3_get_tags_finish(a->tags);
	/* freed at the next row; the window goes on meanwhile */
	st->past_cxt = a->cxt;
	a->cxt = NULL;
	st->ahead_running -= a->requests;
	if (a->fetch != NULL)
		st->ahead_bytes -= Max(o->size, 0);
	a->fetch = NULL;
	a->tags = NULL;
	st->content_rows++;
}

/* Drop the next page asked for ahead, if any. */
static void
drop_next_page(S3ScanState *st)
{
	if (st->next_fetch != NULL)
		s3_list_objects_cancel(st->next_fetch);
	st->next_fetch = NULL;
	st->next_token = NULL;
}

/*
 * Whether a plan's listing may go on in partitions after its first page
 * (s3_list_ranges.c): a listing of every page, ListObjectsV2's, when the
 * table's parallel_listing allows.  Not when a LIMIT or max_keys makes the
 * pages few, nor when the query reads next_continuation_token (a page's
 * token in the sequential chain).
 */
static bool
plan_may_partition(const S3ScanPlan *p)
{
	return p->parallel > 0 && !p->versions && !p->single_page && !p->key_lookup &&
		p->max_keys == 0 && !(p->needed_cols & COLBIT(COL_NEXT_CONTINUATION_TOKEN));
}

/* ... and this (re)scan's, with its run-time values */
static bool
may_partition(S3ScanState *st)
{
	return plan_may_partition(st->run) && st->remaining < 0;
}

/* End a partitioned listing, if any: its pages in flight dropped */
static void
end_ranges(S3ScanState *st)
{
	int64		requests;
	int			partitions;

	if (st->ranges == NULL)
		return;
	s3_list_ranges_counts(st->ranges, &requests, &partitions);
	s3_list_ranges_end(st->ranges);
	st->ranges = NULL;
	st->list_requests += requests;
	st->partitions += partitions;
}

/* The request for a page of this listing, from token on */
static void
page_request(S3ScanState *st, S3ListRequest *lr, const char *token, bool ahead)
{
	memset(lr, 0, sizeof(*lr));
	lr->bucket = st->run->bucket;
	lr->prefix = st->run->prefix;
	lr->start_after = st->run->start_after;
	lr->delimiter = st->run->delimiter;
	/* max_keys above a page: pages of page_size, the last one what is left */
	lr->max_keys = st->remaining > 0 ? (int) Min(st->remaining, st->plan->page_size)
		: st->run->max_keys > 0 ? st->run->max_keys
		: st->plan->page_size < 1000 ? st->plan->page_size : 0;
	lr->continuation_token = token;
	lr->guard = &st->guard;
	/*
	 * The fields the query reads (a row with content or tags needs the key;
	 * so does a statement that writes, to skip the objects it created)
	 */
	lr->want = S3_WANT_KEY | S3_WANT_LAST_MODIFIED | S3_WANT_ETAG | S3_WANT_STORAGE_CLASS;
	if (!(st->plan->needed_cols & COLBIT(COL_KEY)) && !st->plan->need_content &&
		!NEED_TAGS(st->plan) && !st->statement_writes)
		lr->want &= ~S3_WANT_KEY;
	if (!(st->plan->needed_cols & COLBIT(COL_LAST_MODIFIED)))
		lr->want &= ~S3_WANT_LAST_MODIFIED;
	if (!(st->plan->needed_cols & COLBIT(COL_ETAG)))
		lr->want &= ~S3_WANT_ETAG;
	if (!(st->plan->needed_cols & COLBIT(COL_STORAGE_CLASS)))
		lr->want &= ~S3_WANT_STORAGE_CLASS;
	/* a listing that may go on in partitions compares keys with their bounds */
	if (may_partition(st))
		lr->want |= S3_WANT_KEY;
	if (lr->want == 0)
		lr->want = S3_WANT_NONE;
	/* a page asked for ahead: its token is checked when the page before ends */
	lr->ahead = ahead;
}

/*
 * The next page of ListObjectVersions (a table with versions 'true'), into
 * the other page context: read whole, one page after another (none is
 * asked for ahead).  The listing goes on from the markers the page gave,
 * kept in resume_token as "key-marker\nversion-id-marker" (UTF-8).  A key
 * lookup (key = value) keeps the key's versions only, and pages on only
 * while the page ends with them: versions come by key, and the key's own
 * come before longer keys'.
 */
static bool
fetch_versions_page(S3ScanState *st)
{
	S3ListRequest lr;
	MemoryContext old;
	S3ObjectPage *page;
	int			other = 1 - st->cur;
	bool		more = !st->run->single_page || st->remaining > 1000;

	MemoryContextReset(st->page_cxts[other]);
	old = MemoryContextSwitchTo(st->page_cxts[other]);
	page_request(st, &lr, st->resume_token ? NULL : st->run->continuation_token, false);
	if (st->resume_token != NULL)
	{
		char	   *km = pstrdup(st->resume_token);
		char	   *nl = strrchr(km, '\n');

		*nl = '\0';
		lr.key_marker = km;
		lr.version_id_marker = nl[1] ? nl + 1 : NULL;
	}
	page = s3_list_object_versions(st->server, &lr);
	MemoryContextSwitchTo(old);
	st->list_requests++;

	st->page = NULL;
	MemoryContextReset(st->page_cxts[st->cur]);
	st->page = page;
	st->cur = other;
	st->page_cxt = st->page_cxts[other];
	st->next = 0;
	st->pages++;
	if (st->remaining > 0)
	{
		st->remaining -= page->nobjects;
		more = st->remaining > 0;
	}
	if (st->run->key_lookup && st->run->prefix != NULL)
	{
		/*
		 * The key's versions come first (the prefix is the key, or a longer
		 * prefix that no key asked for can match): the rest of the page is
		 * no row of the query, nor is any page after it.
		 */
		const char *utf8 = pg_server_to_any(st->run->prefix, strlen(st->run->prefix), PG_UTF8);
		int			n = 0;

		while (n < page->nobjects && strcmp(page->objects[n].key, utf8) == 0)
			n++;
		if (n < page->nobjects)
		{
			page->nobjects = n;
			more = false;
		}
	}

	st->resume_token = NULL;
	if (page->is_truncated && more)
		st->resume_token = MemoryContextStrdup(st->scan_cxt, page->next_continuation_token);
	else
		st->done = true;
	return true;
}

/*
 * Fetch the next page into the other page context; false when there is
 * none.  As soon as the page's continuation token is known (S3 sends it
 * before the keys), the page after it is asked for too, into the context
 * of the page that is done: its wait overlaps this page's transfer and
 * rows.  (A scan that stops early, at a LIMIT the planner could not push,
 * leaves one page asked for in vain.)
 */
static bool
fetch_page(S3ScanState *st)
{
	S3ListRequest lr;
	MemoryContext old;
	S3ListFetch *f;
	int			other = 1 - st->cur;
	bool		more;
	char	   *token = NULL;

	/* a list condition's next value, when this one is done */
	while (st->done)
		if (st->any_col < 0 || !begin_listing(st))
			return false;
	drop_ahead(st);
	if (st->ranges != NULL)
	{
		/* the next page of the partitions, in key order */
		MemoryContext cxt;
		S3ObjectPage *page;

		st->page = NULL;
		page = s3_list_ranges_next(st->ranges, &cxt);
		if (page == NULL)
		{
			end_ranges(st);
			st->done = true;
			return fetch_page(st);
		}
		st->page = page;
		st->page_cxt = cxt;
		st->next = 0;
		st->pages++;
		return true;
	}
	if (st->plan->versions)
		return fetch_versions_page(st);
	more = (!st->run->single_page || st->remaining > 1000) && !st->run->key_lookup;
	if (st->next_fetch != NULL)
	{
		f = st->next_fetch;		/* already in the other context */
		st->next_fetch = NULL;
	}
	else
	{
		MemoryContextReset(st->page_cxts[other]);
		old = MemoryContextSwitchTo(st->page_cxts[other]);
		page_request(st, &lr, st->resume_token ? st->resume_token : st->run->continuation_token,
					 false);
		f = s3_list_objects_start(st->server, &lr);
		MemoryContextSwitchTo(old);
		st->list_requests++;
	}

	/* the page that is done makes room for the one after this */
	st->page = NULL;
	MemoryContextReset(st->page_cxts[st->cur]);
	/*
	 * A page size from max_keys (or a LIMIT) may well be all the query
	 * wants: the page after the first is asked for ahead only when S3 pages
	 * by 1,000 keys.
	 */
	if (more && !st->run->single_page && (st->run->max_keys == 0 || st->pages > 0) &&
		s3_list_objects_next_token(f, &token) && token != NULL)
	{
		old = MemoryContextSwitchTo(st->page_cxts[st->cur]);
		st->next_token = pstrdup(token);
		page_request(st, &lr, st->next_token, true);
		st->next_fetch = s3_list_objects_start(st->server, &lr);
		MemoryContextSwitchTo(old);
		st->list_requests++;
	}

	old = MemoryContextSwitchTo(st->page_cxts[other]);
	st->page = s3_list_objects_finish(f);
	MemoryContextSwitchTo(old);
	st->cur = other;
	st->page_cxt = st->page_cxts[other];
	st->next = 0;
	st->pages++;
	if (st->remaining > 0)
	{
		st->remaining -= st->page->nobjects;
		more = st->remaining > 0 && !st->run->key_lookup;
	}

	/* the token outlives the page it came with */
	st->resume_token = NULL;
	if (st->page->is_truncated && more)
	{
		st->resume_token = MemoryContextStrdup(st->scan_cxt, st->page->next_continuation_token);
		/* asked with another token (a try of the page that was cut off)? */
		if (st->next_fetch != NULL && strcmp(st->next_token, st->resume_token) != 0)
			drop_next_page(st);
		/*
		 * The rest of the listing in partitions at once: the page after
		 * this one, if asked for, is theirs (its memory stays where it is
		 * until the listing ends)
		 */
		if (st->pages == 1 && may_partition(st) && st->page->nobjects > 0)
		{
			S3ListRequest plr;

			old = MemoryContextSwitchTo(st->scan_cxt);
			page_request(st, &plr, NULL, false);
			st->ranges = s3_list_ranges_begin(st->server, &plr, st->page, st->resume_token,
											  st->next_fetch, st->plan->parallel);
			MemoryContextSwitchTo(old);
			st->next_fetch = NULL;
			st->next_token = NULL;
			st->resume_token = NULL;
		}
	}
	else
	{
		drop_next_page(st);
		st->done = true;
	}
	return true;
}

TupleTableSlot *
s3IterateForeignScan(ForeignScanState *node)
{
	S3ScanState *st = (S3ScanState *) node->fdw_state;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	S3ObjectInfo *o;
	MemoryContext old;
	char	   *key = NULL;
	bytea	   *raw = NULL;
	char	   *content_type = NULL;
	Datum		tags = (Datum) 0;
	bool		want_tags = NEED_TAGS(st->plan);
	int			i;

	ExecClearTuple(slot);
	if (st->base == NULL)
		start_scan(node, st);
	for (;;)
	{
		while (st->page == NULL || st->next >= st->page->nobjects)
		{
			if (!fetch_page(st))
				return slot;
		}
		o = &st->page->objects[st->next++];
		/* not an object this statement created itself (fdw_modify.c) */
		if (!s3_created_here(node->ss.ps.state, st->run->bucket, o->key))
			break;
	}

	MemoryContextReset(st->row_cxt);
	old = MemoryContextSwitchTo(st->row_cxt);
	/* in the database encoding, only when the row needs it */
	if ((st->plan->needed_cols & COLBIT(COL_KEY)) || st->plan->need_content || want_tags)
		key = s3_text_from_utf8(o->key, st->run->bucket);
	/*
	 * the body, and its type, for content and content_type (a folder has
	 * none); the tags (a folder and a delete marker have none)
	 */
	want_tags = want_tags && has_tags(o);
	if ((st->plan->need_content && !o->is_prefix && !o->is_delete_marker) || want_tags)
	{
		object_fetched(st, st->next - 1, key,
					   st->plan->need_content && !o->is_prefix && !o->is_delete_marker ? &raw : NULL,
					   &content_type,
					   want_tags ? &tags : NULL);
		if (content_type != NULL)
			content_type = s3_text_from_utf8(content_type, st->run->bucket);
	}
	for (i = 0; i < st->tupdesc->natts; i++)
	{
		Datum	   *v = &slot->tts_values[i];
		bool	   *isnull = &slot->tts_isnull[i];

		*isnull = false;
		if (st->colmap[i] < 0 || (st->plan->needed_cols & COLBIT(st->colmap[i])) == 0)
		{
			*isnull = true;		/* not used by the query */
			continue;
		}
		switch (st->colmap[i])
		{
			case COL_KEY:
				*v = CStringGetTextDatum(key);
				break;
			case COL_SIZE:
				*isnull = o->size < 0;
				*v = Int64GetDatum(o->size);
				break;
			case COL_LAST_MODIFIED:
				*isnull = o->last_modified == NULL;
				if (!*isnull)
					*v = s3_timestamptz(o->last_modified, st->what_list, "LastModified");
				break;
			case COL_ETAG:
				*v = s3_text_datum_or_null(o->etag, isnull);
				break;
			case COL_STORAGE_CLASS:
				*v = s3_text_datum_or_null(o->storage_class, isnull);
				break;
			case COL_BUCKET:
				*v = CStringGetTextDatum(st->run->bucket);
				break;
			case COL_PREFIX:
				*v = s3_text_datum_or_null(st->run->echo_prefix, isnull);
				break;
			case COL_START_AFTER:
				*v = s3_text_datum_or_null(st->run->echo_start_after, isnull);
				break;
			case COL_MAX_KEYS:
				*isnull = !st->run->single_page;
				*v = Int32GetDatum(st->run->echo_max_keys);
				break;
			case COL_CONTINUATION_TOKEN:
				*v = s3_text_datum_or_null(st->run->echo_token, isnull);
				break;
			case COL_DELIMITER:
				*v = s3_text_datum_or_null(st->run->delimiter, isnull);
				break;
			case COL_IS_PREFIX:
				*v = BoolGetDatum(o->is_prefix);
				break;
			case COL_NEXT_CONTINUATION_TOKEN:
				/* a versions listing's names a key: in UTF-8 */
				*v = s3_text_datum_or_null(!st->page->is_truncated ? NULL :
										   st->plan->versions
										   ? s3_text_from_utf8(st->page->next_continuation_token,
															   st->run->bucket)
										   : st->page->next_continuation_token, isnull);
				break;
			case COL_CONTENT:
				if (raw == NULL)
					*isnull = true; /* a folder has no body */
				else if (TupleDescAttr(st->tupdesc, i)->atttypid == BYTEAOID)
					*v = PointerGetDatum(raw);
				else
					*v = PointerGetDatum(s3_object_as_text(raw, st->run->bucket, key));
				break;
			case COL_CONTENT_TYPE:
				*v = s3_text_datum_or_null(content_type, isnull);
				break;
			case COL_TAGS:
				*isnull = !want_tags;
				*v = tags;
				break;
			case COL_VERSION_ID:
				*v = s3_text_datum_or_null(o->version_id, isnull);
				break;
			case COL_IS_LATEST:
				*isnull = o->is_prefix;	/* a folder is no version */
				*v = BoolGetDatum(o->is_latest);
				break;
			case COL_IS_DELETE_MARKER:
				*isnull = o->is_prefix;
				*v = BoolGetDatum(o->is_delete_marker);
				break;
			default:
				*isnull = true;
				break;
		}
	}
	MemoryContextSwitchTo(old);
	return ExecStoreVirtualTuple(slot);
}

void
s3ReScanForeignScan(ForeignScanState *node)
{
	S3ScanState *st = (S3ScanState *) node->fdw_state;

	drop_ahead(st);
	drop_next_page(st);
	end_ranges(st);
	st->content_rows = 0;
	st->page = NULL;
	st->next = 0;
	st->run = st->base = NULL;	/* parameters may have changed */
	st->resume_token = NULL;
	MemoryContextReset(st->page_cxts[0]);
	MemoryContextReset(st->page_cxts[1]);
	MemoryContextReset(st->scan_cxt);
}

void
s3EndForeignScan(ForeignScanState *node)
{
	S3ScanState *st = (S3ScanState *) node->fdw_state;

	/* requests still in flight; the memory contexts go with the executor's */
	if (st != NULL && st->server != NULL)
	{
		drop_ahead(st);
		drop_next_page(st);
		end_ranges(st);
	}
}

static const char *const run_value_names[NUM_COLUMNS] = {
	[COL_KEY] = "key",
	[COL_BUCKET] = "bucket",
	[COL_PREFIX] = "prefix",
	[COL_START_AFTER] = "start-after",
	[COL_MAX_KEYS] = "max-keys",
	[COL_CONTINUATION_TOKEN] = "continuation-token",
	[COL_DELIMITER] = "delimiter",
};

/* The request parameter a filter column sets, as EXPLAIN names it */
static const char *
request_param_name(const S3ScanPlan *p, int col)
{
	if (p->versions && col == COL_START_AFTER)
		return "key-marker";
	if (p->versions && col == COL_CONTINUATION_TOKEN)
		return "key-marker,version-id-marker";
	return run_value_names[col];
}

void
s3ExplainForeignScan(ForeignScanState *node, ExplainState *es)
{
	S3ScanState *st = (S3ScanState *) node->fdw_state;
	S3ScanPlan *p = st->plan;
	StringInfoData buf;
	bool		one_page = p->single_page || (p->key_lookup && !p->versions);
	bool		key_pages = p->versions && p->key_lookup;	/* while the key lasts */
	int			i;

	initStringInfo(&buf);
	if (p->empty)
		appendStringInfoString(&buf, "none (the conditions exclude every key)");
	else
	{
		appendStringInfo(&buf, "%s bucket=%s", p->versions ? "ListObjectVersions" : "ListObjectsV2",
						 p->bucket ? p->bucket : "(value at run time)");
		if (p->prefix)
			appendStringInfo(&buf, " prefix=%s", p->prefix);
		for (i = 0; i < s3_num_run_conds(p); i++)
		{
			S3CondOp	op;
			S3CondOrigin origin;
			int			col = s3_run_cond(p, i, &op, &origin);

			if (origin == ORIGIN_JOIN)
			{
				appendStringInfoString(&buf, col != COL_KEY ? " prefix=(each outer prefix)"
									   : p->versions ? " prefix=(each outer key)"
									   : " prefix=(each outer key) max-keys=1");
				one_page |= (col == COL_KEY && !p->versions);
				key_pages |= (col == COL_KEY && p->versions);
			}
			else if (col == COL_BUCKET)
				continue;
			else if (op == OP_LIKE || op == OP_PREFIX)
				appendStringInfoString(&buf, " prefix=(from a pattern at run time)");
			else if (op == OP_GT || op == OP_GE)
				appendStringInfo(&buf, " %s=(value at run time)",
								 p->versions ? "key-marker" : "start-after");
			else if (op == OP_ANY)
				appendStringInfo(&buf, " %s=(each value of a list)", request_param_name(p, col));
			else
			{
				appendStringInfo(&buf, " %s=(value at run time)", request_param_name(p, col));
				one_page |= ((col == COL_KEY && !p->versions) || col == COL_MAX_KEYS);
				key_pages |= (col == COL_KEY && op == OP_EQ && p->versions);
			}
		}
		if (p->start_after)
			appendStringInfo(&buf, " %s=%s", p->versions ? "key-marker" : "start-after",
							 p->start_after);
		if (p->delimiter)
			appendStringInfo(&buf, " delimiter=%s", p->delimiter);
		if (p->max_keys > 1000 && p->single_page)
			appendStringInfo(&buf, " max-keys=1000, the first %d keys", p->max_keys);
		else if (p->max_keys > 0)
			appendStringInfo(&buf, " max-keys=%d", p->max_keys);
		if (p->continuation_token)
			appendStringInfo(&buf, " %s=(given)", request_param_name(p, COL_CONTINUATION_TOKEN));
		if (!(p->max_keys > 1000 && p->single_page))
			appendStringInfoString(&buf, one_page ? ", one page"
								   : key_pages ? ", the key's pages" : ", all pages");
		if (!one_page && !key_pages && plan_may_partition(p))
			appendStringInfo(&buf, ", key ranges in parallel (up to %d pages in flight)",
							 p->parallel);
		if (p->page_size < 1000)
			appendStringInfo(&buf, ", %d keys a page", p->page_size);
		if (p->need_content && NEED_TAGS(p))
			appendStringInfoString(&buf, "; GetObject and GetObjectTagging for each row");
		else if (p->need_content)
			appendStringInfoString(&buf, "; GetObject for each row");
		else if (NEED_TAGS(p))
			appendStringInfoString(&buf, "; GetObjectTagging for each row");
	}
	ExplainPropertyText("S3 Request", buf.data, es);
	if (p->ordered)
		ExplainPropertyText("S3 Order", "key, as S3 lists it (by the bytes of UTF-8)", es);
	if (es->analyze)
	{
		int64		requests = st->list_requests;
		int			partitions = st->partitions;

		if (st->ranges != NULL)
		{
			int64		r;
			int			n;

			s3_list_ranges_counts(st->ranges, &r, &n);
			requests += r;
			partitions += n;
		}
		ExplainPropertyInteger("S3 List Requests", NULL, requests, es);
		if (partitions > 0)
			ExplainPropertyInteger("S3 List Partitions", NULL, partitions, es);
		ExplainPropertyInteger("S3 Get Requests", NULL, st->get_requests, es);
		if (NEED_TAGS(p))
			ExplainPropertyInteger("S3 Tagging Requests", NULL, st->tag_requests, es);
	}
}
