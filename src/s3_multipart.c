/*-------------------------------------------------------------------------
 *
 * s3_multipart.c
 *		Uploads in parts: a body above the server's multipart_threshold
 *		goes to S3 as a multipart upload (CreateMultipartUpload, UploadPart
 *		for each part_size slice, CompleteMultipartUpload), with up to
 *		max_concurrency parts in flight at once; and copies in parts
 *		(UploadPartCopy), where S3 copies each range itself.
 *
 * The parts are slices of the caller's body: nothing is copied.  Each part
 * is a request of its own, signed and tried again on its own (a 503 burst
 * costs one part, not the upload).  However the upload ends short of
 * completion (an error, a cancel, statement_timeout), the parts in flight
 * are dropped and AbortMultipartUpload is sent, so that S3 keeps no parts
 * (which it would bill until a lifecycle rule removed them).
 *
 * A streamed upload (s3_multipart_stream_*, for s3_export) does not know
 * its size: the caller hands over each part as it fills, with a memory
 * context of its own that the stream deletes once S3 has the part, so
 * that at most max_concurrency parts are held (and no more than 64 MB of
 * them, unless one part is larger), whatever the size.  The part's bytes
 * may be in that context, or kept by the caller, who may use them again
 * once s3_multipart_stream_done() counts the part.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/xml.h"

#include "core.h"
#include "s3_call.h"

/* S3's limits */
#define MAX_PARTS 10000
#define MAX_ANSWER_BODY ((size_t) 1024 * 1024)	/* the XML answers are small */
#define ABORT_TIMEOUT_MS 10000
#define STREAM_MEMORY ((int64) 64 * 1024 * 1024)	/* a stream's parts in flight */

typedef struct Part
{
	MemoryContext cxt;			/* a streamed part's body and request, or NULL */
	S3SignedRequest call;
	S3Pending  *pending;		/* in flight, or NULL */
	char	   *etag;			/* as S3 gave it, quotes included */
	char	   *checksum;		/* its checksum (base64), or NULL */
} Part;

typedef struct Upload
{
	S3Server   *server;
	const char *bucket;
	const char *key;
	const char *ukey;			/* UTF-8, for the wire */
	const char *what;
	char	   *upload_id;		/* URL-encoded for queries */
	const char *copy_source;	/* UploadPartCopy from it, or NULL */
	Part	   *parts;
	int			nparts;
	S3PutOptions opts;			/* what begin_upload() was given */
	const char *checksum_algorithm; /* of every part, declared, or NULL */
} Upload;

/* A request of the upload (a part, the completion, the abort) */
static void
upload_call(Upload *u, S3SignedRequest *call, const char *method, char *query)
{
	memset(call, 0, sizeof(*call));
	call->what = u->what;
	call->method = method;
	call->bucket = u->bucket;
	call->key = u->ukey;
	call->query = query;
	call->max_body = MAX_ANSWER_BODY;
}

static void
begin_upload(Upload *u, const S3PutOptions *opts)
{
	S3SignedRequest call;
	S3HttpResponse resp;
	char	   *id;
	char	   *enc;

	s3_object_call(&call, "POST", _("could not upload object \"%s\" to bucket \"%s\""),
				   u->bucket, u->key);
	if (u->what != NULL)
		call.what = u->what;	/* a copy's */
	call.query = "uploads";
	call.content_type = opts->content_type;
	/* the conditions go with the completion */
	u->opts = *opts;
	u->opts.if_none_match = false;
	u->opts.if_match = NULL;
	call.nheaders = s3_put_headers(&u->opts, (S3Header **) &call.headers);
	u->opts.if_none_match = opts->if_none_match;
	u->opts.if_match = opts->if_match;

	/*
	 * The parts' checksum algorithm, declared here: S3 refuses parts with a
	 * checksum of an algorithm the upload did not declare, and then keeps
	 * the object's composite checksum.  Parts sent with the unsigned payload
	 * carry CRC32C when no algorithm is asked for; copied parts, none.
	 */
	u->checksum_algorithm = opts->checksum_algorithm;
	if (u->checksum_algorithm == NULL && u->copy_source == NULL)
		u->checksum_algorithm = s3_default_checksum(u->server);
	if (u->checksum_algorithm != NULL)
		s3_call_add_header(&call, "x-amz-checksum-algorithm", u->checksum_algorithm);
	call.max_body = MAX_ANSWER_BODY;
	u->what = call.what;
	u->ukey = call.key;
	s3_execute(u->server, &call, &resp);
	id = s3_answer_field(u->what, &resp, "InitiateMultipartUploadResult", "UploadId");
	if (!s3_printable_ascii(id) || strlen(id) > 1024)
		s3_report_invalid_response(u->what, "the UploadId is not printable ASCII of at most 1024 bytes");
	enc = s3_uri_encode(id, strlen(id), false);
	if (enc == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	u->upload_id = pstrdup(enc);
	free(enc);
}

/* The checksum a part's body goes with, of the upload's algorithm */
static void
part_checksum(Upload *u, Part *p)
{
	if (u->checksum_algorithm == NULL)
		return;
	p->checksum = s3_checksum_base64(u->checksum_algorithm, p->call.body, p->call.body_len);
	p->call.checksum_algorithm = u->checksum_algorithm;
	p->call.checksum = p->checksum;
}

static void
start_part(Upload *u, int i, const char *data, size_t len, size_t part_size)
{
	Part	   *p = &u->parts[i];
	size_t		off = (size_t) i * part_size;
	size_t		n = Min(part_size, len - off);

	upload_call(u, &p->call, "PUT",
				psprintf("partNumber=%d&uploadId=%s", i + 1, u->upload_id));
	if (u->copy_source != NULL)
	{
		/* UploadPartCopy: S3 copies the range itself */
		S3Header   *h = palloc(sizeof(S3Header) * 2);

		h[0].name = "x-amz-copy-source";
		h[0].value = u->copy_source;
		h[1].name = "x-amz-copy-source-range";
		h[1].value = psprintf("bytes=%zu-%zu", off, off + n - 1);
		p->call.headers = h;
		p->call.nheaders = 2;
		p->call.copy_source_customer_key = true;
	}
	else
	{
		p->call.body = data + off;
		p->call.body_len = n;
		part_checksum(u, p);
	}
	/* each part is encrypted with the key the upload began with */
	p->call.customer_key = u->opts.sse_customer_key != NULL;
	s3_address_call(u->server, &p->call);
	p->pending = s3_request_start(u->server->creds, &p->call);
}

static void
finish_part(Upload *u, int i)
{
	Part	   *p = &u->parts[i];
	S3HttpResponse resp;

	s3_request_finish(p->pending, &resp);
	p->pending = NULL;
	if (u->copy_source != NULL)
	{
		resp.etag = s3_answer_field(u->what, &resp, "CopyPartResult", "ETag");
		/* S3 computes a copied part's checksum of the declared algorithm */
		if (u->checksum_algorithm != NULL)
			p->checksum = s3_answer_field_opt(u->what, &resp, "CopyPartResult",
											  psprintf("Checksum%s", u->checksum_algorithm));
	}
	if (resp.etag == NULL || !s3_printable_ascii(resp.etag))
		s3_report_invalid_response(u->what,
								   psprintf("part %d was answered without an ETag", i + 1));
	p->etag = resp.etag;
}

/*
 * The ETag of an object just completed, when the completion's answer did
 * not give it: Ceph RGW 16.2 answers CompleteMultipartUpload with an empty
 * <ETag></ETag>, the object complete all the same.  HeadObject tells it (as
 * boto3's head_object does), quotes included like S3's answers; never an
 * empty or made-up value.
 */
static char *
completed_etag(Upload *u)
{
	S3ObjectHead *h = s3_head_object(u->server, u->bucket, u->key, NULL);

	if (!h->found || h->etag == NULL || h->etag[0] == '\0' || !s3_printable_ascii(h->etag))
		s3_report_invalid_response(u->what,
								   "CompleteMultipartUploadResult has an empty <ETag>, and HeadObject gave none for the object");
	return psprintf("\"%s\"", h->etag);
}

/*
 * CompleteMultipartUpload; returns the object's ETag as S3 gave it (quotes
 * included), or NULL when want_etag is false and the answer had none.  Once
 * S3 has answered, there is no upload left to abort (u->upload_id is NULL).
 */
static char *
complete_upload(Upload *u, bool want_etag)
{
	S3SignedRequest call;
	S3HttpResponse resp;
	StringInfoData xml;
	char	   *etag;
	int			i;

	initStringInfo(&xml);
	appendStringInfoString(&xml, "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
	for (i = 0; i < u->nparts; i++)
	{
		char	   *part_etag = escape_xml(u->parts[i].etag);

		appendStringInfo(&xml, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag>",
						 i + 1, part_etag);
		if (u->parts[i].checksum != NULL)
			appendStringInfo(&xml, "<Checksum%s>%s</Checksum%s>", u->checksum_algorithm,
							 escape_xml(u->parts[i].checksum), u->checksum_algorithm);
		appendStringInfoString(&xml, "</Part>");
	}
	appendStringInfoString(&xml, "</CompleteMultipartUpload>");

	upload_call(u, &call, "POST", psprintf("uploadId=%s", u->upload_id));
	call.body = xml.data;
	call.body_len = xml.len;
	call.content_type = "application/xml";
	/* a checksum header here would be the object's, not the document's */
	call.no_checksum = true;
	if (u->opts.if_none_match)
		s3_call_add_header(&call, "If-None-Match", "*");
	if (u->opts.if_match != NULL)
		s3_call_add_header(&call, "If-Match", u->opts.if_match[0] == '"' ? u->opts.if_match
						   : psprintf("\"%s\"", u->opts.if_match));
	if (u->opts.if_none_match || u->opts.if_match != NULL)
		call.ok_status = 412;	/* the condition's own error */
	s3_execute(u->server, &call, &resp);
	if (resp.status == 412)
		s3_report_precondition(&u->opts, u->what);
	etag = s3_answer_field_opt(u->what, &resp, "CompleteMultipartUploadResult", "ETag");
	u->upload_id = NULL;		/* complete: nothing to abort from here on */
	if (etag == NULL && want_etag)
		etag = completed_etag(u);
	return etag;
}

/*
 * AbortMultipartUpload, after an error: with interrupts held (a second
 * cancel must not leave the parts behind) and a short timeout.  A failure
 * here is only reported as a WARNING: the error that ended the upload is
 * the one the caller sees.  An ERROR zeroes InterruptHoldoffCount
 * (errfinish): the count is put back before RESUME_INTERRUPTS, which would
 * otherwise wrap it around and hold every interrupt (a cancel,
 * statement_timeout) of the session until its next ERROR.
 */
static void
abort_upload(Upload *u)
{
	MemoryContext cxt = CurrentMemoryContext;
	S3Server	quick = *u->server;
	uint32		holdoff = InterruptHoldoffCount;

	if (u->upload_id == NULL)
		return;					/* never begun, or already complete */
	quick.request_timeout_ms = ABORT_TIMEOUT_MS;
	quick.max_retries = Min(quick.max_retries, 1);
	HOLD_INTERRUPTS();
	PG_TRY();
	{
		S3SignedRequest call;
		S3HttpResponse resp;

		upload_call(u, &call, "DELETE", psprintf("uploadId=%s", u->upload_id));
		s3_execute(&quick, &call, &resp);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		InterruptHoldoffCount = holdoff + 1;	/* as HOLD_INTERRUPTS() left it */
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		ereport(WARNING,
				(errcode(edata->sqlerrcode),
				 errmsg("could not abort the multipart upload of object \"%s\" in bucket \"%s\"",
						u->key, u->bucket),
				 edata->detail ? errdetail_internal("%s", edata->detail) : 0,
				 errhint("Its parts stay in the bucket until AbortMultipartUpload or a lifecycle rule removes them.")));
		FreeErrorData(edata);
	}
	PG_END_TRY();
	RESUME_INTERRUPTS();
}

/*
 * A multipart upload of len bytes, from data or (copy_source) from an
 * object S3 copies; returns the object's ETag without quotes
 * ("<hex>-<parts>").
 */
static char *
run_upload(Upload *u, const char *data, size_t len, const S3PutOptions *opts)
{
	MemoryContext cxt = CurrentMemoryContext;
	S3Server   *server = u->server;
	size_t		part_size = (size_t) server->part_size;
	int			next = 0;
	int			done = 0;
	char	   *etag = NULL;
	size_t		elen;

	/* S3 takes at most 10,000 parts: larger ones when there would be more */
	if ((len + part_size - 1) / part_size > MAX_PARTS)
		part_size = (len + MAX_PARTS - 1) / MAX_PARTS;
	u->nparts = (int) ((len + part_size - 1) / part_size);
	u->parts = palloc0(sizeof(Part) * u->nparts);

	begin_upload(u, opts);
	PG_TRY();
	{
		while (done < u->nparts)
		{
			/* a window of parts in flight; finished in order */
			while (next < u->nparts && next - done < server->max_concurrency)
			{
				start_part(u, next, data, len, part_size);
				next++;
			}
			finish_part(u, done++);
		}
		etag = complete_upload(u, true);
	}
	PG_CATCH();
	{
		ErrorData  *edata;
		int			i;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		for (i = 0; i < u->nparts; i++)
			if (u->parts[i].pending != NULL)
				s3_request_cancel(u->parts[i].pending);
		abort_upload(u);
		ReThrowError(edata);
	}
	PG_END_TRY();

	elen = strlen(etag);
	if (elen >= 2 && etag[0] == '"' && etag[elen - 1] == '"')
		return pnstrdup(etag + 1, elen - 2);
	return etag;
}

/* Upload data as a multipart upload; returns the object's ETag. */
char *
s3_multipart_put(S3Server *server, const char *bucket, const char *key,
				 const char *data, size_t len, const S3PutOptions *opts)
{
	Upload		u;

	memset(&u, 0, sizeof(u));
	u.server = server;
	u.bucket = bucket;
	u.key = key;
	return run_upload(&u, data, len, opts);
}

/*
 * Copy an object of size bytes in parts (UploadPartCopy), which S3 needs
 * above 5 GB; copy_source is the x-amz-copy-source value, what the
 * message of a failure.  The new object's headers and metadata are opts.
 */
char *
s3_multipart_copy(S3Server *server, const char *copy_source, int64 size,
				  const char *bucket, const char *key, const char *what,
				  const S3PutOptions *opts)
{
	Upload		u;

	memset(&u, 0, sizeof(u));
	u.server = server;
	u.bucket = bucket;
	u.key = key;
	u.copy_source = copy_source;
	u.what = what;
	return run_upload(&u, NULL, (size_t) size, opts);
}

/*
 * A streamed multipart upload: begun when the first part is full, fed part
 * by part, then completed, or aborted by the caller's error handling.
 */
struct S3MultipartStream
{
	Upload		u;
	MemoryContext cxt;			/* the parts array and their ETags */
	int			capacity;		/* of u.parts */
	int			done;			/* parts finished, in order */
	int64		bytes_in_flight;	/* of the parts sent, not finished */
};

S3MultipartStream *
s3_multipart_stream_begin(S3Server *server, const char *bucket, const char *key,
						  const S3PutOptions *opts)
{
	S3MultipartStream *s = palloc0(sizeof(S3MultipartStream));

	s->cxt = CurrentMemoryContext;
	s->u.server = server;
	s->u.bucket = bucket;
	s->u.key = key;
	s->capacity = 64;
	s->u.parts = palloc0(sizeof(Part) * s->capacity);
	begin_upload(&s->u, opts);
	return s;
}

/* Wait for the oldest part in flight; its memory goes, its ETag stays. */
static void
stream_finish_oldest(S3MultipartStream *s)
{
	Part	   *p = &s->u.parts[s->done];
	MemoryContext old = MemoryContextSwitchTo(p->cxt);

	s->bytes_in_flight -= (int64) p->call.body_len;
	finish_part(&s->u, s->done);
	MemoryContextSwitchTo(s->cxt);
	p->etag = pstrdup(p->etag);
	if (p->checksum != NULL)
		p->checksum = pstrdup(p->checksum);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(p->cxt);
	p->cxt = NULL;
	memset(&p->call, 0, sizeof(p->call));
	s->done++;
}

/*
 * Send len bytes of data as the next part, without waiting for it unless
 * max_concurrency parts, or 64 MB with this one, are already in flight
 * (then for the oldest, as many as it takes).  The stream takes data_cxt,
 * where the part's request is made and which may hold data: it is deleted
 * once S3 has the part, or with the stream's context after an abort.
 * data must stay as it is until then.  Every part but the last must be at
 * least 5 MB (S3's rule).
 */
void
s3_multipart_stream_part(S3MultipartStream *s, MemoryContext data_cxt,
						 const char *data, size_t len)
{
	int			i = s->u.nparts;
	Part	   *p;
	MemoryContext old;

	if (i >= MAX_PARTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("could not upload object \"%s\" to bucket \"%s\"", s->u.key, s->u.bucket),
				 errdetail("S3 takes at most %d parts in a multipart upload.", MAX_PARTS),
				 errhint("Use a larger part_size on the server.")));
	/*
	 * max_concurrency parts in flight, but not above 64 MB in all (counted
	 * part by part: s3_export's parts grow on a long export), and always one
	 */
	while (i > s->done &&
		   (i - s->done >= s->u.server->max_concurrency ||
			s->bytes_in_flight + (int64) len > STREAM_MEMORY))
		stream_finish_oldest(s);
	if (i >= s->capacity)
	{
		MemoryContext sc = MemoryContextSwitchTo(s->cxt);

		s->u.parts = repalloc(s->u.parts, sizeof(Part) * s->capacity * 2);
		memset(s->u.parts + s->capacity, 0, sizeof(Part) * s->capacity);
		s->capacity *= 2;
		MemoryContextSwitchTo(sc);
	}
	MemoryContextSetParent(data_cxt, s->cxt);
	p = &s->u.parts[i];
	p->cxt = data_cxt;
	s->u.nparts = i + 1;
	old = MemoryContextSwitchTo(data_cxt);
	/* one part of len bytes at offset 0 of data */
	upload_call(&s->u, &p->call, "PUT",
				psprintf("partNumber=%d&uploadId=%s", i + 1, s->u.upload_id));
	p->call.body = data;
	p->call.body_len = len;
	part_checksum(&s->u, p);
	s->bytes_in_flight += (int64) len;
	s3_address_call(s->u.server, &p->call);
	p->pending = s3_request_start(s->u.server->creds, &p->call);
	MemoryContextSwitchTo(old);
}

/*
 * Wait for the parts in flight and complete the upload.  Its ETag is not
 * asked for (s3_export reports rows, bytes and parts): an answer without
 * one (Ceph RGW's) costs no HeadObject.
 */
void
s3_multipart_stream_finish(S3MultipartStream *s)
{
	while (s->done < s->u.nparts)
		stream_finish_oldest(s);
	(void) complete_upload(&s->u, false);
}

/*
 * After an error: drop the parts in flight, then AbortMultipartUpload
 * (interrupts held, a short timeout, a WARNING if it fails).  Called from
 * the caller's PG_CATCH, with the error state already copied.
 */
void
s3_multipart_stream_abort(S3MultipartStream *s)
{
	int			i;

	for (i = s->done; i < s->u.nparts; i++)
		if (s->u.parts[i].pending != NULL)
		{
			s3_request_cancel(s->u.parts[i].pending);
			s->u.parts[i].pending = NULL;
		}
	if (s->u.upload_id != NULL)
		abort_upload(&s->u);
	for (i = s->done; i < s->u.nparts; i++)
		if (s->u.parts[i].cxt != NULL)
		{
			MemoryContextDelete(s->u.parts[i].cxt);
			s->u.parts[i].cxt = NULL;
		}
}

/*
 * The parts finished (S3 has them, their contexts are gone), counted from
 * the first: the data of parts 0 to done - 1 is no longer read.
 */
int
s3_multipart_stream_done(S3MultipartStream *s)
{
	return s->done;
}
