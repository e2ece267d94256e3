/*-------------------------------------------------------------------------
 *
 * s3_import.c
 *		The S3 side of s3_import: an object read from start to end in
 *		ranged chunks, inflated on the way when it is gzip, for COPY FROM's
 *		data source callback.
 *
 * A HEAD gives the size, the ETag and the Content-Encoding.  The object is
 * then read in chunks of CHUNK_SIZE bytes (one GET when it is smaller),
 * each a ranged GET with If-Match on that ETag, so that an object
 * replaced during the import is an error instead of a mix of two objects.
 * Each answer must hold the bytes asked for, as its Content-Range says
 * (start, end and the object's size); a 200 with the whole object passes
 * only for an object read in one chunk.  Any other answer is a protocol
 * violation (08P01), and COPY loads nothing.
 * Up to max_concurrency chunks are in flight (at most WINDOW, so that at
 * most about 64 MB are held), each tried again on its own by the request
 * layer; they are consumed in order, and each chunk's memory goes as soon
 * as it has been read.  So memory stays flat whatever the object's size.
 * While COPY parses one chunk, the next ones are moved on every
 * PROGRESS_EVERY bytes it reads, so that they come in meanwhile instead of
 * stopping once their sockets' buffers are full.
 *
 * gzip: with compression 'auto' (the default) when the Content-Encoding
 * says gzip or the key ends in ".gz"; with 'gzip' always; never with
 * 'none'.  Concatenated gzip members (what "cat a.gz b.gz" gives) are
 * read one after the other, as gzip -d does.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <zlib.h>

#include "miscadmin.h"
#include "utils/memutils.h"

#include "s3_call.h"
#include "s3_names.h"

#define CHUNK_SIZE ((int64) 8 * 1024 * 1024)
#define WINDOW 7				/* chunks in flight, besides the one read */
#define PROGRESS_EVERY ((size_t) 256 * 1024)

typedef struct Chunk
{
	MemoryContext cxt;			/* its request and body, or NULL */
	S3SignedRequest call;
	S3Header	headers[2];
	S3Pending  *pending;		/* in flight, or NULL */
	int64		offset;
	int64		len;
} Chunk;

struct S3Download
{
	S3Server   *server;
	const char *bucket;
	const char *key;
	char	   *if_match;		/* the ETag, quoted, or NULL */
	int64		size;
	int64		nchunks;
	int64		started;		/* chunks started */
	int64		taken;			/* chunks finished and taken */
	int			window;
	Chunk	   *ring;			/* window slots, chunk i in ring[i % window] */
	MemoryContext cxt;
	/* the chunk being read */
	MemoryContext cur_cxt;
	const char *data;
	size_t		len;
	size_t		pos;
	int64		cur_offset;		/* of data in the object */
	size_t		unmoved;		/* bytes read since the chunks in flight
								 * were last moved on */
	/* the object's full-object checksum, computed over the chunks */
	bool		verify;
	S3ChecksumState checksum;
	const char *stored;			/* base64, from the HEAD */
	/* gzip */
	bool		gzip;
	bool		in_member;		/* inside a gzip member */
	z_stream	zs;
};

static void
start_chunk(S3Download *d)
{
	Chunk	   *c = &d->ring[d->started % d->window];
	MemoryContext old;
	int			nheaders = 0;

	c->offset = d->started * CHUNK_SIZE;
	c->len = Min(CHUNK_SIZE, d->size - c->offset);
	c->cxt = AllocSetContextCreate(d->cxt, "s3_import chunk", ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(c->cxt);
	s3_object_call(&c->call, "GET", _("could not read object \"%s\" from bucket \"%s\""),
				   d->bucket, d->key);
	if (d->nchunks > 1)
	{
		c->headers[nheaders].name = "Range";
		c->headers[nheaders++].value = psprintf("bytes=" INT64_FORMAT "-" INT64_FORMAT,
												c->offset, c->offset + c->len - 1);
	}
	if (d->if_match != NULL)
	{
		c->headers[nheaders].name = "If-Match";
		c->headers[nheaders++].value = d->if_match;
	}
	c->call.headers = c->headers;
	c->call.nheaders = nheaders;
	c->call.max_body = (size_t) c->len;
	c->call.ok_status = 412;	/* Precondition Failed: another object now */
	/* the whole object in one GET: checked against its stored checksum */
	c->call.checksum_mode = d->nchunks == 1;
	s3_address_call(d->server, &c->call);
	c->pending = s3_request_start(d->server->creds, &c->call);
	MemoryContextSwitchTo(old);
	d->started++;
}

/*
 * The object bucket/key, about to be read: a HEAD, then the first chunks
 * started.  Allocates in a context of its own, under the current one.
 */
S3Download *
s3_download_begin(S3Server *server, const char *bucket, const char *key,
				  S3Compression compression)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "s3_import",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	S3Download *d = palloc0(sizeof(S3Download));
	S3ObjectHead *h;
	size_t		klen = strlen(key);

	d->cxt = cxt;
	d->server = server;
	d->bucket = pstrdup(bucket);
	d->key = pstrdup(key);
	h = s3_head_object(server, bucket, key, NULL);
	if (!h->found)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FILE),
				 errmsg("object \"%s\" in bucket \"%s\" does not exist", key, bucket)));
	d->size = h->size;			/* s3_head_object() insists on it */
	if (h->etag != NULL && s3_printable_ascii(h->etag))
		d->if_match = psprintf("\"%s\"", h->etag);
	if (compression == S3_COMPRESSION_GZIP)
		d->gzip = true;
	else if (compression == S3_COMPRESSION_AUTO)
		d->gzip = (h->content_encoding != NULL && strstr(h->content_encoding, "gzip") != NULL) ||
			(klen > 3 && pg_strcasecmp(key + klen - 3, ".gz") == 0);
	if (d->gzip)
	{
		d->zs.zalloc = s3_zalloc;
		d->zs.zfree = s3_zfree;
		d->zs.opaque = cxt;
		/* 15 + 32: a gzip (or zlib) header, recognized by itself */
		if (inflateInit2(&d->zs, 15 + 32) != Z_OK)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory"),
					 errdetail("Could not start a gzip stream.")));
	}
	d->nchunks = (d->size + CHUNK_SIZE - 1) / CHUNK_SIZE;

	/*
	 * An object read in several ranged GETs gets no checksum with them: the
	 * HEAD's (asked for with checksum mode) is computed over the chunks as
	 * they are read, and compared at the end, before COPY sees the end of
	 * the data.  Only a single-part object's (its ETag without "-N"): a
	 * multipart object's is usually composite, of part sizes the chunks do
	 * not follow (one read in a single GET is checked by s3_verify.c).
	 */
	if (d->nchunks > 1 && h->checksum != NULL && h->etag != NULL &&
		strchr(h->etag, '-') == NULL && strchr(h->checksum, '-') == NULL &&
		(h->checksum_type == NULL || pg_strcasecmp(h->checksum_type, "FULL_OBJECT") == 0) &&
		h->checksum_algorithm != NULL && s3_checksum_name(h->checksum_algorithm) != NULL)
	{
		d->verify = s3_checksum_begin(&d->checksum, s3_checksum_name(h->checksum_algorithm), cxt);
		d->stored = h->checksum;
	}
	d->window = Max(1, Min(server->max_concurrency, WINDOW));
	d->ring = palloc0(sizeof(Chunk) * d->window);
	while (d->started < d->nchunks && d->started < d->window)
		start_chunk(d);
	MemoryContextSwitchTo(old);
	return d;
}

int64
s3_download_size(S3Download *d)
{
	return d->size;
}

bool
s3_download_is_gzip(S3Download *d)
{
	return d->gzip;
}

/* The chunks read, all of them, against the checksum the HEAD gave */
static void
check_whole(S3Download *d)
{
	char	   *mine = s3_checksum_end(&d->checksum);

	d->verify = false;
	if (strcmp(mine, d->stored) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("could not read object \"%s\" from bucket \"%s\"", d->key, d->bucket),
				 errdetail("The object does not match its checksum: S3 gave %s \"%s\", the %s of the " INT64_FORMAT " bytes read in " INT64_FORMAT " ranged GETs is \"%s\".",
						   s3_checksum_header(d->checksum.algorithm),
						   s3_escape_bytes(d->stored, strlen(d->stored)),
						   d->checksum.algorithm, d->size, d->nchunks, mine)));
}

/* Wait for the next chunk and make it the one read; false at the end. */
static bool
take_chunk(S3Download *d)
{
	Chunk	   *c;
	S3HttpResponse resp;

	if (d->cur_cxt != NULL)
	{
		MemoryContextDelete(d->cur_cxt);
		d->cur_cxt = NULL;
		d->data = NULL;
		d->len = d->pos = 0;
	}
	if (d->taken >= d->nchunks)
	{
		if (d->verify)
			check_whole(d);
		return false;
	}
	c = &d->ring[d->taken % d->window];
	s3_request_finish(c->pending, &resp);
	c->pending = NULL;
	if (resp.status == 412)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("object \"%s\" in bucket \"%s\" changed during the import", d->key, d->bucket),
				 errdetail("Its ETag is no longer %s.", d->if_match),
				 errhint("Import it again.")));
	/* the bytes asked for, or the whole object when that was asked for */
	if (d->nchunks > 1 || resp.status != 200)
		s3_check_range_answer(c->call.what, &resp, c->offset, c->offset + c->len - 1, d->size);
	if ((int64) resp.body_len != c->len ||
		(resp.status != 206 && !(resp.status == 200 && c->len == d->size)))
		s3_report_protocol_violation(c->call.what,
								   psprintf("bytes " INT64_FORMAT " to " INT64_FORMAT " were asked for, and %zu bytes came with HTTP status %ld",
											c->offset, c->offset + c->len - 1,
											resp.body_len, resp.status));
	if (c->call.checksum_mode)
		s3_verify_checksum(&c->call, &resp);
	if (d->verify)
		s3_checksum_add(&d->checksum, resp.body, resp.body_len);
	d->cur_cxt = c->cxt;
	d->data = resp.body;
	d->len = resp.body_len;
	d->pos = 0;
	d->cur_offset = c->offset;
	c->cxt = NULL;
	d->taken++;
	if (d->started < d->nchunks)
		start_chunk(d);
	return true;
}

static void
corrupt(S3Download *d, const char *problem, int64 offset)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("object \"%s\" in bucket \"%s\" is not valid gzip data", d->key, d->bucket),
			 errdetail("%s, at byte " INT64_FORMAT " of the object.", problem, offset),
			 errhint("With options 'compression none' the object is read as it is stored.")));
}

/* Inflate from the chunk into buf; returns the bytes written. */
static int
inflate_some(S3Download *d, char *buf, int room)
{
	int			rc;

	d->zs.next_in = (Bytef *) d->data + d->pos;
	d->zs.avail_in = (uInt) (d->len - d->pos);
	d->zs.next_out = (Bytef *) buf;
	d->zs.avail_out = (uInt) room;
	if (d->zs.avail_in > 0)
		d->in_member = true;
	rc = inflate(&d->zs, Z_NO_FLUSH);
	d->pos = (const char *) d->zs.next_in - d->data;
	if (rc == Z_STREAM_END)
	{
		/* the end of one member; another may follow */
		d->in_member = false;
		if (inflateReset(&d->zs) != Z_OK)
			corrupt(d, "zlib could not start the next member", d->cur_offset + (int64) d->pos);
	}
	else if (rc == Z_MEM_ERROR)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	else if (rc != Z_OK && rc != Z_BUF_ERROR)
		corrupt(d, psprintf("zlib says \"%s\"", d->zs.msg ? d->zs.msg : "invalid data"),
				d->cur_offset + (int64) d->pos);
	return (char *) d->zs.next_out - buf;
}

/*
 * COPY FROM's data source: at least minread and at most maxread bytes of
 * the object (inflated), fewer only at its end; 0 at the end.
 */
int
s3_download_read(S3Download *d, char *buf, int minread, int maxread)
{
	int			n = 0;

	minread = Max(minread, 1);
	while (n < minread)
	{
		CHECK_FOR_INTERRUPTS();
		if (d->pos == d->len && !take_chunk(d))
		{
			if (d->gzip && d->in_member)
				corrupt(d, "The object ends inside a gzip member", d->size);
			break;
		}
		if (d->gzip)
			n += inflate_some(d, buf + n, maxread - n);
		else
		{
			size_t		k = Min(d->len - d->pos, (size_t) (maxread - n));

			memcpy(buf + n, d->data + d->pos, k);
			d->pos += k;
			n += (int) k;
		}
	}
	/* the chunks in flight come in while COPY parses this one */
	d->unmoved += n;
	if (d->unmoved >= PROGRESS_EVERY)
	{
		d->unmoved = 0;
		if (d->started > d->taken)
			s3_http_progress();
	}
	return n;
}

/* After an error: drop the chunks in flight (from the caller's PG_CATCH). */
void
s3_download_cancel(S3Download *d)
{
	int			i;

	for (i = 0; i < d->window; i++)
		if (d->ring[i].pending != NULL)
		{
			s3_request_cancel(d->ring[i].pending);
			d->ring[i].pending = NULL;
		}
}

/* The end: everything the download held goes. */
void
s3_download_end(S3Download *d)
{
	s3_download_cancel(d);
	MemoryContextDelete(d->cxt);
}
