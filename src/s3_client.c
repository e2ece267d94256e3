/*-------------------------------------------------------------------------
 *
 * s3_client.c
 *		The S3 operations: each checks its arguments, describes its request
 *		and hands it to the request layer (s3_request.c), which signs, sends,
 *		retries and reports errors; then turns S3's answer into a result.
 *
 * Arguments arrive in the database encoding; bucket names and keys are
 * checked here, before any request, and keys converted to UTF-8 for the
 * wire.  Messages name the operation, the bucket and the key.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "core.h"
#include "s3_fdw.h"
#include "s3_xml.h"
#include "digest.h"
#include "sigv4.h"

/* before PostgreSQL 14, string keys were dynahash's default */
#if PG_VERSION_NUM < 140000
#define HASH_STRINGS 0
#endif
/* a listing page: 1,000 keys of up to 1 kB each, URL-encoded, fit easily */
#define MAX_LISTING_BODY ((size_t) 16 * 1024 * 1024)
/* S3's continuation tokens are a few hundred bytes; allow generously more */
#define MAX_TOKEN_BYTES 8192

/*
 * Complete an operation's description of a request (what, method, bucket,
 * key, query, body...) with its address and the server's settings, and
 * load the credentials that will sign it.
 */
void
s3_address_call(S3Server *server, S3SignedRequest *call)
{
	s3_target	target;

	s3_load_credentials(server);

	if (s3_build_target(&server->endpoint, server->virtual_style,
						call->bucket, call->key, call->query, &target) != 0)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	call->url = pstrdup(target.url);
	call->host = pstrdup(target.host);
	call->path = pstrdup(target.path);
	s3_target_free(&target);
	call->region = server->region;
	call->service = "s3";
	call->server = server;
}

/* Address, sign and send one S3 request; returns only for a 2xx answer. */
void
s3_execute(S3Server *server, S3SignedRequest *call, S3HttpResponse *resp)
{
	s3_address_call(server, call);
	s3_send_signed(server->creds, call, resp);
}

/*
 * Start the description of a request on one object: checks the bucket name
 * and the key (converted to UTF-8 for the wire) before anything is sent.
 * what_fmt is the whole error message, with two %s for the key and the bucket.
 */
void
s3_object_call(S3SignedRequest *call, const char *method, const char *what_fmt,
			const char *bucket, const char *key)
{
	s3_check_bucket_arg(bucket);
	memset(call, 0, sizeof(*call));
	call->key = s3_check_key_arg(key);
	call->what = psprintf(what_fmt, key, bucket);
	call->method = method;
	call->bucket = bucket;
}

/*
 * A value from SQL that becomes a request header (content_type): it must
 * not be blank, and must be printable ASCII, so that no line break can add
 * headers or a whole request of its own.  Checked before anything is sent;
 * the signer and the HTTP layer refuse such values again.
 */
void
s3_check_header_arg(const char *argname, const char *value)
{
	const unsigned char *p;
	bool		blank = true;

	for (p = (const unsigned char *) value; *p; p++)
	{
		if ((*p < 0x20 && *p != '\t') || *p >= 0x7f)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid %s", argname),
					 errdetail("A header value must be printable ASCII, without line breaks or other control characters.")));
		if (*p != ' ' && *p != '\t')
			blank = false;
	}
	if (blank)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be empty", argname)));
	if (strlen(value) > 1024)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be longer than 1024 bytes", argname)));
}

/* Appends "&name=encoded value" (or without '&' at the start). */
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
 * be (a token: MAX_TOKEN_BYTES) or holding control characters.
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
	if (max_bytes == MAX_TOKEN_BYTES && !s3_printable_ascii(utf8))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s", name),
				 errdetail("A continuation token is printable ASCII.")));
	return utf8;
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
	if (!s3_printable_ascii(token))
		s3_report_invalid_response(what, "the continuation token is not printable ASCII");
	if (g != NULL && token_guard_add(g, token))
		s3_report_invalid_response(what,
								   "S3 gave a continuation token it had given before, so the listing would never end");
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
	size_t		i;

	if (list->n > t->asked)
		s3_report_invalid_response(t->what,
								   psprintf("the page has %zu keys; the request asked for at most %zu",
											list->n, t->asked));
	check_next_token(t->lr->guard, t->what, list->is_truncated, list->next_continuation_token);
	page->objects = palloc0(sizeof(S3ObjectInfo) * Max(list->n, 1));
	for (i = 0; i < list->n; i++)
	{
		s3_object_entry *e = &list->items[i];
		S3ObjectInfo *o = &page->objects[i];

		o->key = pstrdup(e->key);
		o->size = e->size;
		o->last_modified = e->last_modified ? pstrdup(e->last_modified) : NULL;
		o->etag = e->etag ? s3_text_from_utf8(e->etag, NULL) : NULL;
		o->storage_class = e->storage_class
			? s3_text_from_utf8(e->storage_class, NULL) : NULL;
	}
	page->nobjects = (int) list->n;
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
 * One page of ListObjectsV2, allocated in the current memory context.
 * Keys are asked for URL-encoded (so that any byte survives XML) and handed
 * back as S3 sent them, in UTF-8: s3_text_from_utf8() converts each when it
 * is needed.  A page with more keys than were asked for, or a truncated
 * page without a new continuation token, is an invalid response.
 */
S3ObjectPage *
s3_list_objects(S3Server *server, const S3ListRequest *lr)
{
	S3SignedRequest call;
	S3HttpResponse resp;
	StringInfoData q;
	s3_object_list list;
	char		errbuf[128];
	S3ObjectPage *page;
	ObjectPageTake otake;
	size_t		asked = lr->max_keys > 0 ? (size_t) lr->max_keys : 1000;

	s3_check_bucket_arg(lr->bucket);
	memset(&call, 0, sizeof(call));
	call.what = psprintf(_("could not list objects in bucket \"%s\""), lr->bucket);
	call.method = "GET";
	call.bucket = lr->bucket;
	call.max_body = MAX_LISTING_BODY;

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
					 listing_param("start_after", lr->start_after, S3_MAX_KEY_BYTES));
	call.query = q.data;
	/* the token asked with counts as given: S3 must not give it again */
	if (lr->guard != NULL && lr->continuation_token != NULL)
		(void) token_guard_add(lr->guard, lr->continuation_token);

	s3_execute(server, &call, &resp);
	expect_xml(call.what, &resp);

	if (s3_xml_parse_list_objects(resp.body, resp.body_len, &list, errbuf, sizeof(errbuf)) != 0)
		s3_report_invalid_response(call.what, errbuf);

	page = palloc0(sizeof(S3ObjectPage));
	otake.page = page;
	otake.lr = lr;
	otake.what = call.what;
	otake.asked = asked;
	s3_take_core_result(&list, release_object_list, take_object_page, &otake);
	return page;
}

void
s3_create_bucket(S3Server *server, const char *bucket)
{
	S3SignedRequest call;
	S3HttpResponse resp;

	s3_check_bucket_arg(bucket);
	memset(&call, 0, sizeof(call));
	call.what = psprintf(_("could not create bucket \"%s\""), bucket);
	call.method = "PUT";
	call.bucket = bucket;
	if (strcmp(server->region, "us-east-1") != 0)
	{
		call.body = psprintf("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
							 "<LocationConstraint>%s</LocationConstraint>"
							 "</CreateBucketConfiguration>", server->region);
		call.body_len = strlen(call.body);
		call.content_type = "application/xml";
	}
	s3_execute(server, &call, &resp);
}

/*
 * Where S3's ETag is the MD5 of the body (a single-part upload without
 * SSE-KMS or SSE-C encryption: 32 hex digits), check the body against it.
 */
static void
check_etag(const S3SignedRequest *call, const S3HttpResponse *resp)
{
	const char *etag = resp->etag;
	char		md5[33];
	size_t		len;
	size_t		i;

	if (etag == NULL || (resp->sse != NULL && strcmp(resp->sse, "AES256") != 0))
		return;
	if (etag[0] == '"')
		etag++;
	len = strlen(etag);
	if (len > 0 && etag[len - 1] == '"')
		len--;
	if (len != 32)
		return;
	for (i = 0; i < 32; i++)
		if (!isxdigit((unsigned char) etag[i]))
			return;
	sigv4_md5_hex(resp->body, resp->body_len, md5);
	if (pg_strncasecmp(md5, etag, 32) != 0)
	{
		s3_http_distrust_connection();
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg_internal("%s", call->what),
				 errdetail("The body does not match its ETag: S3 gave ETag %.32s, the MD5 of the %zu bytes received is %s.",
						   etag, resp->body_len, md5)));
	}
}

bytea *
s3_get_object(S3Server *server, const char *bucket, const char *key)
{
	S3SignedRequest call;
	S3HttpResponse resp;

	s3_object_call(&call, "GET", _("could not read object \"%s\" from bucket \"%s\""), bucket, key);
	call.bytea_body = true;
	s3_execute(server, &call, &resp);
	check_etag(&call, &resp);
	return (bytea *) (resp.body - VARHDRSZ);
}

/*
 * A GET of an object named as a listing gave it (UTF-8, valid on the
 * wire), started without waiting, so that several are in flight; key is
 * the name for messages (in the database encoding).  Everything, the body
 * included, is allocated in the current memory context.
 * s3_get_object_finish() waits for the body.
 */
S3ObjectFetch *
s3_get_object_start(S3Server *server, const char *bucket, const char *utf8_key,
					const char *key)
{
	S3ObjectFetch *f = palloc0(sizeof(S3ObjectFetch));

	f->call.what = psprintf(_("could not read object \"%s\" from bucket \"%s\""), key, bucket);
	f->call.method = "GET";
	f->call.bucket = bucket;
	f->call.key = utf8_key;
	f->call.bytea_body = true;
	s3_address_call(server, &f->call);
	f->pending = s3_request_start(server->creds, &f->call);
	return f;
}

bytea *
s3_get_object_finish(S3ObjectFetch *f)
{
	S3HttpResponse resp;

	s3_request_finish(f->pending, &resp);
	f->pending = NULL;
	check_etag(&f->call, &resp);
	return (bytea *) (resp.body - VARHDRSZ);
}

/* Drops a GET whose body is no longer wanted. */
void
s3_get_object_cancel(S3ObjectFetch *f)
{
	if (f->pending != NULL)
		s3_request_cancel(f->pending);
	f->pending = NULL;
}

/*
 * An object's body as text: it must be UTF-8, and is converted to the
 * database encoding.
 */
text *
s3_object_as_text(bytea *raw, const char *bucket, const char *key)
{
	char	   *data = VARDATA(raw);
	int			len = VARSIZE(raw) - VARHDRSZ;
	char	   *converted;

	if (!pg_verify_mbstr(PG_UTF8, data, len, true))
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("object \"%s\" in bucket \"%s\" is not valid UTF-8 text",
						key, bucket),
				 errhint("Use s3_read() to read it as bytea.")));

	converted = pg_any_to_server(data, len, PG_UTF8);
	if (converted == data)
		return (text *) raw;	/* same layout, no copy */
	return cstring_to_text(converted);
}

char *
s3_put_object(S3Server *server, const char *bucket, const char *key,
			  const char *data, size_t len, const char *content_type)
{
	S3SignedRequest call;
	S3HttpResponse resp;
	char	   *etag;
	size_t		elen;

	if (content_type != NULL)
		s3_check_header_arg("content_type", content_type);
	if (len > (size_t) server->multipart_threshold)
		return s3_multipart_put(server, bucket, key, data, len, content_type);
	s3_object_call(&call, "PUT", _("could not upload object \"%s\" to bucket \"%s\""), bucket, key);
	call.body = data;
	call.body_len = len;
	call.content_type = content_type;
	/* the signed payload hash (or the CRC-32C) already protects the body */
	s3_execute(server, &call, &resp);

	if (resp.etag == NULL)
		return NULL;
	etag = resp.etag;
	elen = strlen(etag);
	if (elen >= 2 && etag[0] == '"' && etag[elen - 1] == '"')
		return pnstrdup(etag + 1, elen - 2);
	return etag;
}

void
s3_delete_object(S3Server *server, const char *bucket, const char *key)
{
	S3SignedRequest call;
	S3HttpResponse resp;

	s3_object_call(&call, "DELETE", _("could not remove object \"%s\" from bucket \"%s\""), bucket, key);
	s3_execute(server, &call, &resp);
}

/*
 * A presigned URL for one object.  Nothing is sent: the URL carries the
 * signature, valid for expires_in seconds from now.
 */
char *
s3_presign(S3Server *server, const char *method, const char *bucket,
		   const char *key, int expires_in, const char *content_type)
{
	s3_target	target;
	sigv4_request sreq;
	sigv4_credentials cred;
	sigv4_result sres;
	sigv4_header extra;
	char		amz_date[17];
	char	   *ukey;
	char	   *url;
	int			rc;

	s3_check_bucket_arg(bucket);
	ukey = s3_check_key_arg(key);
	if (content_type != NULL)
		s3_check_header_arg("content_type", content_type);
	if (expires_in < 1 || expires_in > 604800)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("expires_in must be between 1 and 604800 seconds (7 days), not %d",
						expires_in)));
	s3_load_credentials(server);

	if (s3_build_target(&server->endpoint, server->virtual_style,
						bucket, ukey, NULL, &target) != 0)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));

	sigv4_amz_date(time(NULL), amz_date);
	memset(&sreq, 0, sizeof(sreq));
	sreq.method = method;
	sreq.host = target.host;
	sreq.path = target.path;
	if (content_type != NULL)
	{
		extra.name = "content-type";
		extra.value = content_type;
		sreq.headers = &extra;
		sreq.nheaders = 1;
	}
	sreq.payload_sha256 = SIGV4_UNSIGNED_PAYLOAD;
	sreq.region = server->region;
	sreq.service = "s3";
	sreq.amz_date = amz_date;
	cred.access_key_id = server->creds->access_key_id;
	cred.secret_access_key = server->creds->secret_access_key;
	cred.session_token = server->creds->session_token;

	rc = sigv4_presign(&sreq, &cred, expires_in, &sres);
	url = rc == 0 ? psprintf("%s?%s", target.url, sres.presigned_query) : NULL;
	if (rc == 0)
		sigv4_result_free(&sres);
	s3_target_free(&target);
	if (url == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("could not sign a URL for object \"%s\" in bucket \"%s\"", key, bucket)));
	return url;
}
