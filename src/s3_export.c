/*-------------------------------------------------------------------------
 *
 * s3_export.c
 *		The S3 side of s3_export: bytes written as they come (COPY TO's
 *		rows) into one object, deflated to gzip on the way when asked.
 *
 * The bytes are held in a buffer of one part.  When it is full and more
 * bytes come, it goes to S3 as the next part of a streamed multipart
 * upload (s3_multipart.c, begun with the first full part; up to the
 * server's max_concurrency parts in flight, and no more than 64 MB of
 * them) and a new buffer is started.  An export that never fills a part
 * goes as a single PutObject at the end.  So the memory held is at most
 * the parts in flight and one more, whatever the size of the export.
 *
 * The parts are part_size bytes; after every 2,000 parts they double (at
 * most four times, and never above 1 GB), so that S3's 10,000 parts hold
 * about 31 times part_size * 2,000 (about 1 TB with the 16 MB default).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <zlib.h>

#include "utils/memutils.h"

#include "s3_fdw.h"

#define PARTS_PER_SIZE 2000
#define MAX_DOUBLINGS 4
#define MAX_PART ((size_t) 1024 * 1024 * 1024)

struct S3ExportWriter
{
	S3Server   *server;
	const char *bucket;
	const char *key;
	S3PutOptions opts;
	MemoryContext cxt;			/* the writer's, and the zlib state */
	S3MultipartStream *stream;	/* NULL until the first part is full */
	/* the part being filled, in a context of its own */
	MemoryContext buf_cxt;
	char	   *buf;
	size_t		len;
	size_t		cap;
	int			parts;			/* parts handed to the stream */
	int64		bytes;			/* bytes handed to the stream */
	bool		gzip;
	z_stream	zs;
};

/* A buffer for the next part; its size depends on how many came before. */
static void
new_buffer(S3ExportWriter *w)
{
	size_t		size = (size_t) w->server->part_size;
	int			doublings = Min(w->parts / PARTS_PER_SIZE, MAX_DOUBLINGS);

	while (doublings-- > 0 && size * 2 <= MAX_PART)
		size *= 2;
	w->buf_cxt = AllocSetContextCreate(w->cxt, "s3_export part", ALLOCSET_SMALL_SIZES);
	w->buf = MemoryContextAllocHuge(w->buf_cxt, size);
	w->len = 0;
	w->cap = size;
}

/* The full buffer goes to S3 as the next part (the stream takes it). */
static void
send_part(S3ExportWriter *w)
{
	MemoryContext old = MemoryContextSwitchTo(w->cxt);

	if (w->stream == NULL)
		w->stream = s3_multipart_stream_begin(w->server, w->bucket, w->key, &w->opts);
	s3_multipart_stream_part(w->stream, w->buf_cxt, w->buf, w->len);
	w->buf_cxt = NULL;
	w->buf = NULL;
	w->parts++;
	w->bytes += w->len;
	new_buffer(w);
	MemoryContextSwitchTo(old);
}

/*
 * An export to bucket/key.  content_type goes with the object; gzip
 * deflates it (Content-Encoding: gzip).  Nothing is sent until the first
 * part is full or s3_export_finish().
 */
S3ExportWriter *
s3_export_begin(S3Server *server, const char *bucket, const char *key,
				const char *content_type, bool gzip)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "s3_export",
											  ALLOCSET_DEFAULT_SIZES);
	S3ExportWriter *w = MemoryContextAllocZero(cxt, sizeof(S3ExportWriter));

	/* the object's name is checked before the query runs */
	s3_check_bucket_arg(bucket);
	(void) s3_check_key_arg(key);
	w->server = server;
	w->bucket = MemoryContextStrdup(cxt, bucket);
	w->key = MemoryContextStrdup(cxt, key);
	w->cxt = cxt;
	w->opts.content_type = content_type;
	w->gzip = gzip;
	if (gzip)
	{
		w->opts.content_encoding = "gzip";
		w->zs.zalloc = s3_zalloc;
		w->zs.zfree = s3_zfree;
		w->zs.opaque = cxt;
		/* 15 + 16: a gzip header and trailer around the deflate stream */
		if (deflateInit2(&w->zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
						 Z_DEFAULT_STRATEGY) != Z_OK)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory"),
					 errdetail("Could not start a gzip stream.")));
	}
	new_buffer(w);
	return w;
}

/* Deflate what zs holds into the buffer, sending parts as they fill. */
static void
deflate_into_parts(S3ExportWriter *w, int flush)
{
	for (;;)
	{
		int			rc;

		if (w->len == w->cap)
			send_part(w);
		w->zs.next_out = (Bytef *) w->buf + w->len;
		w->zs.avail_out = (uInt) Min(w->cap - w->len, (size_t) UINT_MAX);
		rc = deflate(&w->zs, flush);
		w->len = (char *) w->zs.next_out - w->buf;
		if (rc == Z_STREAM_END)
			return;
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("could not compress the export to object \"%s\" in bucket \"%s\"",
							w->key, w->bucket),
					 errdetail("zlib's deflate() returned %d%s%s.", rc,
							   w->zs.msg ? ": " : "", w->zs.msg ? w->zs.msg : "")));
		if (flush == Z_NO_FLUSH && w->zs.avail_in == 0 && w->len < w->cap)
			return;
	}
}

/* More bytes of the object. */
void
s3_export_write(S3ExportWriter *w, const char *data, size_t len)
{
	if (w->gzip)
	{
		while (len > 0)
		{
			uInt		n = (uInt) Min(len, (size_t) UINT_MAX);

			w->zs.next_in = (Bytef *) data;
			w->zs.avail_in = n;
			deflate_into_parts(w, Z_NO_FLUSH);
			data += n;
			len -= n;
		}
		return;
	}
	while (len > 0)
	{
		size_t		n;

		if (w->len == w->cap)
			send_part(w);
		n = Min(len, w->cap - w->len);
		memcpy(w->buf + w->len, data, n);
		w->len += n;
		data += n;
		len -= n;
	}
}

/*
 * The end of the object: the last part and CompleteMultipartUpload, or a
 * single PutObject of whatever is held (nothing at all for an empty
 * export).  Returns the bytes stored and the parts (1 for a single PUT).
 */
void
s3_export_finish(S3ExportWriter *w, int64 *bytes, int *parts)
{
	MemoryContext old = MemoryContextSwitchTo(w->cxt);

	if (w->gzip)
	{
		w->zs.next_in = NULL;
		w->zs.avail_in = 0;
		deflate_into_parts(w, Z_FINISH);
		deflateEnd(&w->zs);
		w->gzip = false;
	}
	if (w->stream == NULL)
	{
		(void) s3_put_object(w->server, w->bucket, w->key, w->buf, w->len, &w->opts);
		*bytes = w->len;
		*parts = 1;
	}
	else
	{
		if (w->len > 0)
		{
			s3_multipart_stream_part(w->stream, w->buf_cxt, w->buf, w->len);
			w->buf_cxt = NULL;
			w->parts++;
			w->bytes += w->len;
		}
		s3_multipart_stream_finish(w->stream);
		*bytes = w->bytes;
		*parts = w->parts;
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(w->cxt);
}

/*
 * After an error (from the caller's PG_CATCH): the parts in flight are
 * dropped and the multipart upload, if one was begun, aborted; nothing is
 * left in the bucket.  The writer's memory goes.
 */
void
s3_export_abort(S3ExportWriter *w)
{
	if (w->stream != NULL)
		s3_multipart_stream_abort(w->stream);
	MemoryContextDelete(w->cxt);
}
