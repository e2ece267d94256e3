/*-------------------------------------------------------------------------
 *
 * s3_client.c
 *		The S3 operations: each builds its request, signs it with SigV4,
 *		sends it through the HTTP layer and turns S3's answer into a result
 *		or into an ereport() with a fitting SQLSTATE.
 *
 * Arguments arrive in the database encoding; bucket names and keys are
 * checked here, before any request, and keys converted to UTF-8 for the
 * wire.  Messages name the operation, the bucket and the key; the detail
 * carries S3's HTTP status, error code, message and request id.  No
 * credential ever appears in a message.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/latch.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#if PG_VERSION_NUM >= 140000
#include "utils/wait_event.h"
#else
#include "pgstat.h"
#endif
#include "utils/timestamp.h"

#include "s3_fdw.h"
#include "s3_xml.h"
#include "sigv4.h"

#define DEFAULT_MAX_RETRIES 3

/* before PostgreSQL 14, string keys were dynahash's default */
#if PG_VERSION_NUM < 140000
#define HASH_STRINGS 0
#endif
/* a listing page: 1,000 keys of up to 1 kB each, URL-encoded, fit easily */
#define MAX_LISTING_BODY ((size_t) 16 * 1024 * 1024)
/* S3's continuation tokens are a few hundred bytes; allow generously more */
#define MAX_TOKEN_BYTES 8192

/* One S3 request, as the operations describe it */
typedef struct S3Call
{
	const char *what;			/* "read object "k" from bucket "b"" */
	const char *method;
	const char *bucket;			/* NULL for service-level requests */
	const char *key;			/* UTF-8, NULL for bucket-level requests */
	const char *query;			/* encoded, or NULL */
	const char *body;
	size_t		body_len;
	const char *content_type;
	bool		content_md5;
	bool		bytea_body;
	size_t		max_body;		/* see S3HttpRequest */
} S3Call;

/* How S3's error codes map onto SQLSTATEs, with advice where there is some */
typedef struct S3ErrorMap
{
	const char *code;
	int			sqlstate;
	const char *hint;
} S3ErrorMap;

static const S3ErrorMap error_map[] = {
	{"NoSuchKey", ERRCODE_UNDEFINED_FILE, NULL},
	{"NoSuchBucket", ERRCODE_UNDEFINED_FILE,
	"Check the bucket name; s3_list_buckets() lists the buckets the server can see."},
	{"AccessDenied", ERRCODE_INSUFFICIENT_PRIVILEGE,
	"Check the IAM policy of the access key in the user mapping."},
	{"AllAccessDisabled", ERRCODE_INSUFFICIENT_PRIVILEGE, NULL},
	{"AccountProblem", ERRCODE_INSUFFICIENT_PRIVILEGE, NULL},
	{"InvalidAccessKeyId", ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION,
	"Check access_key_id in the user mapping."},
	{"SignatureDoesNotMatch", ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION,
	"Check secret_access_key in the user mapping."},
	{"InvalidToken", ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION,
	"Check session_token in the user mapping."},
	{"ExpiredToken", ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION,
	"The session token has expired: renew session_token in the user mapping."},
	{"TokenRefreshRequired", ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION,
	"The session token has expired: renew session_token in the user mapping."},
	{"RequestTimeTooSkewed", ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION,
	"The database server's clock is more than 15 minutes away from S3's."},
	{"AuthorizationHeaderMalformed", ERRCODE_INVALID_PARAMETER_VALUE,
	"Check the server's region option."},
	{"BucketAlreadyExists", ERRCODE_DUPLICATE_OBJECT,
	"Bucket names are shared by all AWS accounts: choose another name."},
	{"BucketAlreadyOwnedByYou", ERRCODE_DUPLICATE_OBJECT, NULL},
	{"InvalidBucketName", ERRCODE_INVALID_NAME, NULL},
	{"KeyTooLongError", ERRCODE_INVALID_PARAMETER_VALUE, NULL},
	{"InvalidArgument", ERRCODE_INVALID_PARAMETER_VALUE, NULL},
	{"InvalidRequest", ERRCODE_INVALID_PARAMETER_VALUE, NULL},
	{"MalformedXML", ERRCODE_INVALID_PARAMETER_VALUE, NULL},
	{"InvalidLocationConstraint", ERRCODE_INVALID_PARAMETER_VALUE,
	"Check the server's region option."},
	{"IllegalLocationConstraintException", ERRCODE_INVALID_PARAMETER_VALUE,
	"Check the server's region option."},
	{"BadDigest", ERRCODE_DATA_CORRUPTED, NULL},
	{"InvalidDigest", ERRCODE_DATA_CORRUPTED, NULL},
	{"EntityTooLarge", ERRCODE_PROGRAM_LIMIT_EXCEEDED, NULL},
	{"NotImplemented", ERRCODE_FEATURE_NOT_SUPPORTED, NULL},
	{"MethodNotAllowed", ERRCODE_FEATURE_NOT_SUPPORTED, NULL},
	{"SlowDown", ERRCODE_FDW_ERROR, "S3 is throttling requests: try again later."},
	{"ServiceUnavailable", ERRCODE_FDW_ERROR, "Try again later."},
	{"InternalError", ERRCODE_FDW_ERROR, "Try again later."},
	{NULL, 0, NULL}
};

static int
sqlstate_for_status(long status)
{
	switch (status)
	{
		case 400:
			return ERRCODE_INVALID_PARAMETER_VALUE;
		case 401:
		case 403:
			return ERRCODE_INSUFFICIENT_PRIVILEGE;
		case 404:
			return ERRCODE_UNDEFINED_FILE;
		case 409:
		case 412:
			return ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE;
		default:
			return ERRCODE_FDW_ERROR;
	}
}

static char *
copy_and_free(char *s)
{
	char	   *p = s ? pstrdup(s) : NULL;

	free(s);
	return p;
}

/*
 * Raise the error for a response that is not 2xx.
 */
void
s3_report_error(const char *what, const char *who, const S3HttpResponse *resp, int tries)
{
	s3_error_info info;
	char		errbuf[128];
	const S3ErrorMap *m;
	const char *code = NULL,
			   *message = NULL,
			   *request_id = resp->request_id,
			   *region = resp->bucket_region;
	int			sqlstate = sqlstate_for_status(resp->status);
	const char *hint = NULL;
	StringInfoData detail;
	char	   *region_hint = NULL;

	memset(&info, 0, sizeof(info));
	if (resp->body_len > 0 &&
		s3_xml_parse_error(resp->body, resp->body_len, &info, errbuf, sizeof(errbuf)) == 0)
	{
		code = copy_and_free(info.code);
		message = copy_and_free(info.message);
		if (info.request_id)
			request_id = copy_and_free(info.request_id);
		if (info.region)
			region = copy_and_free(info.region);
		info.code = info.message = info.request_id = info.region = NULL;
	}
	s3_error_info_free(&info);

	if (code != NULL)
	{
		for (m = error_map; m->code; m++)
		{
			if (strcmp(m->code, code) == 0)
			{
				sqlstate = m->sqlstate;
				hint = m->hint;
				break;
			}
		}
	}
	/* the map's advice is about S3 and user mappings */
	if (strcmp(who, "S3") != 0 && code != NULL && strcmp(code, "AccessDenied") == 0)
		hint = "Check the role's trust policy, and that the caller may assume the role.";
	else if (strcmp(who, "S3") != 0 && strcmp(who, "STS") != 0)
		hint = NULL;
	if (resp->status == 301 || (code && strcmp(code, "PermanentRedirect") == 0))
	{
		sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
		if (region != NULL)
			region_hint = psprintf("The bucket is in region \"%s\": create a server with OPTIONS (region '%s') for it.",
								   region, region);
		else
			hint = "The bucket is in another region: set the server's region option to the bucket's.";
	}

	initStringInfo(&detail);
	appendStringInfo(&detail, "%s answered HTTP %ld", who, resp->status);
	if (code != NULL)
		appendStringInfo(&detail, " with error code %s", code);
	else if (resp->body_len > 0)
		appendStringInfoString(&detail, " without an error document");
	if (message != NULL)
		appendStringInfo(&detail, ": %s", message);
	if (detail.data[detail.len - 1] != '.')
		appendStringInfoChar(&detail, '.');
	if (request_id != NULL)
		appendStringInfo(&detail, " Request id: %s.", request_id);
	if (tries > 1)
		appendStringInfo(&detail, " Gave up after %d tries.", tries);

	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("could not %s", what),
			 errdetail_internal("%s", detail.data),
			 region_hint ? errhint("%s", region_hint) :
			 hint ? errhint("%s", hint) : 0));
}

/*
 * Statuses worth another try: S3's 5xx, and its RequestTimeout and SlowDown
 * whatever status they come with.  Other 4xx are the request's fault.
 */
static bool
status_retryable(const S3HttpResponse *resp)
{
	s3_error_info info;
	char		errbuf[128];
	bool		retry = false;

	/* a successful answer is never tried again, whatever its body says */
	if (resp->status >= 200 && resp->status <= 299)
		return false;
	if (resp->status == 500 || resp->status == 502 || resp->status == 503 ||
		resp->status == 504)
		return true;
	memset(&info, 0, sizeof(info));
	if (resp->body_len > 0 &&
		s3_xml_parse_error(resp->body, resp->body_len, &info, errbuf, sizeof(errbuf)) == 0 &&
		info.code != NULL)
		retry = strcmp(info.code, "RequestTimeout") == 0 || strcmp(info.code, "SlowDown") == 0;
	s3_error_info_free(&info);
	return retry;
}

/*
 * Wait before try number tries + 1: exponential backoff with full jitter
 * (a random time up to 100 ms * 2^(tries - 1), at most 5 s), on the latch,
 * so that a cancel ends the wait.
 */
static void
backoff(int tries)
{
	long		cap = Min(100L << Min(tries - 1, 10), 5000L);
	long		wait_ms = (long) (cap * ((double) random() / 2147483648.0)) + 1;
	TimestampTz end = GetCurrentTimestamp() + wait_ms * 1000L;

	for (;;)
	{
		long		left = (long) ((end - GetCurrentTimestamp()) / 1000);

		CHECK_FOR_INTERRUPTS();
		if (left <= 0)
			break;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 left, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}

/*
 * Sign a request with SigV4 and send it; returns only for a 2xx answer.
 * Also used for STS (service "sts").
 */
void
s3_send_signed(const S3Credentials *creds, const S3SignedRequest *r, S3HttpResponse *resp)
{
	S3HttpRequest req;
	sigv4_request sreq;
	sigv4_credentials cred;
	sigv4_result sres;
	sigv4_header extra[2];
	int			nextra = 0;
	char		amz_date[17];
	char		payload_sha[65];
	char		md5[25];
	char	   *authorization;
	List	   *headers;
	int			tries;
	int			max_retries = DEFAULT_MAX_RETRIES;

	sigv4_sha256_hex(r->body ? r->body : "", r->body_len, payload_sha);
	if (r->content_type)
	{
		extra[nextra].name = "content-type";
		extra[nextra++].value = r->content_type;
	}
	if (r->content_md5)
	{
		sigv4_md5_base64(r->body ? r->body : "", r->body_len, md5);
		extra[nextra].name = "content-md5";
		extra[nextra++].value = md5;
	}
	cred.access_key_id = creds->access_key_id;
	cred.secret_access_key = creds->secret_access_key;
	cred.session_token = creds->session_token;

	for (tries = 1;; tries++)
	{
		/* each try is signed anew: the signature covers the time */
		sigv4_amz_date(time(NULL), amz_date);
		memset(&sreq, 0, sizeof(sreq));
		sreq.method = r->method;
		sreq.host = r->host;
		sreq.path = r->path;
		sreq.query = r->query;
		sreq.headers = extra;
		sreq.nheaders = nextra;
		sreq.payload_sha256 = payload_sha;
		sreq.region = r->region;
		sreq.service = r->service;
		sreq.amz_date = amz_date;
		if (sigv4_sign(&sreq, &cred, &sres) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("could not sign the request to %s", r->what)));
		authorization = pstrdup(sres.authorization);
		sigv4_result_free(&sres);

		headers = NIL;
		headers = lappend(headers, psprintf("Host: %s", r->host));
		headers = lappend(headers, psprintf("X-Amz-Date: %s", amz_date));
		headers = lappend(headers, psprintf("X-Amz-Content-SHA256: %s", payload_sha));
		if (cred.session_token && cred.session_token[0])
			headers = lappend(headers, psprintf("X-Amz-Security-Token: %s", cred.session_token));
		if (r->content_type)
			headers = lappend(headers, psprintf("Content-Type: %s", r->content_type));
		if (r->content_md5)
			headers = lappend(headers, psprintf("Content-MD5: %s", md5));
		headers = lappend(headers, psprintf("Authorization: %s", authorization));

		memset(&req, 0, sizeof(req));
		req.method = r->method;
		req.url = r->url;
		req.headers = headers;
		req.body = r->body;
		req.body_len = r->body_len;
		req.bytea_body = r->bytea_body;
		req.max_body = r->max_body;
		req.soft_errors = true;
		if (r->server)
		{
			req.connect_timeout_ms = r->server->connect_timeout_ms;
			req.timeout_ms = r->server->request_timeout_ms;
			req.ca_file = r->server->ca_file;
			req.restricted = r->server->restricted;
			max_retries = r->server->max_retries;
		}

		s3_http_perform(&req, resp, r->what);

		if (tries > max_retries ||
			!(resp->transport_error ? s3_http_retryable(resp) : status_retryable(resp)))
			break;
		backoff(tries);
	}

	if (resp->transport_error)
		s3_http_raise_transport(resp, r->what, tries);
	if (resp->status < 200 || resp->status > 299)
		s3_report_error(r->what, strcmp(r->service, "sts") == 0 ? "STS" : "S3", resp, tries);
}

/*
 * Address, sign and send one S3 request; returns only for a 2xx answer.
 */
static void
s3_execute(S3Server *server, const S3Call *call, S3HttpResponse *resp)
{
	s3_target	target;
	S3SignedRequest r;

	s3_load_credentials(server);

	if (s3_build_target(&server->endpoint, server->virtual_style,
						call->bucket, call->key, call->query, &target) != 0)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	memset(&r, 0, sizeof(r));
	r.url = pstrdup(target.url);
	r.host = pstrdup(target.host);
	r.path = pstrdup(target.path);
	s3_target_free(&target);

	r.what = call->what;
	r.method = call->method;
	r.query = call->query;
	r.body = call->body;
	r.body_len = call->body_len;
	r.content_type = call->content_type;
	r.content_md5 = call->content_md5;
	r.bytea_body = call->bytea_body;
	r.max_body = call->max_body;
	r.region = server->region;
	r.service = "s3";
	r.server = server;
	s3_send_signed(server->creds, &r, resp);
}

/*
 * Start the description of a request on one object: checks the bucket name
 * and the key (converted to UTF-8 for the wire) before anything is sent.
 * what_fmt has two %s, for the key and the bucket.
 */
static void
object_call(S3Call *call, const char *method, const char *what_fmt,
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
static void
check_header_arg(const char *argname, const char *value)
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
	char	   *enc = sigv4_uri_encode(value, strlen(value), false);

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
				 errmsg("could not %s: the answer is not XML", what),
				 errdetail("It came with Content-Type \"%s\".", resp->content_type),
				 errhint("Check that the server's endpoint is an S3 service.")));
}

/* An answer (from S3, STS or a credential endpoint) that does not parse. */
void
s3_report_invalid_response(const char *what, const char *problem)
{
	ereport(ERROR,
			(errcode(ERRCODE_FDW_INVALID_STRING_FORMAT),
			 errmsg("could not %s: invalid response", what),
			 errdetail("%c%s.", pg_toupper((unsigned char) problem[0]), problem + 1)));
}

/*
 * Bytes from S3 fit for a message in any database encoding: printable
 * ASCII as it is, anything else as \xNN; at most about 200 characters.
 */
char *
s3_escape_bytes(const char *s, size_t len)
{
	StringInfoData buf;
	size_t		i;

	initStringInfo(&buf);
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (buf.len >= 200)
		{
			appendStringInfoString(&buf, "...");
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\\')
			appendStringInfoChar(&buf, (char) c);
		else
			appendStringInfo(&buf, "\\x%02x", c);
	}
	return buf.data;
}

/*
 * An ISO 8601 time from S3 (LastModified, CreationDate) or a credential
 * endpoint (Expiration) as a timestamptz; an answer that is not one is an
 * invalid response of "what".
 */
Datum
s3_timestamptz(const char *iso8601, const char *what, const char *field)
{
	if (s3_check_iso8601(iso8601) != NULL)
		s3_report_invalid_response(what,
								   psprintf("%s \"%s\" is not an ISO 8601 time", field,
											s3_escape_bytes(iso8601, strlen(iso8601))));
	return DirectFunctionCall3(timestamptz_in, CStringGetDatum(iso8601),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/*
 * Text that S3 sent in UTF-8 (a key, a bucket name), in the database
 * encoding; an error naming the bucket and the bytes when it is not valid
 * UTF-8 or has no equivalent in the database encoding.  "what" describes
 * the text: "object key in bucket \"b\"" or "bucket name".
 */
char *
s3_text_from_utf8(const char *s, const char *what)
{
	size_t		len = strlen(s);
	char	   *volatile r = NULL;
	MemoryContext cxt = CurrentMemoryContext;

	if (!pg_verify_mbstr(PG_UTF8, s, (int) len, true))
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("%s is not valid UTF-8", what),
				 errdetail("Its bytes are \"%s\".", s3_escape_bytes(s, len))));
	if (GetDatabaseEncoding() == PG_UTF8 || GetDatabaseEncoding() == PG_SQL_ASCII)
		return pstrdup(s);
	PG_TRY();
	{
		r = pg_any_to_server(s, (int) len, PG_UTF8);
	}
	PG_CATCH();
	{
		/* a conversion error holds no resources: replace it with ours */
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		ereport(ERROR,
				(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
				 errmsg("%s has a character that the database encoding %s cannot hold",
						what, GetDatabaseEncodingName()),
				 errdetail("Its UTF-8 bytes are \"%s\".", s3_escape_bytes(s, len)),
				 errhint("Narrow the listing (prefix, start_after) so that it excludes the key, or use a UTF-8 database.")));
	}
	PG_END_TRY();
	return r == s ? pstrdup(s) : r;
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
	const char *p;

	if (strlen(utf8) > max_bytes)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be longer than %zu bytes in UTF-8", name, max_bytes),
				 errdetail("It is %zu bytes long.", strlen(utf8))));
	if (max_bytes == MAX_TOKEN_BYTES)
		for (p = utf8; *p; p++)
			if ((unsigned char) *p < 0x20 || (unsigned char) *p >= 0x7f)
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
	const char *p;

	if (!truncated)
		return;
	if (token == NULL || token[0] == '\0')
		s3_report_invalid_response(what,
								   "S3 said the listing goes on but gave no continuation token");
	if (strlen(token) > MAX_TOKEN_BYTES)
		s3_report_invalid_response(what, "the continuation token is longer than 8192 bytes");
	for (p = token; *p; p++)
		if ((unsigned char) *p < 0x20 || (unsigned char) *p >= 0x7f)
			s3_report_invalid_response(what, "the continuation token is not printable ASCII");
	if (g != NULL && token_guard_add(g, token))
		s3_report_invalid_response(what,
								   "S3 gave a continuation token it had given before, so the listing would never end");
}

List *
s3_list_buckets(S3Server *server)
{
	List	   *result = NIL;
	char	   *token = NULL;
	S3Call		call;
	S3TokenGuard guard;

	memset(&call, 0, sizeof(call));
	call.what = psprintf("list buckets of server \"%s\"", server->servername);
	call.method = "GET";
	call.max_body = MAX_LISTING_BODY;
	s3_token_guard_init(&guard, CurrentMemoryContext);

	do
	{
		S3HttpResponse resp;
		s3_bucket_list list;
		char		errbuf[128];
		size_t		i;

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
		PG_TRY();
		{
			for (i = 0; i < list.n; i++)
			{
				S3BucketInfo *b = palloc(sizeof(S3BucketInfo));

				b->name = s3_text_from_utf8(list.items[i].name, "a bucket name");
				b->creation_date = list.items[i].creation_date
					? pstrdup(list.items[i].creation_date) : NULL;
				result = lappend(result, b);
			}
			/* ListBuckets goes on exactly while it gives a token */
			check_next_token(&guard, call.what, list.continuation_token != NULL,
							 list.continuation_token);
			token = list.continuation_token ? pstrdup(list.continuation_token) : NULL;
		}
		PG_FINALLY();
		{
			s3_bucket_list_free(&list);
		}
		PG_END_TRY();
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
	S3Call		call;
	S3HttpResponse resp;
	StringInfoData q;
	s3_object_list list;
	char		errbuf[128];
	S3ObjectPage *page;
	size_t		i;
	size_t		asked = lr->max_keys > 0 ? (size_t) lr->max_keys : 1000;

	s3_check_bucket_arg(lr->bucket);
	memset(&call, 0, sizeof(call));
	call.what = psprintf("list objects in bucket \"%s\"", lr->bucket);
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
	PG_TRY();
	{
		if (list.n > asked)
			s3_report_invalid_response(call.what,
									   psprintf("the page has %zu keys; the request asked for at most %zu",
												list.n, asked));
		check_next_token(lr->guard, call.what, list.is_truncated, list.next_continuation_token);
		page->objects = palloc0(sizeof(S3ObjectInfo) * Max(list.n, 1));
		for (i = 0; i < list.n; i++)
		{
			s3_object_entry *e = &list.items[i];
			S3ObjectInfo *o = &page->objects[i];

			o->key = pstrdup(e->key);
			o->size = e->size;
			o->last_modified = e->last_modified ? pstrdup(e->last_modified) : NULL;
			o->etag = e->etag ? s3_text_from_utf8(e->etag, "an ETag") : NULL;
			o->storage_class = e->storage_class
				? s3_text_from_utf8(e->storage_class, "a storage class") : NULL;
		}
		page->nobjects = (int) list.n;
		page->is_truncated = list.is_truncated;
		page->next_continuation_token = list.next_continuation_token
			? pstrdup(list.next_continuation_token) : NULL;
	}
	PG_FINALLY();
	{
		s3_object_list_free(&list);
	}
	PG_END_TRY();
	return page;
}

void
s3_create_bucket(S3Server *server, const char *bucket)
{
	S3Call		call;
	S3HttpResponse resp;

	s3_check_bucket_arg(bucket);
	memset(&call, 0, sizeof(call));
	call.what = psprintf("create bucket \"%s\"", bucket);
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
check_etag(const S3Call *call, const S3HttpResponse *resp)
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
				 errmsg("could not %s: the body does not match its ETag", call->what),
				 errdetail("S3 gave ETag %.32s, the MD5 of the %zu bytes received is %s.",
						   etag, resp->body_len, md5)));
	}
}

bytea *
s3_get_object(S3Server *server, const char *bucket, const char *key)
{
	S3Call		call;
	S3HttpResponse resp;

	object_call(&call, "GET", "read object \"%s\" from bucket \"%s\"", bucket, key);
	call.bytea_body = true;
	s3_execute(server, &call, &resp);
	check_etag(&call, &resp);
	return (bytea *) (resp.body - VARHDRSZ);
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
	S3Call		call;
	S3HttpResponse resp;
	char	   *etag;
	size_t		elen;

	if (content_type != NULL)
		check_header_arg("content_type", content_type);
	object_call(&call, "PUT", "upload object \"%s\" to bucket \"%s\"", bucket, key);
	call.body = data;
	call.body_len = len;
	call.content_type = content_type;
	call.content_md5 = true;
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
	S3Call		call;
	S3HttpResponse resp;

	object_call(&call, "DELETE", "remove object \"%s\" from bucket \"%s\"", bucket, key);
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
		check_header_arg("content_type", content_type);
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
