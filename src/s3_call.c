/*-------------------------------------------------------------------------
 *
 * s3_call.c
 *		What the S3 operation files (s3_object.c, s3_bucket.c, s3_list.c,
 *		s3_head.c, s3_copy.c, s3_delete.c, s3_restore.c, s3_tags.c,
 *		s3_multipart.c, s3_import.c, s3_export.c) share: the checks of an object's bucket
 *		and key and of a header value from SQL, an upload's headers, the
 *		request's address, the call to the request layer, the reading of a
 *		small XML answer that may be an error document, and zlib's
 *		allocator.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "core.h"
#include "s3_call.h"
#include "s3_xml.h"

/*
 * Complete an operation's description of a request (what, method, bucket,
 * key, query, body...) with its address and the server's settings, and
 * load the credentials that will sign it.
 */
/*
 * The three headers of an SSE-C key, for the object written or read, or
 * (copy_source) for a copy's source; into h, returns 3.
 */
static int
customer_key_headers(S3Header *h, bool copy_source, const char *key, const char *key_md5)
{
	const char *prefix = copy_source ? "x-amz-copy-source-server-side-encryption-customer-"
		: "x-amz-server-side-encryption-customer-";

	h[0].name = psprintf("%salgorithm", prefix);
	h[0].value = "AES256";
	h[1].name = psprintf("%skey", prefix);
	h[1].value = key;
	h[2].name = psprintf("%skey-MD5", prefix);
	h[2].value = key_md5;
	return 3;
}

void
s3_address_call(S3Server *server, S3SignedRequest *call)
{
	s3_target	target;
	const char *query = call->query;

	s3_load_credentials(server);

	if (call->version_id != NULL)
	{
		char	   *enc;

		s3_check_version_id_arg(call->version_id);
		enc = s3_uri_encode(call->version_id, strlen(call->version_id), false);
		if (enc == NULL)
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
		query = query ? psprintf("%s&versionId=%s", query, enc) : psprintf("versionId=%s", enc);
		free(enc);
		call->query = query;	/* signed as it is sent */
	}
	for (int copy_source = 0; copy_source <= 1; copy_source++)
	{
		S3Header	h[3];
		int			n;

		if (!(copy_source ? call->copy_source_customer_key : call->customer_key) ||
			server->sse_customer_key == NULL)
			continue;
		s3_check_customer_key_https(server, call->what);
		n = customer_key_headers(h, copy_source, server->sse_customer_key,
								 server->sse_customer_key_md5);
		for (int i = 0; i < n; i++)
			s3_call_add_header(call, h[i].name, h[i].value);
	}

	if (call->checksum_mode)
		s3_call_add_header(call, "x-amz-checksum-mode", "ENABLED");

	if (s3_build_target(&server->endpoint, server->virtual_style,
						call->bucket, call->key, query, &target) != 0)
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
	/* a read of an SSE-C object needs its key (PutObject sends its own) */
	call->customer_key = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
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

/* One more header for a request (after those the operation gave) */
void
s3_call_add_header(S3SignedRequest *call, const char *name, const char *value)
{
	S3Header   *h = palloc(sizeof(S3Header) * (call->nheaders + 1));

	if (call->nheaders > 0)
		memcpy(h, call->headers, sizeof(S3Header) * call->nheaders);
	h[call->nheaders].name = name;
	h[call->nheaders].value = value;
	call->headers = h;
	call->nheaders++;
}

/*
 * An SSE-C key goes only over https: S3 refuses it over plain http, and
 * anyone on the path could read it there.
 */
void
s3_check_customer_key_https(const S3Server *server, const char *what)
{
	if (!server->endpoint.https)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg_internal("%s", what),
				 errdetail("The user mapping's sse_customer_key is sent only over https, and server \"%s\" has an http endpoint.",
						   server->servername),
				 errhint("Use an https endpoint, or a user mapping without sse_customer_key.")));
}


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
 * A conditional write that S3 refused (HTTP 412): with if_none_match an
 * object has the key already, as a unique key would refuse a row (23505);
 * with if_match the object changed since its ETag was read, as a
 * serializable transaction fails (40001).
 */
void
s3_report_precondition(const S3PutOptions *opts, const char *what)
{
	if (opts->if_none_match)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg_internal("%s", what),
				 errdetail("The object exists already, and if_none_match asked for a new one only (S3 answered HTTP 412)."),
				 errhint("Choose another key, or remove the object first.")));
	ereport(ERROR,
			(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
			 errmsg_internal("%s", what),
			 errdetail("The object's ETag is no longer \"%s\": it was replaced or removed since it was read (S3 answered HTTP 412).",
					   opts->if_match ? opts->if_match : ""),
			 errhint("Read the object again, and write over its new ETag.")));
}

/*
 * The headers of an upload besides Content-Type: the user metadata, then
 * Cache-Control and Content-Encoding; each value from SQL checked as a
 * header value.
 */
/* One level's encryption; a context or bucket key the call gave stays */
static void
take_encryption(S3PutOptions *opts, const char *sse, const char *kms_key_id,
				const char *encryption_context, const char *bucket_key_enabled)
{
	opts->sse = sse;
	opts->kms_key_id = kms_key_id;
	if (opts->encryption_context == NULL)
		opts->encryption_context = encryption_context;
	if (opts->bucket_key_enabled == NULL)
		opts->bucket_key_enabled = bucket_key_enabled;
}

/*
 * Complete an upload's settings: what the caller left out comes from the
 * foreign table's options (table may be NULL), then the server's; the
 * user mapping's SSE-C key is used unless some other encryption is asked
 * for.  Every value is checked here, before anything is sent.
 */
void
s3_put_options_defaults(S3PutOptions *opts, const S3Server *server, const S3TableOptions *table)
{
	const char *problem = NULL;
	const char *arg = NULL;
	bool		own_sse = opts->sse != NULL || opts->kms_key_id != NULL;

#define DEFAULT_FROM(field) \
	do { \
		if (opts->field == NULL && table != NULL) opts->field = table->field; \
		if (opts->field == NULL) opts->field = server->field; \
	} while (0)
	/*
	 * Encryption comes whole from one level, the first that says sse or
	 * kms_key_id: a call's AES256 does not take a table's KMS key, nor a
	 * table's AES256 the server's.
	 */
	if (!own_sse && table != NULL && (table->sse != NULL || table->kms_key_id != NULL))
		take_encryption(opts, table->sse, table->kms_key_id, table->encryption_context,
						table->bucket_key_enabled);
	else if (!own_sse && (server->sse != NULL || server->kms_key_id != NULL))
		take_encryption(opts, server->sse, server->kms_key_id, server->encryption_context,
						server->bucket_key_enabled);
	DEFAULT_FROM(storage_class);
	DEFAULT_FROM(checksum_algorithm);
#undef DEFAULT_FROM

	if (opts->sse == NULL && opts->kms_key_id != NULL)
		opts->sse = "aws:kms";	/* a key says which encryption */
	if (opts->sse != NULL && (problem = s3_check_sse(opts->sse)) != NULL)
		arg = "sse";
	else if (opts->kms_key_id != NULL && (problem = s3_check_kms_key_id(opts->kms_key_id)) != NULL)
		arg = "kms_key_id";
	else if (opts->storage_class != NULL &&
			 (problem = s3_check_storage_class(opts->storage_class)) != NULL)
		arg = "storage_class";
	else if (opts->checksum_algorithm != NULL &&
			 (problem = s3_check_checksum_algorithm(opts->checksum_algorithm)) != NULL)
		arg = "checksum_algorithm";
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s", arg),
				 errdetail("%s", s3_sentence(problem))));
	if (opts->checksum_algorithm != NULL)
		opts->checksum_algorithm = s3_checksum_name(opts->checksum_algorithm);
	if ((opts->kms_key_id != NULL || opts->encryption_context != NULL ||
		 opts->bucket_key_enabled != NULL) && strncmp(opts->sse, "aws:kms", 7) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a KMS key, encryption context or bucket key needs sse 'aws:kms', not '%s'",
						opts->sse)));
	if (opts->if_match != NULL)
		s3_check_header_arg("if_match", opts->if_match);
	if (opts->if_none_match && opts->if_match != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("if_none_match and if_match cannot both be given"),
				 errdetail("if_none_match writes only a new object, if_match only over an existing one.")));

	/* the user mapping's customer key, unless S3 is to keep the key */
	s3_load_credentials((S3Server *) server);
	if (opts->sse == NULL && server->sse_customer_key != NULL)
	{
		s3_check_customer_key_https(server, "could not upload with the user mapping's SSE-C key");
		opts->sse_customer_key = server->sse_customer_key;
		opts->sse_customer_key_md5 = server->sse_customer_key_md5;
	}
}

/*
 * The headers of an upload besides Content-Type: the user metadata,
 * Cache-Control and Content-Encoding, then encryption, storage class,
 * tags and conditions (s3_put_options_defaults() has checked them).
 */
int
s3_put_headers(const S3PutOptions *opts, S3Header **headers)
{
	S3Header   *h = palloc(sizeof(S3Header) * (opts->nmeta + 16));
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
	n += s3_create_headers(opts, h + n);
	if (opts->if_none_match)
	{
		h[n].name = "If-None-Match";
		h[n++].value = "*";
	}
	if (opts->if_match != NULL)
	{
		h[n].name = "If-Match";
		h[n++].value = opts->if_match[0] == '"' ? opts->if_match
			: psprintf("\"%s\"", opts->if_match);
	}
	*headers = h;
	return n;
}

/*
 * What a new object is stored with, that PutObject, CopyObject and
 * CreateMultipartUpload send alike: encryption, storage class and tags
 * (at most 9 headers, into h).
 */
int
s3_create_headers(const S3PutOptions *opts, S3Header *h)
{
	int			n = 0;

	if (opts->sse != NULL)
	{
		h[n].name = "x-amz-server-side-encryption";
		h[n++].value = opts->sse;
	}
	if (opts->kms_key_id != NULL)
	{
		h[n].name = "x-amz-server-side-encryption-aws-kms-key-id";
		h[n++].value = opts->kms_key_id;
	}
	if (opts->encryption_context != NULL)
	{
		const char *json = opts->encryption_context;
		char	   *b64 = s3_base64(json, strlen(json));

		h[n].name = "x-amz-server-side-encryption-context";
		h[n++].value = b64;
	}
	if (opts->bucket_key_enabled != NULL)
	{
		h[n].name = "x-amz-server-side-encryption-bucket-key-enabled";
		h[n++].value = opts->bucket_key_enabled;
	}
	if (opts->sse_customer_key != NULL)
		n += customer_key_headers(h + n, false, opts->sse_customer_key,
								  opts->sse_customer_key_md5);
	if (opts->storage_class != NULL)
	{
		h[n].name = "x-amz-storage-class";
		h[n++].value = opts->storage_class;
	}
	if (opts->tagging != NULL && opts->tagging[0] != '\0')
	{
		h[n].name = "x-amz-tagging";
		h[n++].value = opts->tagging;
	}
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
