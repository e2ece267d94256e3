/*-------------------------------------------------------------------------
 *
 * http.c
 *		The HTTP layer: one libcurl connection pool per backend, transfers
 *		that a query cancel or statement_timeout interrupts, and response
 *		bodies received straight into PostgreSQL memory.
 *
 * Every transfer runs on a curl multi handle polled in short slices with
 * CHECK_FOR_INTERRUPTS() between them, so no call blocks for longer than
 * POLL_SLICE_MS once an interrupt is pending.  The multi handle and its one
 * easy handle live for the whole backend: connections stay open
 * (keep-alive) from one call to the next.
 *
 * libcurl's callbacks (http_callbacks.c) never ereport() or palloc(): they
 * record what they saw in TransferState and return; errors are raised after
 * curl has returned (http_checks.c judges the answer).  Several transfers
 * can be in flight at once: s3_http_start(), s3_http_wait_for(),
 * s3_http_finish(); s3_http_perform() is the three for one request.  When the body of a successful response begins, the write
 * callback pauses the transfer; the main loop then allocates the whole body
 * once, from Content-Length, in the caller's memory context, and resumes.
 * Bodies without a length (and error documents) go to a malloc'd buffer
 * that is copied and freed afterwards.  A PG_FINALLY block detaches the
 * transfer and frees what curl owns however the call ends.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "access/xact.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#if PG_VERSION_NUM >= 140000
#include "utils/wait_event.h"
#else
#include "pgstat.h"
#endif

#include "transfer.h"

#define POLL_SLICE_MS 100
#define CONNECT_TIMEOUT_MS 10000
#define RECEIVE_BUFFER (256 * 1024)
#define SEND_BUFFER (512 * 1024)

/*
 * One request in flight on the backend's multi handle: its easy handle,
 * what its callbacks record, and what the caller asked for.  malloc'd, so
 * that it can outlive a memory context reset while libcurl holds it; freed
 * by s3_http_finish() or abandon_all().
 */
struct S3Transfer
{
	CURL	   *easy;
	TransferState st;
	struct curl_slist *headers;
	char		errbuf[CURL_ERROR_SIZE];
	const S3HttpRequest *req;
	char	   *what;			/* malloc'd copy, for messages */
	MemoryContext cxt;			/* where the body goes */
	size_t		offset;			/* bytes before the body (a bytea's header) */
	bool		done;			/* libcurl has finished it */
	CURLcode	result;
	SubTransactionId subid;		/* started in this subtransaction */
	uint64		serial;			/* unique in the backend's life */
	S3Transfer *next;			/* in the list of transfers in flight */
};

static CURLM *multi_handle = NULL;
static S3Transfer *in_flight = NULL;
static CURL *spare_easy = NULL; /* one easy handle kept for the next request */
static bool distrust_pending = false;	/* close the pool when none is in flight */
static int64 n_requests = 0;
static int64 n_connections = 0;
static uint64 last_serial = 0;

static void release_transfer(S3Transfer *t);
static void abandon_all(void);

static void
http_cleanup(int code, Datum arg)
{
	abandon_all();
	if (spare_easy)
		curl_easy_cleanup(spare_easy);
	if (multi_handle)
		curl_multi_cleanup(multi_handle);
	spare_easy = NULL;
	multi_handle = NULL;
}

/*
 * A transaction or subtransaction that ends in an error leaves no transfer
 * behind: their requests and memory contexts are gone.
 */
static void
http_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT)
		abandon_all();
}

/*
 * A subtransaction that fails drops the transfers it started (and those of
 * its own subtransactions, whose ids are larger); an outer query's
 * transfers go on.
 */
static void
http_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					  SubTransactionId parentSubid, void *arg)
{
	S3Transfer *t;
	S3Transfer *next;
	bool		dropped = false;

	if (event != SUBXACT_EVENT_ABORT_SUB)
		return;
	for (t = in_flight; t != NULL; t = next)
	{
		next = t->next;
		if (t->subid >= mySubid)
		{
			release_transfer(t);
			dropped = true;
		}
	}
	if (dropped)
		s3_http_distrust_connection();
}

static void
http_init(void)
{
	if (multi_handle != NULL)
		return;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
				 errmsg("could not initialize libcurl")));
	multi_handle = curl_multi_init();
	if (multi_handle == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Could not create a libcurl handle.")));
	on_proc_exit(http_cleanup, 0);
	RegisterXactCallback(http_xact_callback, NULL);
	RegisterSubXactCallback(http_subxact_callback, NULL);
}

/* Releases what a transfer holds; it is no longer in flight. */
static void
release_transfer(S3Transfer *t)
{
	S3Transfer **link;

	for (link = &in_flight; *link != NULL; link = &(*link)->next)
		if (*link == t)
		{
			*link = t->next;
			break;
		}
	curl_multi_remove_handle(multi_handle, t->easy);
	/* forget the pointers into the transfer */
	curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(t->easy, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(t->easy, CURLOPT_OPENSOCKETDATA, NULL);
	curl_easy_setopt(t->easy, CURLOPT_DEBUGDATA, NULL);
	curl_easy_setopt(t->easy, CURLOPT_HEADERDATA, NULL);
	curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, NULL);
	curl_easy_setopt(t->easy, CURLOPT_READDATA, NULL);
	curl_easy_setopt(t->easy, CURLOPT_SEEKDATA, NULL);
	if (spare_easy == NULL)
		spare_easy = t->easy;
	else
		curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->headers);
	free(t->st.headers);
	if (t->st.buf_is_malloc)
		free(t->st.buf);
	free(t->what);
	free(t);
	if (in_flight == NULL && distrust_pending)
		s3_http_distrust_connection();
}

/*
 * Whether a transfer is over (its answer has come, or it failed), or no
 * longer in flight: finishing it will not wait for the network.
 */
bool
s3_http_done(S3Transfer *t, uint64 serial)
{
	return !s3_http_alive(t, serial) || t->done;
}

/*
 * A transfer's serial number, by which s3_http_alive() tells whether it is
 * still in flight: a failed subtransaction drops the transfers it started,
 * which an outer scan may have been waiting for.
 */
uint64
s3_http_serial(S3Transfer *t)
{
	return t->serial;
}

bool
s3_http_alive(S3Transfer *t, uint64 serial)
{
	S3Transfer *x;

	for (x = in_flight; x != NULL; x = x->next)
		if (x == t && x->serial == serial)
			return true;
	return false;
}

/*
 * Drops one transfer whose answer is no longer wanted (a scan that ends
 * before the rows it fetched ahead).  libcurl closes the connection of a
 * transfer removed midway; the others stay pooled.
 */
void
s3_http_cancel(S3Transfer *t)
{
	release_transfer(t);
}

/*
 * Drops every transfer in flight (after an error, a cancel, the end of a
 * transaction that failed): a transfer cut off midway leaves its connection
 * in no known state, so the pooled connections are closed too.
 */
static void
abandon_all(void)
{
	if (in_flight == NULL)
		return;
	while (in_flight != NULL)
		release_transfer(in_flight);
	s3_http_distrust_connection();
}

static char *
pstrdup_or_null(const char *s)
{
	return s[0] ? pstrdup(s) : NULL;
}

/*
 * Set the easy handle up for one request: its options, and the
 * callbacks that fill st.
 */
static void
configure_transfer(S3Transfer *t)
{
	const S3HttpRequest *req = t->req;
	TransferState *st = &t->st;
	CURL	   *easy = t->easy;

	curl_easy_reset(easy);
	curl_easy_setopt(easy, CURLOPT_URL, req->url);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS, (long) (CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
					 (long) (req->connect_timeout_ms > 0 ? req->connect_timeout_ms : CONNECT_TIMEOUT_MS));
	if (req->timeout_ms > 0)
		curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, (long) req->timeout_ms);
	if (req->ca_file)
		curl_easy_setopt(easy, CURLOPT_CAINFO, req->ca_file);
	/* otherwise libcurl follows http_proxy, HTTPS_PROXY, ALL_PROXY, NO_PROXY */
	if (req->no_proxy)
		curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, s3_http_header_cb);
	curl_easy_setopt(easy, CURLOPT_HEADERDATA, st);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, s3_http_write_cb);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, st);
	curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, s3_http_opensocket_cb);
	curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, st);
	curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, s3_http_closesocket_cb);
	curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, NULL);
	curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, s3_http_debug_cb);
	curl_easy_setopt(easy, CURLOPT_DEBUGDATA, st);
	curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L);

	/* large reads from the socket: fewer callbacks for large bodies */
	curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, (long) RECEIVE_BUFFER);
	if (strcmp(req->method, "GET") == 0)
		curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
	else if (strcmp(req->method, "HEAD") == 0)
		curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
	else if (strcmp(req->method, "PUT") == 0 || req->body != NULL)
	{
		st->upload = req->body ? req->body : "";
		st->upload_len = req->body ? req->body_len : 0;
		curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(easy, CURLOPT_READFUNCTION, s3_http_read_cb);
		curl_easy_setopt(easy, CURLOPT_READDATA, st);
		curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, s3_http_seek_cb);
		curl_easy_setopt(easy, CURLOPT_SEEKDATA, st);
		curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t) st->upload_len);
#if LIBCURL_VERSION_NUM >= 0x073e00
		if (st->upload_len > SEND_BUFFER)
			curl_easy_setopt(easy, CURLOPT_UPLOAD_BUFFERSIZE, (long) SEND_BUFFER);
#endif
		if (strcmp(req->method, "PUT") != 0)
			curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req->method);
	}
	else
		curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req->method);
}

/*
 * What pg_stat_activity shows while a backend waits here: wait_event_type
 * "Extension", and from PostgreSQL 17 on a wait_event of its own, named the
 * first time a backend waits ("S3Request" for the network, "S3RetryBackoff"
 * for the pause before another try); before 17, "Extension" as well.
 */
#define WAIT_REQUEST	0
#define WAIT_BACKOFF	1

static uint32
wait_event_for(int which)
{
#if PG_VERSION_NUM >= 170000
	static uint32 events[2];

	if (events[which] == 0)
		events[which] = WaitEventExtensionNew(which == WAIT_REQUEST ?
											  "S3Request" : "S3RetryBackoff");
	return events[which];
#else
	(void) which;
	return PG_WAIT_EXTENSION;
#endif
}

/* as drive_transfers()'s target: wait for none, only for the deadline */
#define NO_TARGET ((S3Transfer *) -1)

/*
 * Drive every transfer in flight until target is done (or, with target
 * NULL, any of them), and return it; NULL when none is in flight, or when
 * the deadline (if not 0) has passed.  Waits in slices of at most
 * POLL_SLICE_MS with CHECK_FOR_INTERRUPTS() between them.  When a body
 * begins, its write callback has paused its transfer: give it its buffer
 * and resume.
 */
static S3Transfer *
drive_transfers(S3Transfer *target, TimestampTz deadline, bool (*ready) (void *), void *arg)
{
	for (;;)
	{
		long		slice = POLL_SLICE_MS;

		int			running = 0;
		int			msgs_left;
		CURLMsg    *msg;
		CURLMcode	mc;
		S3Transfer *t;
		bool		resumed = false;

		for (t = in_flight; t != NULL; t = t->next)
			if (t->done && (target == NULL || t == target))
				return t;
		if (in_flight == NULL)
			return NULL;

		mc = curl_multi_perform(multi_handle, &running);
		if (mc != CURLM_OK)
			ereport(ERROR,
					(errcode(ERRCODE_CONNECTION_FAILURE),
					 errmsg_internal("%s", in_flight->what),
					 errdetail_internal("%s.", curl_multi_strerror(mc))));
		for (t = in_flight; t != NULL; t = t->next)
		{
			long		status = 0;

			if (!t->st.need_buffer)
				continue;
			t->st.need_buffer = false;
			curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
			s3_http_provide_buffer(&t->st, status, t->offset, t->cxt);
			if (t->st.buf == NULL)
				t->done = true; /* too large or out of memory */
			else
				curl_easy_pause(t->easy, CURLPAUSE_CONT);
			resumed = true;
		}
		while ((msg = curl_multi_info_read(multi_handle, &msgs_left)) != NULL)
		{
			if (msg->msg != CURLMSG_DONE)
				continue;
			for (t = in_flight; t != NULL; t = t->next)
				if (t->easy == msg->easy_handle)
				{
					t->done = true;
					t->result = msg->data.result;
				}
		}
		if (resumed)
			continue;
		for (t = in_flight; t != NULL; t = t->next)
			if (t->done && (target == NULL || t == target))
				return t;
		if (ready != NULL && ready(arg))
			return NULL;
		if (deadline != 0)
		{
			long		left = (long) ((deadline - GetCurrentTimestamp()) / 1000);

			if (left <= 0)
				return NULL;
			slice = Min(slice, left);
		}
		pgstat_report_wait_start(wait_event_for(WAIT_REQUEST));
		mc = curl_multi_poll(multi_handle, NULL, 0, (int) slice, NULL);
		pgstat_report_wait_end();
		if (mc != CURLM_OK)
			ereport(ERROR,
					(errcode(ERRCODE_CONNECTION_FAILURE),
					 errmsg_internal("%s", in_flight->what),
					 errdetail_internal("%s.", curl_multi_strerror(mc))));
		CHECK_FOR_INTERRUPTS();
	}
}

/*
 * Wait until t is done, driving every transfer in flight meanwhile (they
 * all share the multi handle).
 */
void
s3_http_wait_for(S3Transfer *t)
{
	(void) drive_transfers(t, 0, NULL, NULL);
}

/*
 * Drive the transfers in flight until t is done or ready(arg) says what
 * the caller waits for has come (a sink has seen enough of a body).
 */
void
s3_http_wait_ready(S3Transfer *t, bool (*ready) (void *), void *arg)
{
	(void) drive_transfers(t, 0, ready, arg);
}

/*
 * Let the transfers in flight move on as far as they can without waiting
 * (bytes the sockets have, or have room for), and return.  For a caller
 * that does other work between its waits (COPY parsing one chunk of an
 * import while the next ones come, or making the rows of an export while
 * its parts go out): without it, a transfer moves only while someone
 * waits, and the socket buffers fill and stop it meanwhile.  A transfer
 * that ends is kept for whoever waits for it, as in the waits.
 */
void
s3_http_progress(void)
{
	/* a deadline long past: one pass of the loop, no wait */
	if (in_flight != NULL)
		(void) drive_transfers(NO_TARGET, 1, NULL, NULL);
}

/*
 * Let ms milliseconds pass (a wait before another try) while the transfers
 * in flight go on; a cancel ends the wait.
 */
void
s3_http_pause(long ms)
{
	TimestampTz end = GetCurrentTimestamp() + ms * 1000L;

	for (;;)
	{
		long		left = (long) ((end - GetCurrentTimestamp()) / 1000);

		CHECK_FOR_INTERRUPTS();
		if (left <= 0)
			return;
		if (in_flight != NULL)
		{
			(void) drive_transfers(NO_TARGET, end, NULL, NULL);
			continue;
		}
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 left, wait_event_for(WAIT_BACKOFF));
		ResetLatch(MyLatch);
	}
}

/* Hand the answer over: the body (as a bytea when asked) and its headers. */
static void
fill_response(const S3HttpRequest *req, TransferState *st, long status, MemoryContext cxt,
			  S3HttpResponse *resp)
{
	resp->status = status;
	if (st->buf != NULL)
	{
		st->buf[st->len] = '\0';
		resp->body = st->buf + st->offset;
		resp->body_len = st->len - st->offset;
		if (req->bytea_body)
			SET_VARSIZE(st->buf, st->len);
	}
	else if (req->bytea_body)
	{
		/* empty body: still hand back a valid empty bytea */
		char	   *empty = MemoryContextAllocZero(cxt, VARHDRSZ + 1);

		SET_VARSIZE(empty, VARHDRSZ);
		resp->body = empty + VARHDRSZ;
		resp->body_len = 0;
	}
	resp->etag = pstrdup_or_null(st->etag);
	resp->request_id = pstrdup_or_null(st->request_id);
	resp->content_type = pstrdup_or_null(st->content_type);
	resp->bucket_region = pstrdup_or_null(st->bucket_region);
	resp->sse = pstrdup_or_null(st->sse);
	resp->content_range = pstrdup_or_null(st->content_range);
	resp->checksum_algorithm = pstrdup_or_null(st->checksum_name);
	resp->checksum = pstrdup_or_null(st->checksum);
	resp->checksum_type = pstrdup_or_null(st->checksum_type);
	resp->headers = st->headers;	/* palloc'd by s3_http_finish */
}

/*
 * The answer's kept headers (keep_headers) one at a time: from *cursor
 * (resp->headers at first), the next line with a colon, its name (name,
 * namelen: not terminated) and its value trimmed (value, valuelen); false
 * at the end.  Nothing is allocated.
 */
bool
s3_response_next_header(const char **cursor, const char **name, size_t *namelen,
						const char **value, size_t *valuelen)
{
	while (*cursor != NULL && **cursor)
	{
		const char *line = *cursor;
		const char *end = strchr(line, '\n');
		const char *e = end ? end : line + strlen(line);
		const char *colon = memchr(line, ':', e - line);
		const char *v;

		*cursor = end ? end + 1 : NULL;
		if (colon == NULL)
			continue;
		v = colon + 1;
		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		while (e > v && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*name = line;
		*namelen = colon - line;
		*value = v;
		*valuelen = e - v;
		return true;
	}
	return false;
}

/*
 * The value of a header of the answer (kept with keep_headers), trimmed, in
 * palloc'd memory; NULL when there is none.  The first of that name wins.
 */
char *
s3_response_header(const S3HttpResponse *resp, const char *name)
{
	const char *cursor = resp->headers;
	const char *n;
	const char *v;
	size_t		nlen;
	size_t		vlen;
	size_t		want = strlen(name);

	while (s3_response_next_header(&cursor, &n, &nlen, &v, &vlen))
		if (nlen == want && pg_strncasecmp(n, name, want) == 0)
			return pnstrdup(v, vlen);
	return NULL;
}

/*
 * Start one request: it is in flight, on the backend's multi handle, until
 * s3_http_wait_for() waits for it and s3_http_finish() reads it.  The body of a
 * successful answer will be allocated in the current memory context; req
 * (and what it points to) must live until then.
 */
S3Transfer *
s3_http_start(const S3HttpRequest *req, const char *what)
{
	S3Transfer *t;
	ListCell   *lc;

	s3_http_check_request(req, what);
	http_init();

	t = calloc(1, sizeof(S3Transfer));
	if (t == NULL || (t->what = strdup(what)) == NULL ||
		(t->easy = spare_easy ? spare_easy : curl_easy_init()) == NULL)
	{
		if (t != NULL)
			free(t->what);
		free(t);
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	}
	if (t->easy == spare_easy)
		spare_easy = NULL;
	t->req = req;
	t->cxt = CurrentMemoryContext;
	t->offset = req->bytea_body ? VARHDRSZ : 0;
	t->subid = GetCurrentSubTransactionId();
	t->serial = ++last_serial;
	t->st.content_length = -1;
	t->st.easy = t->easy;
	t->st.check_excess = !s3_http_is_https(req);
	t->st.limit_body = strcmp(req->method, "HEAD") != 0;
	t->st.max_body = req->max_body > 0 ? Min(req->max_body, MAX_VALUE_BODY) : MAX_VALUE_BODY;
	t->st.restricted = req->restricted;
	t->st.keep_headers = req->keep_headers;
	t->st.sink = req->sink;
	t->st.sink_arg = req->sink_arg;
	t->next = in_flight;
	in_flight = t;

	PG_TRY();
	{
		configure_transfer(t);
		foreach(lc, req->headers)
		{
			struct curl_slist *n = curl_slist_append(t->headers, (char *) lfirst(lc));

			if (n == NULL)
				ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
			t->headers = n;
		}
		/* no "Expect: 100-continue" round trip; S3 answers errors anyway */
		t->headers = curl_slist_append(t->headers, "Expect:");
		curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
		if (curl_multi_add_handle(multi_handle, t->easy) != CURLM_OK)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
					 errmsg_internal("%s", what),
					 errdetail("libcurl could not start the request.")));
	}
	PG_CATCH();
	{
		release_transfer(t);
		PG_RE_THROW();
	}
	PG_END_TRY();
	n_requests++;
	return t;
}

/*
 * Read a transfer that is done (s3_http_wait_for()): move its body into
 * PostgreSQL memory, release it, then judge the answer (an error for a
 * broken one; a transport failure raised, or returned with soft_errors).
 */
void
s3_http_finish(S3Transfer *t, S3HttpResponse *resp)
{
	const S3HttpRequest *req = t->req;
	MemoryContext cxt = t->cxt;
	TransferState st;
	CURLcode	result = t->result;
	long		status = 0;
	long		nconnects = 0;
	long		sent = 0;
	char		errbuf[CURL_ERROR_SIZE];
	char	   *what;

	memset(resp, 0, sizeof(*resp));
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(t->easy, CURLINFO_NUM_CONNECTS, &nconnects);
	/* was the request sent, the connection (TLS included) up? */
	curl_easy_getinfo(t->easy, CURLINFO_REQUEST_SIZE, &sent);
	n_connections += nconnects;

	/* move the body into PostgreSQL memory, then let go of the transfer */
	if (t->st.buf != NULL && t->st.buf_is_malloc && !t->st.too_large && !t->st.out_of_memory)
	{
		char	   *copy = MemoryContextAllocExtended(t->cxt, t->st.len + 1,
													  MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);

		if (copy == NULL)
			t->st.out_of_memory = true;
		else
		{
			memcpy(copy, t->st.buf, t->st.len);
			free(t->st.buf);
			t->st.buf = copy;
			t->st.buf_is_malloc = false;
		}
	}
	st = t->st;
	st.buf_is_malloc = false;	/* release_transfer frees a malloc'd one */
	if (t->st.buf_is_malloc)
		st.buf = NULL;
	/* release_transfer frees the kept header lines */
	st.headers = t->st.headers ? pstrdup(t->st.headers) : NULL;
	memcpy(errbuf, t->errbuf, sizeof(errbuf));
	what = pstrdup(t->what);
	release_transfer(t);

	/*
	 * libcurl 8.16 and later refuse a second Content-Length that disagrees
	 * with the first themselves, before the header callback sees it
	 */
	if (result == CURLE_WEIRD_SERVER_REPLY && st.content_length >= 0 &&
		strstr(errbuf, "Content-Length") != NULL)
		st.two_lengths = true;
	if (!s3_http_exchange_clean(req, &st, result))
		s3_http_distrust_connection();
	result = s3_http_check_answer(req, &st, result, what);
	if (result != CURLE_OK)
	{
		resp->transport_error = (int) result;
		resp->transport_message = pstrdup(curl_easy_strerror(result));
		resp->transport_detail = errbuf[0] ? pstrdup(errbuf) : NULL;
		resp->ca_file_set = req->ca_file != NULL;
		resp->connect_timed_out = result == CURLE_OPERATION_TIMEDOUT && sent <= 0;
		if (!req->soft_errors)
			s3_http_raise_transport(resp, what, 1);
		return;
	}
	if (st.buf != NULL && st.content_length >= 0 && strcmp(req->method, "HEAD") != 0 &&
		!st.error_body_capped && st.len - st.offset != (size_t) st.content_length)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg_internal("%s", what),
				 errdetail("The response body is shorter than its Content-Length: received %zu of %lld bytes.",
						   st.len - st.offset, st.content_length)));
	if (st.sink != NULL && !st.sink_failed && st.content_length >= 0 && status >= 200 &&
		status <= 299 && strcmp(req->method, "HEAD") != 0 && st.sunk != (size_t) st.content_length)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg_internal("%s", what),
				 errdetail("The response body is shorter than its Content-Length: received %zu of %lld bytes.",
						   st.sunk, st.content_length)));
	resp->sink_failed = st.sink_failed;
	fill_response(req, &st, status, cxt, resp);
}

/*
 * Perform one HTTP request and wait for it; fills *resp.  Transport
 * failures are raised here ("what" names the operation for the message)
 * unless soft_errors; HTTP error statuses are returned to the caller, which
 * knows how to word them.
 */
void
s3_http_perform(const S3HttpRequest *req, S3HttpResponse *resp,
				const char *what)
{
	S3Transfer *t = s3_http_start(req, what);

	PG_TRY();
	{
		(void) drive_transfers(t, 0, NULL, NULL);
	}
	PG_CATCH();
	{
		abandon_all();
		PG_RE_THROW();
	}
	PG_END_TRY();
	s3_http_finish(t, resp);
}

/*
 * After an answer that did not add up (a body that does not match its ETag
 * may have been longer than its Content-Length, leaving bytes behind on the
 * connection), close every pooled connection: the connection cache lives in
 * the multi handle, so a new one starts with none.  Never called during a
 * transfer.
 */
void
s3_http_distrust_connection(void)
{
	/* other transfers still use the handle: close them all once they end */
	if (in_flight != NULL)
	{
		distrust_pending = true;
		return;
	}
	distrust_pending = false;
	if (multi_handle != NULL)
	{
		CURLM	   *fresh = curl_multi_init();

		if (fresh != NULL)
		{
			curl_multi_cleanup(multi_handle);
			multi_handle = fresh;
		}
	}
}

/* Requests made and connections opened by this backend so far. */
void
s3_http_stats(int64 *requests, int64 *connections)
{
	*requests = n_requests;
	*connections = n_connections;
}
