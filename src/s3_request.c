/*-------------------------------------------------------------------------
 *
 * s3_request.c
 *		The request layer: one signed request to S3 or STS, with retries,
 *		and S3's error documents mapped to SQLSTATEs.
 *
 * The S3 operations (s3_call.c) and the credential providers
 * (credential_sources.c) both sit on this layer; it sits on the HTTP layer
 * (http.c) and the signer (sigv4.c), and calls neither of the layers above
 * it.  Every try is signed anew (the signature covers the time); the waits
 * between tries sleep on the latch, so that a cancel ends them.  Messages
 * name the operation; the detail carries S3's HTTP status, error code,
 * message and request id.  No credential ever appears in a message.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/latch.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#if PG_VERSION_NUM >= 140000
#include "utils/wait_event.h"
#else
#include "pgstat.h"
#endif
#include "utils/timestamp.h"

#include "digest.h"
#include "s3_request.h"
#include "s3_xml.h"
#include "sigv4.h"

#define DEFAULT_MAX_RETRIES 3

/* How S3's error codes map onto SQLSTATEs, with advice where there is some */
typedef struct S3ErrorMap
{
	const char *code;
	int			sqlstate;
	const char *hint;
} S3ErrorMap;

static const S3ErrorMap error_map[] = {
	{"NoSuchKey", ERRCODE_UNDEFINED_FILE, NULL},
	{"NoSuchVersion", ERRCODE_UNDEFINED_FILE,
	"Check the version id: a foreign table with versions 'true' lists an object's versions."},
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
	{"BucketNotEmpty", ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
	"Remove the bucket's objects (and their versions) first."},
	/* an archived object: see archived_reason() */
	{"InvalidObjectState", ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL},
	{"ObjectNotInActiveTierError", ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL},
	{"RestoreAlreadyInProgress", ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
	"s3_head() shows the restore's progress in restore_status."},
	{"GlacierExpeditedRetrievalNotAvailable", ERRCODE_FDW_ERROR,
	"S3 has no capacity for expedited retrievals now: try again later, or restore with tier 'Standard'."},
	{"InvalidStorageClass", ERRCODE_INVALID_PARAMETER_VALUE,
	"S3's storage classes include STANDARD, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER and DEEP_ARCHIVE."},
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

/* What S3's error document says, in palloc'd memory (see take_error) */
typedef struct ErrorTake
{
	const char *code;
	const char *message;
	const char *request_id;
	const char *region;
} ErrorTake;

static void
release_error(void *e)
{
	s3_error_info_free((s3_error_info *) e);
}

/*
 * An error document's message, or NULL when it says nothing: Ceph RGW
 * sends <Message></Message> (the detail then ends with the code).
 */
const char *
s3_error_message(const char *message)
{
	const char *p;

	if (message == NULL)
		return NULL;
	for (p = message; *p; p++)
		if (!isspace((unsigned char) *p))
			return message;
	return NULL;
}

static void
take_error(void *result, void *arg)
{
	s3_error_info *info = (s3_error_info *) result;
	ErrorTake  *et = (ErrorTake *) arg;
	const char *message = s3_error_message(info->message);

	et->code = info->code ? pstrdup(info->code) : NULL;
	et->message = message ? pstrdup(message) : NULL;
	if (info->request_id)
		et->request_id = pstrdup(info->request_id);
	if (info->region)
		et->region = pstrdup(info->region);
}

/* Whether a request names a header (case aside) */
static bool
has_header(const S3SignedRequest *r, const char *name)
{
	for (int i = 0; i < r->nheaders; i++)
		if (pg_strcasecmp(r->headers[i].name, name) == 0)
			return true;
	return false;
}

/*
 * Why S3 refused a request with InvalidObjectState or
 * ObjectNotInActiveTierError, when the request says: GetObject of an
 * archived object (GLACIER, DEEP_ARCHIVE, or INTELLIGENT_TIERING's archive
 * tiers) not restored, and CopyObject or UploadPartCopy of one (S3 answers
 * InvalidObjectState; moto ObjectNotInActiveTierError).  NULL for other
 * requests (RestoreObject reads its own: see s3_restore.c), and for an
 * error without its request (s3_report_error()).
 */
static const char *
archived_reason(const S3SignedRequest *r, const char *code, const char **hint)
{
	if (r == NULL || code == NULL ||
		(strcmp(code, "InvalidObjectState") != 0 &&
		 strcmp(code, "ObjectNotInActiveTierError") != 0))
		return NULL;
	if (strcmp(r->method, "PUT") == 0 && has_header(r, "x-amz-copy-source"))
	{
		*hint = "Restore the source object first with s3_restore(); s3_head() shows the restore's progress in restore_status.";
		return "the source object is archived and must be restored first";
	}
	if (strcmp(r->method, "GET") == 0)
	{
		*hint = "Restore it first with s3_restore(); s3_head() shows the restore's progress in restore_status.";
		return "the object is archived and must be restored first";
	}
	return NULL;
}

/*
 * Raise the error for a response that is not 2xx.  r is the request when
 * the caller has it (s3_request_finish()), for what the error means of it:
 * an archived object, or the operation's own reading (r->read_error).
 */
S3_NORETURN_BEGIN static void report_error(const S3SignedRequest *r, const char *what,
										  const char *who, const S3HttpResponse *resp,
										  int tries) S3_NORETURN_END;

static void
report_error(const S3SignedRequest *r, const char *what, const char *who,
			 const S3HttpResponse *resp, int tries)
{
	s3_error_info info;
	char		errbuf[128];
	const S3ErrorMap *m;
	ErrorTake	et = {NULL, NULL, resp->request_id, resp->bucket_region};
	const char *code,
			   *message,
			   *request_id,
			   *region;
	int			sqlstate = sqlstate_for_status(resp->status);
	const char *hint = NULL;
	StringInfoData detail;
	char	   *region_hint = NULL;
	const char *reason = NULL;

	memset(&info, 0, sizeof(info));
	if (resp->body_len > 0 &&
		s3_xml_parse_error(resp->body, resp->body_len, &info, errbuf, sizeof(errbuf)) == 0)
		s3_take_core_result(&info, release_error, take_error, &et);
	code = et.code;
	message = et.message;
	request_id = et.request_id;
	region = et.region;

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
	reason = archived_reason(r, code, &hint);
	if (r != NULL && r->read_error != NULL && code != NULL)
	{
		S3ErrorReading reading = {sqlstate, reason, hint};

		r->read_error(code, &reading, r->read_error_arg);
		sqlstate = reading.sqlstate;
		reason = reading.reason;
		hint = reading.hint;
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
			 reason ? errmsg_internal("%s: %s", what, reason) : errmsg_internal("%s", what),
			 errdetail_internal("%s", detail.data),
			 region_hint ? errhint("%s", region_hint) :
			 hint ? errhint("%s", hint) : 0));
}

/*
 * Raise the error for a response that is not 2xx, known only by its
 * answer.
 */
void
s3_report_error(const char *what, const char *who, const S3HttpResponse *resp, int tries)
{
	report_error(NULL, what, who, resp, tries);
}

/*
 * The code of the error document an answer carries (palloc'd), or NULL
 * when it has none.
 */
char *
s3_error_code(const S3HttpResponse *resp)
{
	s3_error_info info;
	char		errbuf[128];
	char	   *code = NULL;

	memset(&info, 0, sizeof(info));
	if (resp->body_len > 0 &&
		s3_xml_parse_error(resp->body, resp->body_len, &info, errbuf, sizeof(errbuf)) == 0 &&
		info.code != NULL)
		code = pstrdup(info.code);
	s3_error_info_free(&info);
	return code;
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
 * How long to wait before try number tries + 1: exponential backoff with
 * full jitter (a random time up to 100 ms * 2^(tries - 1), at most 5 s).
 */
static long
backoff_ms(int tries)
{
	long		cap = Min(100L << Min(tries - 1, 10), 5000L);

	return (long) (cap * ((double) random() / 2147483648.0)) + 1;
}

/*
 * One signed request in flight, with its tries: the request as the
 * operation described it, what every try shares (the payload's hashes),
 * and the HTTP request of the current try, which the HTTP layer reads
 * until that try ends.
 */
struct S3Pending
{
	S3SignedRequest r;
	const S3Credentials *creds;
	MemoryContext cxt;			/* where the answer goes */
	char		payload_sha[65];	/* or UNSIGNED-PAYLOAD */
	char		md5[25];
	const char *checksum_algorithm; /* the body's x-amz-checksum-*, or NULL */
	const char *checksum;		/* its value, base64 */
	S3HttpRequest req;
	S3Transfer *t;				/* the current try, or NULL */
	uint64		serial;			/* its serial number */
	int			tries;
	int			max_retries;
};

/* Sign the next try anew (the signature covers the time) and start it. */
static void
start_try(S3Pending *p)
{
	const S3SignedRequest *r = &p->r;
	sigv4_request sreq;
	sigv4_credentials cred;
	sigv4_result sres;
	sigv4_header *extra = palloc(sizeof(sigv4_header) * (4 + r->nheaders));
	int			nextra = 0;
	char		amz_date[17];
	char	   *authorization;
	List	   *headers = NIL;
	MemoryContext old = MemoryContextSwitchTo(p->cxt);

	if (r->content_type)
	{
		extra[nextra].name = "content-type";
		extra[nextra++].value = r->content_type;
	}
	if (r->content_md5)
	{
		extra[nextra].name = "content-md5";
		extra[nextra++].value = p->md5;
	}
	for (int i = 0; i < r->nheaders; i++)
	{
		extra[nextra].name = r->headers[i].name;
		extra[nextra++].value = r->headers[i].value;
	}
	if (p->checksum != NULL)
	{
		extra[nextra].name = s3_checksum_header(p->checksum_algorithm);
		extra[nextra++].value = p->checksum;
		extra[nextra].name = "x-amz-sdk-checksum-algorithm";
		extra[nextra++].value = p->checksum_algorithm;
	}
	cred.access_key_id = p->creds->access_key_id;
	cred.secret_access_key = p->creds->secret_access_key;
	cred.session_token = p->creds->session_token;

	sigv4_amz_date(time(NULL), amz_date);
	memset(&sreq, 0, sizeof(sreq));
	sreq.method = r->method;
	sreq.host = r->host;
	sreq.path = r->path;
	sreq.query = r->query;
	sreq.headers = extra;
	sreq.nheaders = nextra;
	sreq.payload_sha256 = p->payload_sha;
	sreq.region = r->region;
	sreq.service = r->service;
	sreq.amz_date = amz_date;
	if (sigv4_sign(&sreq, &cred, &sres) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg_internal("%s", r->what),
				 errdetail("The request could not be signed.")));
	authorization = pstrdup(sres.authorization);
	sigv4_result_free(&sres);

	headers = lappend(headers, psprintf("Host: %s", r->host));
	headers = lappend(headers, psprintf("X-Amz-Date: %s", amz_date));
	headers = lappend(headers, psprintf("X-Amz-Content-SHA256: %s", p->payload_sha));
	if (cred.session_token && cred.session_token[0])
		headers = lappend(headers, psprintf("X-Amz-Security-Token: %s", cred.session_token));
	if (r->content_type)
		headers = lappend(headers, psprintf("Content-Type: %s", r->content_type));
	if (r->content_md5)
		headers = lappend(headers, psprintf("Content-MD5: %s", p->md5));
	for (int i = 0; i < r->nheaders; i++)
		headers = lappend(headers, psprintf("%s: %s", r->headers[i].name, r->headers[i].value));
	if (p->checksum != NULL)
	{
		headers = lappend(headers, psprintf("%s: %s", s3_checksum_header(p->checksum_algorithm),
											p->checksum));
		headers = lappend(headers, psprintf("X-Amz-SDK-Checksum-Algorithm: %s",
											p->checksum_algorithm));
	}
	headers = lappend(headers, psprintf("Authorization: %s", authorization));

	memset(&p->req, 0, sizeof(p->req));
	p->req.method = r->method;
	p->req.url = r->url;
	p->req.headers = headers;
	p->req.body = r->body;
	p->req.body_len = r->body_len;
	p->req.bytea_body = r->bytea_body;
	p->req.max_body = r->max_body;
	p->req.soft_errors = true;
	p->req.sink = r->sink;
	p->req.sink_arg = r->sink_arg;
	p->req.keep_headers = r->keep_headers;
	/* a sink that saw part of an earlier try starts again */
	if (p->tries > 0 && r->sink_reset != NULL)
		r->sink_reset(r->sink_arg);
	if (r->server)
	{
		p->req.connect_timeout_ms = r->server->connect_timeout_ms;
		p->req.timeout_ms = r->server->request_timeout_ms;
		p->req.ca_file = r->server->ca_file;
		p->req.restricted = r->server->restricted;
	}
	p->tries++;
	p->t = s3_http_start(&p->req, r->what);
	p->serial = s3_http_serial(p->t);
	MemoryContextSwitchTo(old);
}

/*
 * Sign a request with SigV4 and start it, without waiting: several can be
 * in flight at once.  s3_request_finish() waits for its answer (tries again
 * where that helps); s3_request_cancel() drops it.  The answer will be
 * allocated in the current memory context; r, creds and what they point to
 * must live until then.
 */
S3Pending *
s3_request_start(const S3Credentials *creds, const S3SignedRequest *r)
{
	S3Pending  *p = palloc0(sizeof(S3Pending));

	p->r = *r;
	p->creds = creds;
	p->cxt = CurrentMemoryContext;
	p->max_retries = r->server ? r->server->max_retries : DEFAULT_MAX_RETRIES;
	if (r->server && r->server->unsigned_payload && r->body_len > 0 &&
		strcmp(r->service, "s3") == 0 && strncmp(r->url, "https://", 8) == 0)
	{
		/*
		 * TLS protects the body on the way; S3 checks it against the
		 * checksum (CRC32C unless the operation names another).  S3 only:
		 * STS (AssumeRole) wants its body hashed.
		 */
		strlcpy(p->payload_sha, SIGV4_UNSIGNED_PAYLOAD, sizeof(p->payload_sha));
		if (r->checksum_algorithm == NULL && !r->no_checksum)
			p->checksum_algorithm = "CRC32C";
	}
	else
		sigv4_sha256_hex(r->body ? r->body : "", r->body_len, p->payload_sha);
	/* an algorithm the operation names goes over http too, with the signed hash */
	if (r->checksum_algorithm != NULL && !r->no_checksum && strcmp(r->service, "s3") == 0)
		p->checksum_algorithm = r->checksum_algorithm;
	if (p->checksum_algorithm != NULL)
	{
		p->checksum = r->checksum ? r->checksum
			: s3_checksum_base64(p->checksum_algorithm, r->body ? r->body : "", r->body_len);
		if (p->checksum == NULL)
			elog(ERROR, "s3_fdw: no checksum of algorithm %s", p->checksum_algorithm);
	}
	if (r->content_md5)
		sigv4_md5_base64(r->body ? r->body : "", r->body_len, p->md5);
	start_try(p);
	return p;
}

/*
 * Wait for a request's answer, driving the others in flight meanwhile;
 * failures worth another try are tried again after a backoff (during which
 * the others go on).  Returns only for a 2xx answer, in *resp.
 */
void
s3_request_finish(S3Pending *p, S3HttpResponse *resp)
{
	const S3SignedRequest *r = &p->r;
	MemoryContext old;

	for (;;)
	{
		S3Transfer *t = p->t;

		/* dropped by a failed subtransaction: the try starts again */
		if (!s3_http_alive(t, p->serial))
		{
			p->tries--;
			start_try(p);
			continue;
		}
		s3_http_wait_for(t);
		p->t = NULL;
		old = MemoryContextSwitchTo(p->cxt);
		s3_http_finish(t, resp);
		MemoryContextSwitchTo(old);
		if (p->tries > p->max_retries ||
			!(resp->transport_error ? s3_http_retryable(resp) : status_retryable(resp)))
			break;
		s3_http_pause(backoff_ms(p->tries));
		start_try(p);
	}

	if (resp->transport_error)
		s3_http_raise_transport(resp, r->what, p->tries);
	if ((resp->status < 200 || resp->status > 299) && resp->status != r->ok_status &&
		resp->status != r->ok_status2 && resp->status != r->ok_status3)
		report_error(r, r->what, strcmp(r->service, "sts") == 0 ? "STS" : "S3", resp, p->tries);

	/*
	 * S3 checked the body against the checksum sent (BadDigest otherwise),
	 * and names the one it stored (PutObject, UploadPart): the same.
	 */
	if (p->checksum != NULL && resp->status >= 200 && resp->status <= 299 &&
		resp->checksum != NULL && resp->checksum_algorithm != NULL &&
		pg_strcasecmp(resp->checksum_algorithm, p->checksum_algorithm) == 0 &&
		strcmp(resp->checksum, p->checksum) != 0)
	{
		s3_http_distrust_connection();
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg_internal("%s", r->what),
				 errdetail("S3 answered with %s \"%s\", and the body was sent with \"%s\".",
						   s3_checksum_header(p->checksum_algorithm),
						   s3_escape_bytes(resp->checksum, strlen(resp->checksum)),
						   p->checksum)));
	}
}

/*
 * Drive the requests in flight until p's current try is done, or ready(arg)
 * says that what the caller waits for has come (its sink has seen enough).
 */
void
s3_request_wait_ready(S3Pending *p, bool (*ready) (void *), void *arg)
{
	if (p->t != NULL && s3_http_alive(p->t, p->serial))
		s3_http_wait_ready(p->t, ready, arg);
}

/*
 * Whether the request's current try is over: s3_request_finish() will not
 * wait for the network (though it may try again).
 */
bool
s3_request_done(S3Pending *p)
{
	return p->t == NULL || s3_http_done(p->t, p->serial);
}

/* Drop a request whose answer is no longer wanted. */
void
s3_request_cancel(S3Pending *p)
{
	if (p->t != NULL && s3_http_alive(p->t, p->serial))
		s3_http_cancel(p->t);
	p->t = NULL;
}

/*
 * Sign a request with SigV4, send it and wait; returns only for a 2xx
 * answer.  Also used for STS (service "sts").
 */
void
s3_send_signed(const S3Credentials *creds, const S3SignedRequest *r, S3HttpResponse *resp)
{
	S3Pending  *p = s3_request_start(creds, r);

	PG_TRY();
	{
		s3_request_finish(p, resp);
	}
	PG_CATCH();
	{
		s3_request_cancel(p);
		PG_RE_THROW();
	}
	PG_END_TRY();
	pfree(p);
}
