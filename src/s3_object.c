/*-------------------------------------------------------------------------
 *
 * s3_object.c
 *		The object operations: GetObject (whole, a range, or started ahead
 *		for a scan), PutObject (one request, or in parts through
 *		s3_multipart.c), DeleteObject, and presigned URLs for a GET or PUT.
 *		Each checks its arguments, describes its request and hands it to
 *		the request layer (s3_request.c), which signs, sends, retries and
 *		reports errors; then turns S3's answer into a result.
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
#include "digest.h"
#include "s3_call.h"
#include "sigv4.h"

/* A GET in flight (see s3_get_object_start) */
struct S3ObjectFetch
{
	S3SignedRequest call;
	S3Pending  *pending;		/* NULL once finished or cancelled */
};

/* An upload in flight (see s3_put_object_start) */
struct S3ObjectPut
{
	S3SignedRequest call;
	S3PutOptions opts;
	S3Pending  *pending;		/* NULL once finished or cancelled */
	char	   *etag;			/* once finished */
};

/*
 * Where S3's ETag is the MD5 of the body (a single-part upload without
 * SSE-KMS or SSE-C encryption: 32 hex digits), check the body against it,
 * unless the server says verify_md5 false, or auto (the default) and the
 * body came over https, whose TLS already protects it (the MD5 of a large
 * body costs about as much CPU as receiving it).
 */
static void
check_etag(const S3SignedRequest *call, const S3HttpResponse *resp)
{
	const char *etag = resp->etag;
	char		md5[33];
	size_t		len;
	size_t		i;

	if (etag == NULL || (resp->sse != NULL && strcmp(resp->sse, "AES256") != 0) ||
		call->server->verify_md5 == S3_VERIFY_NEVER ||
		(call->server->verify_md5 == S3_VERIFY_HTTP && strncmp(call->url, "http://", 7) != 0))
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

/*
 * A GET of one version: S3 answers 405 when that version is a delete
 * marker (saying so in x-amz-delete-marker), which is no object to read.
 * The call keeps the answer's headers to tell.
 */
static void
expect_delete_marker(S3SignedRequest *call)
{
	if (call->version_id == NULL)
		return;
	call->keep_headers = true;
	if (call->ok_status == 0)
		call->ok_status = 405;
	else
		call->ok_status2 = 405;
}

static void
check_delete_marker(const S3SignedRequest *call, const S3HttpResponse *resp)
{
	const char *v;

	if (resp->status != 405 || call->version_id == NULL)
		return;
	v = s3_response_header(resp, "x-amz-delete-marker");
	if (v == NULL || pg_strcasecmp(v, "true") != 0)
		s3_report_error(call->what, "S3", resp, 1);
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_FILE),
			 errmsg_internal("%s", call->what),
			 errdetail("Version \"%s\" is a delete marker, which has no body (S3 answered HTTP 405).",
					   call->version_id)));
}

bytea *
s3_get_object(S3Server *server, const char *bucket, const char *key, const char *version_id)
{
	S3SignedRequest call;
	S3HttpResponse resp;

	s3_object_call(&call, "GET", _("could not read object \"%s\" from bucket \"%s\""), bucket, key);
	call.version_id = version_id;
	call.bytea_body = true;
	call.checksum_mode = true;
	expect_delete_marker(&call);
	s3_execute(server, &call, &resp);
	check_delete_marker(&call, &resp);
	check_etag(&call, &resp);
	s3_verify_checksum(&call, &resp);
	return (bytea *) (resp.body - VARHDRSZ);
}

/*
 * A GET of an object named as a listing gave it (UTF-8, valid on the
 * wire), started without waiting, so that several are in flight; key is
 * the name for messages (in the database encoding); version_id one version
 * of it (a listing of versions), or NULL.  Everything, the body
 * included, is allocated in the current memory context.
 * s3_get_object_finish() waits for the body, and gives S3's Content-Type
 * (or NULL) when content_type is not NULL.
 */
S3ObjectFetch *
s3_get_object_start(S3Server *server, const char *bucket, const char *utf8_key,
					const char *key, const char *version_id)
{
	S3ObjectFetch *f = palloc0(sizeof(S3ObjectFetch));

	f->call.what = version_id
		? psprintf(_("could not read version \"%s\" of object \"%s\" from bucket \"%s\""),
				   version_id, key, bucket)
		: psprintf(_("could not read object \"%s\" from bucket \"%s\""), key, bucket);
	f->call.method = "GET";
	f->call.bucket = bucket;
	f->call.key = utf8_key;
	f->call.version_id = version_id;
	f->call.bytea_body = true;
	f->call.customer_key = true;
	f->call.checksum_mode = true;
	s3_address_call(server, &f->call);
	f->pending = s3_request_start(server->creds, &f->call);
	return f;
}

bytea *
s3_get_object_finish(S3ObjectFetch *f, char **content_type)
{
	S3HttpResponse resp;

	s3_request_finish(f->pending, &resp);
	f->pending = NULL;
	check_etag(&f->call, &resp);
	s3_verify_checksum(&f->call, &resp);
	if (content_type != NULL)
		*content_type = resp.content_type;
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

/*
 * An upload started without waiting, so that several are in flight (the
 * rows of an INSERT); one above the server's multipart_threshold goes in
 * parts, and is done when this returns.  data must stay until
 * s3_put_object_finish().
 */
S3ObjectPut *
s3_put_object_start(S3Server *server, const char *bucket, const char *key,
					const char *data, size_t len, const S3PutOptions *opts)
{
	S3ObjectPut *p = palloc0(sizeof(S3ObjectPut));
	S3Header   *headers;
	int			nheaders;

	if (len > (size_t) server->multipart_threshold)
	{
		p->etag = s3_multipart_put(server, bucket, key, data, len, opts);
		return p;
	}
	nheaders = s3_put_headers(opts, &headers);
	s3_object_call(&p->call, "PUT", _("could not upload object \"%s\" to bucket \"%s\""), bucket, key);
	p->call.body = data;
	p->call.body_len = len;
	p->call.content_type = opts->content_type;
	p->call.headers = headers;
	p->call.nheaders = nheaders;
	p->opts = *opts;
	if (opts->if_none_match || opts->if_match != NULL)
		p->call.ok_status = 412;	/* the condition's own error */
	/* S3 checks the body against this checksum (or the default CRC32C) */
	p->call.checksum_algorithm = opts->checksum_algorithm;
	/* the signed payload hash (or the checksum) already protects the body */
	s3_address_call(server, &p->call);
	p->pending = s3_request_start(server->creds, &p->call);
	return p;
}

/* Waits for the upload; returns the new object's ETag (without quotes), or NULL. */
char *
s3_put_object_finish(S3ObjectPut *p)
{
	S3HttpResponse resp;
	size_t		elen;

	if (p->pending == NULL)
		return p->etag;
	s3_request_finish(p->pending, &resp);
	p->pending = NULL;
	if (resp.status == 412)
		s3_report_precondition(&p->opts, p->call.what);
	if (resp.etag == NULL)
		return NULL;
	elen = strlen(resp.etag);
	if (elen >= 2 && resp.etag[0] == '"' && resp.etag[elen - 1] == '"')
		p->etag = pnstrdup(resp.etag + 1, elen - 2);
	else
		p->etag = resp.etag;
	return p->etag;
}

char *
s3_put_object(S3Server *server, const char *bucket, const char *key,
			  const char *data, size_t len, const S3PutOptions *opts)
{
	return s3_put_object_finish(s3_put_object_start(server, bucket, key, data, len, opts));
}

void
s3_delete_object(S3Server *server, const char *bucket, const char *key, const char *version_id)
{
	S3SignedRequest call;
	S3HttpResponse resp;

	s3_object_call(&call, "DELETE", _("could not remove object \"%s\" from bucket \"%s\""), bucket, key);
	call.version_id = version_id;
	s3_execute(server, &call, &resp);
}

/*
 * Part of an object: length bytes from offset (fewer at the end of the
 * object; none past it, where S3 answers 416).  A 206 must carry the range
 * asked for (its Content-Range is checked, s3_check_range_answer()).  A
 * store that ignores the Range header and sends the whole object (200)
 * gets it cut here.  Even for no bytes at all the object must exist: its
 * first byte is asked for (an empty object answers 416), and a missing
 * object is S3's error, as for any read.
 */
bytea *
s3_get_object_range(S3Server *server, const char *bucket, const char *key,
					const char *version_id, int64 offset, int64 length)
{
	S3SignedRequest call;
	S3HttpResponse resp;
	S3Header	range;
	bytea	   *result;
	int64		first;
	int64		last;

	if (offset < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("offset must not be negative")));
	if (length < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("length must not be negative")));
	s3_object_call(&call, "GET", _("could not read object \"%s\" from bucket \"%s\""), bucket, key);
	/* the last byte asked for, without overflow; for nothing, the first */
	first = length == 0 ? 0 : offset;
	last = length == 0 ? 0 : length > PG_INT64_MAX - offset ? PG_INT64_MAX : offset + length - 1;
	range.name = "Range";
	range.value = psprintf("bytes=" INT64_FORMAT "-" INT64_FORMAT, first, last);
	call.headers = &range;
	call.nheaders = 1;
	call.version_id = version_id;
	call.bytea_body = true;
	call.ok_status = 416;		/* Range Not Satisfiable: past the end */
	expect_delete_marker(&call);
	s3_execute(server, &call, &resp);
	check_delete_marker(&call, &resp);
	s3_check_range_answer(call.what, &resp, first, last, -1);
	if (resp.status == 416 || length == 0)
	{
		result = palloc(VARHDRSZ);
		SET_VARSIZE(result, VARHDRSZ);
		return result;
	}
	result = (bytea *) (resp.body - VARHDRSZ);
	if (resp.status == 200)
	{
		/* the whole object: cut out the range */
		int64		start = Min(offset, (int64) resp.body_len);
		int64		n = Min(length, (int64) resp.body_len - start);

		check_etag(&call, &resp);
		memmove(VARDATA(result), VARDATA(result) + start, n);
		SET_VARSIZE(result, VARHDRSZ + n);
	}
	return result;
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
