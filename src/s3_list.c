/*-------------------------------------------------------------------------
 *
 * s3_list.c
 *		The listing operations: ListBuckets; ListObjectsV2, whose pages are
 *		peeked at as they arrive (s3_xml_fast_list_peek()) so that a scan
 *		can ask for the next page as soon as its continuation token is
 *		known; and ListObjectVersions, a page at a time, each read whole by
 *		the tree parser.
 *
 * Every listing keeps the digests of the continuation tokens it was given
 * (S3TokenGuard): a token given twice, or a truncated page without one,
 * would make a listing that never ends, and is an invalid response.  (The
 * token of ListObjectVersions is the pair of markers it goes on from.)
 * Parameters from SQL (prefix, start_after, continuation_token) are
 * converted to UTF-8 and bounded before anything is sent.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "core.h"
#include "digest.h"
#include "s3_call.h"
#include "s3_xml.h"
#include "s3_xml_fast.h"

/* before PostgreSQL 14, string keys were dynahash's default */
#if PG_VERSION_NUM < 140000
#define HASH_STRINGS 0
#endif
/* a listing page: 1,000 keys of up to 1 kB each, URL-encoded, fit easily */
#define MAX_LISTING_BODY ((size_t) 16 * 1024 * 1024)
/* S3's continuation tokens are a few hundred bytes; allow generously more */
#define MAX_TOKEN_BYTES 8192

static void
append_param(StringInfo q, const char *name, const char *value)
{
	char	   *enc = s3_uri_encode(value, strlen(value), false);

	if (enc == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	appendStringInfo(q, "%s%s=%s", q->len > 0 ? "&" : "", name, enc);
	free(enc);
}

/* A listing answer must be XML: say so plainly when it is something else. */
static void
expect_xml(const char *what, const S3HttpResponse *resp)
{
	if (resp->content_type != NULL && strstr(resp->content_type, "xml") == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_STRING_FORMAT),
				 errmsg_internal("%s", what),
				 errdetail("The answer is not XML: it came with Content-Type \"%s\".", resp->content_type),
				 errhint("Check that the server's endpoint is an S3 service.")));
}


/*
 * A request parameter from SQL (prefix, start_after, continuation_token):
 * converted to UTF-8 for the wire, and refused when longer than a key can
 * be (a token: MAX_TOKEN_BYTES).  A token is not held to printable ASCII:
 * Ceph RGW's are keys (see token_fits()).
 */
static char *
listing_param(const char *name, const char *value, size_t max_bytes)
{
	char	   *utf8 = pg_server_to_any(value, strlen(value), PG_UTF8);

	if (strlen(utf8) > max_bytes)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be longer than %zu bytes in UTF-8", name, max_bytes),
				 errdetail("It is %zu bytes long.", strlen(utf8))));
	return utf8;
}

/*
 * Whether a continuation token S3 gave can be sent back and shown in
 * next_continuation_token: S3's are opaque printable ASCII, but Ceph
 * RGW's (16.2) is the page's last key itself, as it is, in UTF-8 (a page
 * ending on "日本/ファイル 159" is followed with that token).  It goes back
 * percent-encoded, so any UTF-8 will do.
 */
static bool
token_fits(const char *token)
{
	size_t		len = strlen(token);

	return len > 0 && len <= MAX_TOKEN_BYTES &&
		pg_verify_mbstr(PG_UTF8, token, (int) len, true);
}

/*
 * The continuation tokens of one listing.  A token given twice would make
 * the listing go round forever: that is an invalid response.
 */
void
s3_token_guard_init(S3TokenGuard *g, MemoryContext cxt)
{
	g->cxt = cxt;
	g->seen = NULL;
}

/* Adds a token; true when it was there already. */
static bool
token_guard_add(S3TokenGuard *g, const char *token)
{
	char		digest[65];
	bool		found;

	if (g->seen == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(digest);
		ctl.entrysize = sizeof(digest);
		ctl.hcxt = g->cxt;
		g->seen = hash_create("s3_fdw continuation tokens", 64, &ctl,
							  HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	}
	sigv4_sha256_hex(token, strlen(token), digest);
	(void) hash_search(g->seen, digest, HASH_ENTER, &found);
	return found;
}

/*
 * A token a listing goes on with (s3_list_ranges.c: a partition's): given
 * before, it would make the listing go round forever.
 */
void
s3_token_guard_check(S3TokenGuard *g, const char *what, const char *token)
{
	if (token_guard_add(g, token))
		s3_report_invalid_response(what,
								   "S3 gave a continuation token it had given before, so the listing would never end");
}

/*
 * The token of a truncated page: it must be there, be new to this listing
 * and fit the rules for tokens.
 */
static void
check_next_token(S3TokenGuard *g, const char *what, bool truncated, const char *token)
{
	if (!truncated)
		return;
	if (token == NULL || token[0] == '\0')
		s3_report_invalid_response(what,
								   "S3 said the listing goes on but gave no continuation token");
	if (strlen(token) > MAX_TOKEN_BYTES)
		s3_report_invalid_response(what, "the continuation token is longer than 8192 bytes");
	if (!token_fits(token))
		s3_report_invalid_response(what, "the continuation token is not UTF-8");
	if (g != NULL)
		s3_token_guard_check(g, what, token);
}

/* What a ListBuckets page is taken into (see take_bucket_page) */
typedef struct BucketPageTake
{
	s3_bucket_list *list;
	List	  **result;			/* of S3BucketInfo */
	S3TokenGuard *guard;
	const char *what;
	char	   *token;			/* the next page's, or NULL */
} BucketPageTake;

static void
release_bucket_list(void *list)
{
	s3_bucket_list_free((s3_bucket_list *) list);
}

static void
take_bucket_page(void *result, void *arg)
{
	s3_bucket_list *list = (s3_bucket_list *) result;
	BucketPageTake *t = (BucketPageTake *) arg;
	size_t		i;

	for (i = 0; i < list->n; i++)
	{
		S3BucketInfo *b = palloc(sizeof(S3BucketInfo));

		b->name = s3_text_from_utf8(list->items[i].name, NULL);
		b->creation_date = list->items[i].creation_date
			? pstrdup(list->items[i].creation_date) : NULL;
		*t->result = lappend(*t->result, b);
	}
	/* ListBuckets goes on exactly while it gives a token */
	check_next_token(t->guard, t->what, list->continuation_token != NULL,
					 list->continuation_token);
	t->token = list->continuation_token ? pstrdup(list->continuation_token) : NULL;
}

/* What a ListObjectsV2 page is taken into (see take_object_page) */
typedef struct ObjectPageTake
{
	S3ObjectPage *page;
	const S3ListRequest *lr;
	const char *what;
	size_t		asked;			/* keys asked for */
} ObjectPageTake;

static void
release_object_list(void *list)
{
	s3_object_list_free((s3_object_list *) list);
}

static void
take_object_page(void *result, void *arg)
{
	s3_object_list *list = (s3_object_list *) result;
	ObjectPageTake *t = (ObjectPageTake *) arg;
	S3ObjectPage *page = t->page;
	unsigned	want = t->lr->want ? t->lr->want : ~0U;
	size_t		i,
				j,
				n;

	if (list->n + list->n_prefixes > t->asked)
		s3_report_invalid_response(t->what,
								   psprintf("the page has %zu keys; the request asked for at most %zu",
											list->n + list->n_prefixes, t->asked));
	check_next_token(t->lr->guard, t->what, list->is_truncated, list->next_continuation_token);
	page->objects = palloc0(sizeof(S3ObjectInfo) * Max(list->n + list->n_prefixes, 1));
	/*
	 * Objects and common prefixes ("folders", with a delimiter) in one
	 * order, S3's: by the bytes of their UTF-8 names.  Only the fields the
	 * caller wants: a count(*) copies no strings.
	 */
	for (i = 0, j = 0, n = 0; i < list->n || j < list->n_prefixes; n++)
	{
		S3ObjectInfo *o = &page->objects[n];

		if (j < list->n_prefixes &&
			(i >= list->n || strcmp(list->common_prefixes[j], list->items[i].key) < 0))
		{
			o->is_prefix = true;
			o->size = -1;
			o->key = pstrdup(list->common_prefixes[j++]);
			continue;
		}
		{
			s3_object_entry *e = &list->items[i++];

			o->size = e->size;
			o->is_latest = true;	/* ListObjectsV2 lists the current objects */
			if (want & S3_WANT_KEY)
				o->key = pstrdup(e->key);
			if ((want & S3_WANT_LAST_MODIFIED) && e->last_modified)
				o->last_modified = pstrdup(e->last_modified);
			if ((want & S3_WANT_ETAG) && e->etag)
				o->etag = s3_text_from_utf8(e->etag, NULL);
			if ((want & S3_WANT_STORAGE_CLASS) && e->storage_class)
				o->storage_class = s3_text_from_utf8(e->storage_class, NULL);
		}
	}
	page->nobjects = (int) n;
	page->is_truncated = list->is_truncated;
	page->next_continuation_token = list->next_continuation_token
		? pstrdup(list->next_continuation_token) : NULL;
}

List *
s3_list_buckets(S3Server *server)
{
	List	   *result = NIL;
	char	   *token = NULL;
	S3SignedRequest call;
	S3TokenGuard guard;
	BucketPageTake take;

	memset(&call, 0, sizeof(call));
	call.what = psprintf(_("could not list buckets of server \"%s\""), server->servername);
	call.method = "GET";
	call.max_body = MAX_LISTING_BODY;
	s3_token_guard_init(&guard, CurrentMemoryContext);
	take.result = &result;
	take.guard = &guard;
	take.what = call.what;

	do
	{
		S3HttpResponse resp;
		s3_bucket_list list;
		char		errbuf[128];

		if (token != NULL)
		{
			StringInfoData q;

			initStringInfo(&q);
			append_param(&q, "continuation-token", token);
			call.query = q.data;
		}
		s3_execute(server, &call, &resp);
		expect_xml(call.what, &resp);
		if (s3_xml_parse_buckets(resp.body, resp.body_len, &list, errbuf, sizeof(errbuf)) != 0)
			s3_report_invalid_response(call.what, errbuf);
		take.list = &list;
		s3_take_core_result(&list, release_bucket_list, take_bucket_page, &take);
		token = take.token;
	} while (token != NULL);

	return result;
}

/*
 * A page of ListObjectsV2 in flight.  Its body is kept (malloc'd) as it
 * arrives, and its head peeked at (s3_xml_fast.c) until that tells the
 * continuation token (S3 sends it before the keys).  When the page is
 * complete, the fast scanner reads it whole; a page outside what that
 * scanner reads goes to the tree parser (s3_xml_list.c), which also
 * reports what is wrong with a broken page.  All of it is freed with the
 * memory context the fetch lives in.
 */
struct S3ListFetch
{
	S3SignedRequest call;
	S3ListRequest lr;
	unsigned	scan_want;		/* S3_WANT_*: the fields the scanner keeps */
	S3Pending  *pending;		/* NULL once finished or cancelled */
	char		errbuf[128];	/* why the sink failed */
	size_t		asked;			/* keys asked for */
	char	   *body;			/* the page so far, malloc'd */
	size_t		body_len;
	size_t		body_cap;
	s3_list_peek peek;			/* at the head of the page so far */
	/*
	 * A page whose head could not tell its token is read whole as soon as
	 * it has come, for the token: kept here for s3_list_objects_finish()
	 */
	bool		have_read;
	s3_object_list read;
};

/*
 * One body buffer kept for the next page (the last page's, when it is not
 * larger than this), so that a listing does not take fresh memory from the
 * system, and fault it in, for every page; freed when the transaction ends.
 * Only the sink's code touches it, PostgreSQL-free.
 */
#define SPARE_BODY_MAX ((size_t) 1024 * 1024)
static char *spare_body = NULL;
static size_t spare_cap = 0;
static bool spare_callback = false;

/* Keep a body buffer for the next page, or free it */
static void
put_spare(char *body, size_t cap)
{
	if (body == NULL)
		return;
	if (cap > SPARE_BODY_MAX || cap <= spare_cap)
	{
		free(body);
		return;
	}
	free(spare_body);
	spare_body = body;
	spare_cap = cap;
}

static void
spare_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT ||
		event == XACT_EVENT_PREPARE)
	{
		free(spare_body);
		spare_body = NULL;
		spare_cap = 0;
	}
}

/* The fields the scanner keeps: those the caller reads, keys for a merge */
static unsigned
scanner_want(const S3ListRequest *lr)
{
	unsigned	want = lr->want ? lr->want & S3_WANT_ALL : S3_WANT_ALL;

	if (lr->delimiter && lr->delimiter[0])
		want |= S3_WANT_KEY;
	return want;
}

/* The page read whole, if any, is no longer the body's */
static void
drop_read(S3ListFetch *f)
{
	if (f->have_read)
		s3_object_list_free(&f->read);
	f->have_read = false;
}

/* libcurl's write callback hands the body here: no palloc, no ereport */
static int
list_sink(void *arg, const char *data, size_t len)
{
	S3ListFetch *f = (S3ListFetch *) arg;

	if (f->body == NULL && spare_body != NULL)
	{
		f->body = spare_body;
		f->body_cap = spare_cap;
		spare_body = NULL;
		spare_cap = 0;
	}
	if (f->body_len + len > f->body_cap)
	{
		size_t		cap = Max(f->body_cap * 2, 65536);
		char	   *nbody;

		while (cap < f->body_len + len)
			cap *= 2;
		nbody = realloc(f->body, cap);
		if (nbody == NULL)
		{
			strlcpy(f->errbuf, "out of memory reading a ListObjectsV2 response", sizeof(f->errbuf));
			return -1;
		}
		f->body = nbody;
		f->body_cap = cap;
	}
	memcpy(f->body + f->body_len, data, len);
	f->body_len += len;
	drop_read(f);
	(void) s3_xml_fast_list_peek(&f->peek, f->body, f->body_len);
	return 0;
}

/* before another try: the page starts again */
static void
list_sink_reset(void *arg)
{
	S3ListFetch *f = (S3ListFetch *) arg;

	s3_xml_fast_list_peek_reset(&f->peek);
	drop_read(f);
	f->errbuf[0] = '\0';
	f->body_len = 0;
}

/* the memory context of the fetch goes: so does what it holds */
static void
list_fetch_release(void *arg)
{
	S3ListFetch *f = (S3ListFetch *) arg;

	s3_xml_fast_list_peek_reset(&f->peek);
	drop_read(f);
	put_spare(f->body, f->body_cap);
	f->body = NULL;
	f->body_cap = 0;
}

/*
 * Start a page of ListObjectsV2, without waiting; the page and everything
 * of the request live in the current memory context.  Keys are asked for
 * URL-encoded (so that any byte survives XML) and handed back as S3 sent
 * them, in UTF-8: s3_text_from_utf8() converts each when it is needed.
 */
S3ListFetch *
s3_list_objects_start(S3Server *server, const S3ListRequest *lr)
{
	S3ListFetch *f = palloc0(sizeof(S3ListFetch));
	MemoryContextCallback *cb = palloc0(sizeof(MemoryContextCallback));
	StringInfoData q;

	s3_check_bucket_arg(lr->bucket);
	f->lr = *lr;
	f->scan_want = scanner_want(lr);
	if (!spare_callback)
	{
		RegisterXactCallback(spare_xact_callback, NULL);
		spare_callback = true;
	}
	f->asked = lr->max_keys > 0 ? (size_t) lr->max_keys : 1000;
	f->call.what = psprintf(_("could not list objects in bucket \"%s\""), lr->bucket);
	f->call.method = "GET";
	f->call.bucket = lr->bucket;
	f->call.max_body = MAX_LISTING_BODY;

	initStringInfo(&q);
	appendStringInfoString(&q, "list-type=2");
	if (lr->continuation_token)
		append_param(&q, "continuation-token",
					 listing_param("continuation_token", lr->continuation_token, MAX_TOKEN_BYTES));
	append_param(&q, "encoding-type", "url");
	if (lr->max_keys > 0)
		appendStringInfo(&q, "&max-keys=%d", lr->max_keys);
	if (lr->prefix && lr->prefix[0])
		append_param(&q, "prefix", listing_param("prefix", lr->prefix, S3_MAX_KEY_BYTES));
	if (lr->start_after && lr->start_after[0])
		append_param(&q, "start-after",
					 lr->start_after_utf8 ? lr->start_after
					 : listing_param("start_after", lr->start_after, S3_MAX_KEY_BYTES));
	if (lr->delimiter && lr->delimiter[0])
		append_param(&q, "delimiter", listing_param("delimiter", lr->delimiter, S3_MAX_KEY_BYTES));
	f->call.query = q.data;
	/* the token asked with counts as given: S3 must not give it again */
	if (lr->guard != NULL && lr->continuation_token != NULL && !lr->ahead)
		(void) token_guard_add(lr->guard, lr->continuation_token);

	cb->func = list_fetch_release;
	cb->arg = f;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	f->call.sink = list_sink;
	f->call.sink_arg = f;
	f->call.sink_reset = list_sink_reset;
	s3_address_call(server, &f->call);
	f->pending = s3_request_start(server->creds, &f->call);
	return f;
}

static bool
token_known(void *arg)
{
	S3ListFetch *f = (S3ListFetch *) arg;

	return f->peek.answer == S3_PEEK_KNOWN;
}

/*
 * The kept body read whole: by the fast scanner, or when that leaves it
 * (1), by the tree parser, which says what is wrong with a page that does
 * not parse (errbuf).  0, or -1 with errbuf set; ERROR when out of memory.
 */
static int
read_body(S3ListFetch *f, s3_object_list *list, char *errbuf, size_t errlen)
{
	switch (s3_xml_fast_list_objects_want(f->body, f->body_len, f->scan_want, list))
	{
		case 0:
			/* common prefixes, not asked for: the merge needs the keys */
			if (list->n_prefixes > 0 && list->n > 0 && !(f->scan_want & S3_WANT_KEY))
			{
				s3_object_list_free(list);
				if (s3_xml_fast_list_objects_want(f->body, f->body_len,
												  f->scan_want | S3_WANT_KEY, list) != 0)
					break;
			}
			return 0;
		case 1:
			/* outside what the fast scanner reads: libxml2 reads it */
			return s3_xml_parse_list_objects(f->body, f->body_len, list, errbuf, errlen);
		default:
			break;
	}
	ereport(ERROR,
			(errcode(ERRCODE_OUT_OF_MEMORY),
			 errmsg("out of memory"),
			 errdetail_internal("%s.", f->call.what)));
	return -1;					/* keep the compiler quiet */
}

/*
 * Wait until the page's continuation token is known or the page has
 * arrived; true with the token (palloc'd, NULL when the listing ends with
 * this page), false when it cannot be told yet (the page will say, or
 * fail, when finished).  S3 sends the token before the keys, and the peek
 * at the head of the page tells it; a page that sends it after them (moto,
 * Ceph's RGW) is read whole when it has come, and kept for the finish.
 */
bool
s3_list_objects_next_token(S3ListFetch *f, char **token)
{
	bool		truncated;
	const char *t;
	char		errbuf[128];

	if (f->pending == NULL)
		return false;
	s3_request_wait_ready(f->pending, token_known, f);
	if (f->peek.answer == S3_PEEK_KNOWN)
	{
		truncated = f->peek.is_truncated;
		t = f->peek.token;
	}
	else
	{
		/* the transfer is over: the page, if it is all there, tells */
		if (!f->have_read && f->body != NULL &&
			read_body(f, &f->read, errbuf, sizeof(errbuf)) == 0)
			f->have_read = true;
		if (!f->have_read)
			return false;
		truncated = f->read.is_truncated;
		t = f->read.next_continuation_token;
	}
	if (truncated && (t == NULL || !token_fits(t)))
		return false;			/* the page will be refused when finished */
	*token = truncated ? pstrdup(t) : NULL;
	return true;
}

/*
 * Wait for the page and check it.  A page with more keys than were asked
 * for, or a truncated page without a new continuation token, is an
 * invalid response.
 */
S3ObjectPage *
s3_list_objects_finish(S3ListFetch *f)
{
	S3HttpResponse resp;
	s3_object_list list;
	char		errbuf[128];
	S3ObjectPage *page;
	ObjectPageTake otake;

	s3_request_finish(f->pending, &resp);
	f->pending = NULL;
	expect_xml(f->call.what, &resp);
	if (resp.sink_failed)
		s3_report_invalid_response(f->call.what, f->errbuf[0] ? f->errbuf : "out of memory");
	if (f->have_read)
	{
		/* read already, for its token (and no byte came since) */
		list = f->read;
		f->have_read = false;
	}
	else if (read_body(f, &list, errbuf, sizeof(errbuf)) != 0)
		s3_report_invalid_response(f->call.what, errbuf);
	put_spare(f->body, f->body_cap);
	f->body = NULL;
	f->body_cap = 0;

	page = palloc0(sizeof(S3ObjectPage));
	otake.page = page;
	otake.lr = &f->lr;
	otake.what = f->call.what;
	otake.asked = f->asked;
	s3_take_core_result(&list, release_object_list, take_object_page, &otake);
	return page;
}

/* Whether the page has come (or failed): finishing it will not wait */
bool
s3_list_objects_arrived(S3ListFetch *f)
{
	return f->pending == NULL || s3_request_done(f->pending);
}

/*
 * Drive the requests in flight until this page has come or ready(arg)
 * says that what the caller waits for has (another page, say).
 */
void
s3_list_objects_wait(S3ListFetch *f, bool (*ready) (void *), void *arg)
{
	if (f->pending != NULL)
		s3_request_wait_ready(f->pending, ready, arg);
}

/* Drop a page no longer wanted. */
void
s3_list_objects_cancel(S3ListFetch *f)
{
	if (f->pending != NULL)
		s3_request_cancel(f->pending);
	f->pending = NULL;
}

/* One page of ListObjectsV2, allocated in the current memory context. */
S3ObjectPage *
s3_list_objects(S3Server *server, const S3ListRequest *lr)
{
	return s3_list_objects_finish(s3_list_objects_start(server, lr));
}


/* ---- ListObjectVersions ---- */

/* A version id: printable ASCII (S3's are 32 characters), bounded */
#define MAX_VERSION_ID_BYTES 1024

/* What a ListObjectVersions page is taken into (see take_version_page) */
typedef struct VersionPageTake
{
	S3ObjectPage *page;
	const S3ListRequest *lr;
	const char *what;
	size_t		asked;			/* entries asked for */
	const char *after;			/* key-marker sent alone (UTF-8), or NULL */
} VersionPageTake;

static void
release_version_list(void *list)
{
	s3_version_list_free((s3_version_list *) list);
}

/* The markers of the next page, as one token: "key-marker\nversion-id-marker" */
static char *
versions_token(const char *key_marker, const char *version_id_marker)
{
	return psprintf("%s\n%s", key_marker, version_id_marker ? version_id_marker : "");
}

static void
take_version_page(void *result, void *arg)
{
	s3_version_list *list = (s3_version_list *) result;
	VersionPageTake *t = (VersionPageTake *) arg;
	S3ObjectPage *page = t->page;
	const char *vm = list->next_version_id_marker;
	size_t		i,
				j,
				n;

	if (list->n + list->n_prefixes > t->asked)
		s3_report_invalid_response(t->what,
								   psprintf("the page has %zu versions and prefixes; the request asked for at most %zu",
											list->n + list->n_prefixes, t->asked));
	if (list->is_truncated)
	{
		const char *km = list->next_key_marker;

		if (km == NULL || km[0] == '\0')
			s3_report_invalid_response(t->what,
									   "S3 said the listing goes on but gave no NextKeyMarker");
		if (strlen(km) > S3_MAX_KEY_BYTES)
			s3_report_invalid_response(t->what, "NextKeyMarker is longer than a key can be");
		if (vm != NULL && vm[0] == '\0')
			vm = NULL;
		if (vm != NULL && (strlen(vm) > MAX_VERSION_ID_BYTES || !s3_printable_ascii(vm)))
			s3_report_invalid_response(t->what,
									   "NextVersionIdMarker is not a version id (printable ASCII, at most 1024 bytes)");
		page->next_continuation_token = versions_token(km, vm);
		if (t->lr->guard != NULL && token_guard_add(t->lr->guard, page->next_continuation_token))
			s3_report_invalid_response(t->what,
									   "S3 gave markers it had given before, so the listing would never end");
		page->next_key_marker = pstrdup(km);
		page->next_version_id_marker = vm ? pstrdup(vm) : NULL;
	}
	page->objects = palloc0(sizeof(S3ObjectInfo) * Max(list->n + list->n_prefixes, 1));
	/* versions and common prefixes in one order, S3's (by key, then newest first) */
	for (i = 0, j = 0, n = 0; i < list->n || j < list->n_prefixes;)
	{
		S3ObjectInfo *o = &page->objects[n];

		if (j < list->n_prefixes &&
			(i >= list->n || strcmp(list->common_prefixes[j], list->items[i].key) < 0))
		{
			const char *p = list->common_prefixes[j++];

			/* S3 lists what follows key-marker: a server that does not (moto) is corrected */
			if (t->after != NULL && strcmp(p, t->after) <= 0)
				continue;
			o->is_prefix = true;
			o->size = -1;
			o->key = pstrdup(p);
			n++;
			continue;
		}
		{
			s3_version_entry *e = &list->items[i++];

			if (t->after != NULL && strcmp(e->key, t->after) <= 0)
				continue;
			o->key = pstrdup(e->key);
			o->size = e->size;
			o->last_modified = e->last_modified ? pstrdup(e->last_modified) : NULL;
			o->etag = e->etag ? s3_text_from_utf8(e->etag, NULL) : NULL;
			o->storage_class = e->storage_class ? s3_text_from_utf8(e->storage_class, NULL) : NULL;
			if (strlen(e->version_id) > MAX_VERSION_ID_BYTES || !s3_printable_ascii(e->version_id))
				s3_report_invalid_response(t->what,
										   "a VersionId is not a version id (printable ASCII, at most 1024 bytes)");
			o->version_id = pstrdup(e->version_id);
			o->is_latest = e->is_latest;
			o->is_delete_marker = e->is_delete_marker;
			n++;
		}
	}
	page->nobjects = (int) n;
	page->is_truncated = list->is_truncated;
}

/*
 * The markers a versions listing goes on from, from SQL: the continuation
 * token of a table with versions 'true' is "key-marker", a line feed, and
 * "version-id-marker" (the version id may be empty, and the line feed
 * left out: the listing then starts after the key).  In UTF-8.
 */
static void
split_versions_token(const char *token, char **key_marker, char **version_id_marker)
{
	char	   *utf8 = listing_param("continuation_token", token,
									 S3_MAX_KEY_BYTES + 1 + MAX_VERSION_ID_BYTES);
	char	   *nl = strrchr(utf8, '\n');
	char	   *vm = NULL;

	if (nl != NULL)
	{
		*nl = '\0';
		vm = nl[1] ? nl + 1 : NULL;
	}
	if (utf8[0] == '\0' || strlen(utf8) > S3_MAX_KEY_BYTES ||
		(vm != NULL && (strlen(vm) > MAX_VERSION_ID_BYTES || !s3_printable_ascii(vm))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid continuation_token"),
				 errdetail("On a table with versions 'true', a continuation token is a key, a line feed and a version id (the version id may be empty)."),
				 errhint("Use the next_continuation_token of a page, or key || E'\\n' || version_id to go on after that version.")));
	*key_marker = utf8;
	*version_id_marker = vm;
}

/*
 * One page of ListObjectVersions (a table with versions 'true'), allocated
 * in the current memory context: versions and delete markers in S3's
 * order, by key then newest first, with the common prefixes of a
 * delimiter among them.  It starts after lr->key_marker and
 * lr->version_id_marker (a page's, in UTF-8) when given; else after
 * lr->continuation_token (see split_versions_token()); else after
 * lr->start_after, as key-marker.
 */
S3ObjectPage *
s3_list_object_versions(S3Server *server, const S3ListRequest *lr)
{
	S3SignedRequest call;
	S3HttpResponse resp;
	StringInfoData q;
	s3_version_list list;
	char		errbuf[128];
	char	   *key_marker = NULL;
	char	   *version_id_marker = NULL;
	S3ObjectPage *page = palloc0(sizeof(S3ObjectPage));
	VersionPageTake take;

	s3_check_bucket_arg(lr->bucket);
	if (lr->key_marker != NULL)
	{
		key_marker = pstrdup(lr->key_marker);
		version_id_marker = lr->version_id_marker ? pstrdup(lr->version_id_marker) : NULL;
	}
	else if (lr->continuation_token != NULL)
		split_versions_token(lr->continuation_token, &key_marker, &version_id_marker);
	else if (lr->start_after && lr->start_after[0])
		key_marker = listing_param("start_after", lr->start_after, S3_MAX_KEY_BYTES);

	memset(&call, 0, sizeof(call));
	call.what = psprintf(_("could not list object versions in bucket \"%s\""), lr->bucket);
	call.method = "GET";
	call.bucket = lr->bucket;
	call.max_body = MAX_LISTING_BODY;
	initStringInfo(&q);
	appendStringInfoString(&q, "versions");
	append_param(&q, "encoding-type", "url");
	if (key_marker != NULL)
		append_param(&q, "key-marker", key_marker);
	if (lr->max_keys > 0)
		appendStringInfo(&q, "&max-keys=%d", lr->max_keys);
	if (lr->prefix && lr->prefix[0])
		append_param(&q, "prefix", listing_param("prefix", lr->prefix, S3_MAX_KEY_BYTES));
	if (lr->delimiter && lr->delimiter[0])
		append_param(&q, "delimiter", listing_param("delimiter", lr->delimiter, S3_MAX_KEY_BYTES));
	if (version_id_marker != NULL)
		append_param(&q, "version-id-marker", version_id_marker);
	call.query = q.data;
	/* the markers asked with count as given: S3 must not give them again */
	if (lr->guard != NULL && key_marker != NULL)
		(void) token_guard_add(lr->guard, versions_token(key_marker, version_id_marker));

	s3_execute(server, &call, &resp);
	expect_xml(call.what, &resp);
	if (s3_xml_parse_list_versions(resp.body, resp.body_len, &list, errbuf, sizeof(errbuf)) != 0)
		s3_report_invalid_response(call.what, errbuf);
	take.page = page;
	take.lr = lr;
	take.what = call.what;
	take.asked = lr->max_keys > 0 ? (size_t) lr->max_keys : 1000;
	take.after = version_id_marker == NULL ? key_marker : NULL;
	s3_take_core_result(&list, release_version_list, take_version_page, &take);
	return page;
}
