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
 * them) and a new buffer is started.  The parts in flight are moved on
 * every PROGRESS_EVERY bytes that COPY writes, so that they go out while
 * the rows are made, not only when the stream has to wait for one.  An export that never fills a part
 * goes as a single PutObject at the end.  So the memory held is at most
 * the parts in flight and one more, whatever the size of the export.  The
 * buffers are the writer's: the buffer of a part that S3 has is the next
 * part's (when it has the size that part needs), so that the pages of a
 * new buffer are not faulted in again for every part.
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

#include "s3_call.h"

#define PARTS_PER_SIZE 2000
#define MAX_DOUBLINGS 4
#define MAX_PART ((size_t) 1024 * 1024 * 1024)
#define PROGRESS_EVERY ((size_t) 256 * 1024)

struct S3ExportWriter
{
	S3Server   *server;
	const char *bucket;
	const char *key;
	S3PutOptions opts;
	MemoryContext cxt;			/* the writer's, its buffers, the zlib state */
	S3MultipartStream *stream;	/* NULL until the first part is full */
	/* the part being filled */
	char	   *buf;
	size_t		len;
	size_t		cap;
	/* the buffers of the parts handed to the stream and not yet known to
	 * be finished (parts number reclaimed to parts - 1), oldest first */
	char	  **sent;
	size_t	   *sent_cap;
	int			nsent_max;
	int			reclaimed;		/* parts whose buffer came back */
	char	   *spare;			/* a finished part's buffer, or NULL */
	size_t		spare_cap;
	int			parts;			/* parts handed to the stream */
	int64		bytes;			/* bytes handed to the stream */
	size_t		unmoved;		/* bytes written since the parts in flight
								 * were last moved on */
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
	if (w->spare != NULL && w->spare_cap == size)
		w->buf = w->spare;
	else
	{
		if (w->spare != NULL)
			pfree(w->spare);
		w->buf = MemoryContextAllocHuge(w->cxt, size);
	}
	w->spare = NULL;
	w->len = 0;
	w->cap = size;
}

/*
 * The buffers of the parts that the stream has finished (S3 has them)
 * come back: one is kept for the next part, the others are freed.
 */
static void
reclaim_buffers(S3ExportWriter *w)
{
	int			done = s3_multipart_stream_done(w->stream);

	while (w->reclaimed < done)
	{
		int			i = w->reclaimed % w->nsent_max;

		if (w->spare == NULL)
		{
			w->spare = w->sent[i];
			w->spare_cap = w->sent_cap[i];
		}
		else
			pfree(w->sent[i]);
		w->sent[i] = NULL;
		w->reclaimed++;
	}
}

/*
 * The buffer goes to S3 as the next part: the stream makes its request in
 * a context of its own (and deletes it once S3 has the part); the buffer
 * stays the writer's until then.
 */
static void
hand_over(S3ExportWriter *w)
{
	MemoryContext part_cxt = AllocSetContextCreate(w->cxt, "s3_export part", ALLOCSET_SMALL_SIZES);

	if (w->sent == NULL)
	{
		/* the stream never has more than max_concurrency parts unfinished */
		w->nsent_max = w->server->max_concurrency + 1;
		w->sent = palloc0(sizeof(char *) * w->nsent_max);
		w->sent_cap = palloc0(sizeof(size_t) * w->nsent_max);
	}
	if (w->parts - w->reclaimed >= w->nsent_max)
		elog(ERROR, "s3_export: more parts in flight than max_concurrency");
	s3_multipart_stream_part(w->stream, part_cxt, w->buf, w->len);
	w->sent[w->parts % w->nsent_max] = w->buf;
	w->sent_cap[w->parts % w->nsent_max] = w->cap;
	w->buf = NULL;
	w->parts++;
	w->bytes += w->len;
}

/* The full buffer goes to S3 as the next part; a new one is started. */
static void
send_part(S3ExportWriter *w)
{
	MemoryContext old = MemoryContextSwitchTo(w->cxt);

	if (w->stream == NULL)
		w->stream = s3_multipart_stream_begin(w->server, w->bucket, w->key, &w->opts);
	hand_over(w);
	reclaim_buffers(w);
	new_buffer(w);
	MemoryContextSwitchTo(old);
}

/*
 * An export to bucket/key.  opts go with the object (its content type,
 * encryption, storage class, tags: s3_put_options_defaults() applied);
 * gzip deflates it (Content-Encoding: gzip).  Nothing is sent until the
 * first part is full or s3_export_finish().
 */
S3ExportWriter *
s3_export_begin(S3Server *server, const char *bucket, const char *key,
				const S3PutOptions *opts, bool gzip)
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
	w->opts = *opts;
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
	/* the parts in flight (if any) go on while COPY makes the rows */
	w->unmoved += len;
	if (w->unmoved >= PROGRESS_EVERY)
	{
		w->unmoved = 0;
		if (w->stream != NULL)
			s3_http_progress();
	}
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
			hand_over(w);
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
