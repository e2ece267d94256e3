/*-------------------------------------------------------------------------
 *
 * s3_call.c
 *		What the S3 operation files (s3_object.c, s3_bucket.c, s3_list.c,
 *		s3_head.c, s3_copy.c, s3_delete.c, s3_multipart.c, s3_import.c,
 *		s3_export.c) share: the checks of an object's bucket and key and
 *		of a header value from SQL, an upload's headers, the request's
 *		address, the call to the request layer, the reading of a small XML
 *		answer that may be an error document, and zlib's allocator.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "s3_call.h"
#include "s3_xml.h"

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

/*
 * The answer to a GET with "Range: bytes=first-last" (total: the object's
 * size when the caller knows it, else -1).  A 206 must carry that range,
 * short of last only at the object's end (s3_check_partial_answer()); a
 * 416 must not say the object is longer than first; a 200 is the whole
 * object, which the caller judges.  Anything else, or a mismatch, is a
 * protocol violation, raised here: none of the body may be used.
 */
void
s3_check_range_answer(const char *what, const S3HttpResponse *resp, int64 first, int64 last,
					  int64 total)
{
	const char *problem;
	const char *cr = resp->content_range;

	if (resp->status == 200)
		return;
	if (resp->status == 206)
		problem = s3_check_partial_answer(cr, first, last, total, resp->body_len);
	else if (resp->status == 416)
		problem = s3_check_unsatisfiable_answer(cr, first);
	else
		problem = psprintf("HTTP status %ld answered a ranged GET", resp->status);
	if (problem != NULL)
		s3_report_protocol_violation(what,
									 psprintf("%s; bytes " INT64_FORMAT "-" INT64_FORMAT " were asked for, and HTTP %ld came with a body of %zu bytes%s",
											  problem, first, last, resp->status, resp->body_len,
											  cr ? psprintf(" and Content-Range \"%s\"",
															s3_escape_bytes(cr, strlen(cr)))
											  : ""));
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

/*
 * The one value of a small XML answer (UploadId, ETag), or an error: S3
 * may answer CompleteMultipartUpload, CopyObject and UploadPartCopy with
 * 200 and an error document, when the error comes after the headers.
 */
char *
s3_answer_field(const char *what, const S3HttpResponse *resp, const char *root,
				const char *field)
{
	char	   *value = s3_answer_field_opt(what, resp, root, field);

	if (value == NULL)
		s3_report_invalid_response(what, psprintf("no <%s> in %s", field, root));
	return value;
}

/*
 * The same, but NULL when the document (of the right root) has the field
 * empty or not at all: Ceph RGW 16.2 completes a multipart upload with an
 * empty <ETag></ETag>.
 */
char *
s3_answer_field_opt(const char *what, const S3HttpResponse *resp, const char *root,
					const char *field)
{
	char		errbuf[128];
	char	   *value = NULL;
	char	   *copy;
	s3_error_info info;

	memset(&info, 0, sizeof(info));
	/* S3 may answer CompleteMultipartUpload with 200 and an error document */
	if (resp->body_len > 0 &&
		s3_xml_parse_error(resp->body, resp->body_len, &info, errbuf, sizeof(errbuf)) == 0)
	{
		S3HttpResponse failed = *resp;

		s3_error_info_free(&info);
		failed.status = 500;
		s3_report_error(what, "S3", &failed, 1);
	}
	if (s3_xml_parse_field(resp->body, resp->body_len, root, field, &value,
						   errbuf, sizeof(errbuf)) != 0)
	{
		/* some stores (moto among them) name the root ...Response */
		char	   *alt = psprintf("%.*sResponse", (int) strlen(root) - 6, root);
		char		errbuf2[128];

		if (strlen(root) <= 6 || strcmp(root + strlen(root) - 6, "Result") != 0 ||
			s3_xml_parse_field(resp->body, resp->body_len, alt, field, &value,
							   errbuf2, sizeof(errbuf2)) != 0)
			s3_report_invalid_response(what, errbuf);
	}
	if (value == NULL || value[0] == '\0')
	{
		free(value);
		return NULL;
	}
	copy = pstrdup(value);
	free(value);
	return copy;
}

/*
 * The headers of an upload besides Content-Type: the user metadata, then
 * Cache-Control and Content-Encoding; each value from SQL checked as a
 * header value.
 */
int
s3_put_headers(const S3PutOptions *opts, S3Header **headers)
{
	S3Header   *h = palloc(sizeof(S3Header) * (opts->nmeta + 2));
	int			n = 0;

	if (opts->content_type != NULL)
		s3_check_header_arg("content_type", opts->content_type);
	for (n = 0; n < opts->nmeta; n++)
		h[n] = opts->meta[n];
	if (opts->cache_control != NULL)
	{
		s3_check_header_arg("cache_control", opts->cache_control);
		h[n].name = "Cache-Control";
		h[n++].value = opts->cache_control;
	}
	if (opts->content_encoding != NULL)
	{
		s3_check_header_arg("content_encoding", opts->content_encoding);
		h[n].name = "Content-Encoding";
		h[n++].value = opts->content_encoding;
	}
	*headers = h;
	return n;
}

/*
 * zlib's allocator for the gzip streams of s3_import and s3_export:
 * palloc'd in the context given as opaque, so that an error, which
 * abandons the stream without inflateEnd or deflateEnd, leaks nothing; and
 * never raising an error inside zlib (it gets NULL, and Z_MEM_ERROR).
 */
void *
s3_zalloc(void *opaque, unsigned int items, unsigned int size)
{
	return MemoryContextAllocExtended((MemoryContext) opaque, (Size) items * size,
									  MCXT_ALLOC_NO_OOM);
}

void
s3_zfree(void *opaque, void *address)
{
	(void) opaque;
	pfree(address);
}
