/*-------------------------------------------------------------------------
 *
 * s3_ops.h
 *		The S3 operations, as the SQL functions and the foreign table's
 *		callbacks call them: listings, objects, buckets, HeadObject, copies,
 *		bulk deletes, restores, tags, and the streams of s3_import and
 *		s3_export.
 *
 * Every operation checks its arguments (bucket names, keys in the database
 * encoding), loads the caller's credentials, and raises S3's errors as
 * PostgreSQL errors; results are palloc'd in the current memory context.
 * How an operation is written is in s3_call.h.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_S3_OPS_H
#define S3FDW_S3_OPS_H

#include "nodes/pg_list.h"

#include "s3_server.h"

/* A header an upload sends (see s3_request.h) */
struct S3Header;

/* s3_list.c: ListBuckets, ListObjectsV2 and ListObjectVersions */

typedef struct S3BucketInfo
{
	char	   *name;
	char	   *creation_date;	/* ISO 8601, or NULL */
} S3BucketInfo;

/* One object of a ListObjectsV2 page (or one version of a ListObjectVersions page) */
typedef struct S3ObjectInfo
{
	char	   *key;			/* UTF-8, as S3 sent it: see s3_text_from_utf8() */
	int64		size;			/* -1 when S3 did not say */
	char	   *last_modified;	/* ISO 8601, or NULL */
	char	   *etag;			/* without quotes, or NULL */
	char	   *storage_class;
	bool		is_prefix;		/* a common prefix ("folder"), not an object */
	/* ListObjectVersions (a table with versions 'true') */
	char	   *version_id;		/* or NULL */
	bool		is_latest;
	bool		is_delete_marker;
} S3ObjectInfo;

/*
 * The continuation tokens one listing has been given, so that a token
 * given again (a listing that would never end) is refused.
 */
typedef struct S3TokenGuard
{
	MemoryContext cxt;
	struct HTAB *seen;			/* of SHA-256 digests, or NULL */
} S3TokenGuard;

/* What a listing request asks for; NULL / 0 for "not given" */
typedef struct S3ListRequest
{
	const char *bucket;
	const char *prefix;
	const char *start_after;
	const char *continuation_token;
	const char *delimiter;		/* groups keys into common prefixes */
	int			max_keys;		/* 1..1000, 0 for S3's default */
	S3TokenGuard *guard;		/* the listing's tokens so far, or NULL */
	bool		ahead;			/* asked for before the previous page ended,
								 * whose end adds its token to the guard */
	unsigned	want;			/* S3_WANT_* (s3_xml.h) fields copied, 0 for
								 * all */
	bool		start_after_utf8;	/* start_after is UTF-8 already (a bound
									 * of s3_list_ranges.c) */
	/* ListObjectVersions: where a page said the next starts (UTF-8) */
	const char *key_marker;
	const char *version_id_marker;
} S3ListRequest;

typedef struct S3ObjectPage
{
	S3ObjectInfo *objects;
	int			nobjects;
	bool		is_truncated;
	/* the next page's (ListObjectVersions: its markers, see below, as
	 * "key-marker\nversion-id-marker", in UTF-8) */
	char	   *next_continuation_token;
	char	   *next_key_marker;	/* ListObjectVersions, UTF-8 */
	char	   *next_version_id_marker;	/* or NULL */
} S3ObjectPage;

extern void s3_token_guard_init(S3TokenGuard *g, MemoryContext cxt);
extern void s3_token_guard_check(S3TokenGuard *g, const char *what, const char *token);
extern List *s3_list_buckets(S3Server *server);
extern S3ObjectPage *s3_list_objects(S3Server *server, const S3ListRequest *lr);

/* a page in flight: its token known early, so the next can start */
typedef struct S3ListFetch S3ListFetch;
extern S3ListFetch *s3_list_objects_start(S3Server *server, const S3ListRequest *lr);
extern bool s3_list_objects_next_token(S3ListFetch *f, char **token);
extern S3ObjectPage *s3_list_objects_finish(S3ListFetch *f);
extern void s3_list_objects_cancel(S3ListFetch *f);
extern bool s3_list_objects_arrived(S3ListFetch *f);
extern void s3_list_objects_wait(S3ListFetch *f, bool (*ready) (void *), void *arg);

/*
 * s3_list_ranges.c: the rest of a ListObjectsV2 listing after its first
 * page, in key-range partitions listed at once, pages handed out in order
 */
typedef struct S3ListRanges S3ListRanges;
extern S3ListRanges *s3_list_ranges_begin(S3Server *server, const S3ListRequest *lr,
										  const S3ObjectPage *first, const char *token,
										  S3ListFetch *next, int concurrency);
extern S3ObjectPage *s3_list_ranges_next(S3ListRanges *r, MemoryContext *page_cxt);
extern void s3_list_ranges_counts(S3ListRanges *r, int64 *requests, int *partitions);
extern void s3_list_ranges_end(S3ListRanges *r);

/* ListObjectVersions: one page, read whole */
extern S3ObjectPage *s3_list_object_versions(S3Server *server, const S3ListRequest *lr);

/* s3_object.c: GetObject, PutObject, DeleteObject, presigned URLs */

/*
 * What an upload (PutObject, CopyObject, a multipart upload) sends besides
 * its body; NULL / 0 for none.  The SQL functions and the foreign table
 * fill what the caller gave; s3_put_options_defaults() then fills the rest
 * from the table's and the server's options.
 */
typedef struct S3PutOptions
{
	const char *content_type;
	const char *cache_control;
	const char *content_encoding;
	struct S3Header *meta;		/* x-amz-meta-* (s3_metadata_headers) */
	int			nmeta;
	/* version 1.2 */
	const char *sse;			/* "AES256" or "aws:kms" */
	const char *kms_key_id;		/* aws:kms: the key (id, ARN or alias) */
	const char *encryption_context; /* aws:kms: a JSON object, as text */
	const char *bucket_key_enabled; /* aws:kms: "true" or "false" */
	const char *storage_class;	/* STANDARD_IA, GLACIER_IR... */
	const char *tagging;		/* x-amz-tagging: k=v&k2=v2, encoded */
	bool		if_none_match;	/* only if no object has the key */
	const char *if_match;		/* only over the object with this ETag */
	const char *checksum_algorithm; /* CRC32C, CRC32, SHA256, SHA1 */
	/* filled by s3_put_options_defaults() from the user mapping */
	const char *sse_customer_key;	/* base64 */
	const char *sse_customer_key_md5;
} S3PutOptions;

extern void s3_put_options_defaults(S3PutOptions *opts, const S3Server *server,
									const S3TableOptions *table);

/* version_id: one version of the object, or NULL for the latest */
extern bytea *s3_get_object(S3Server *server, const char *bucket, const char *key,
							const char *version_id);
extern bytea *s3_get_object_range(S3Server *server, const char *bucket, const char *key,
								  const char *version_id, int64 offset, int64 length);
extern text *s3_object_as_text(bytea *raw, const char *bucket, const char *key);

/* a GET in flight (a scan's contents, fetched ahead) */
typedef struct S3ObjectFetch S3ObjectFetch;
extern S3ObjectFetch *s3_get_object_start(S3Server *server, const char *bucket,
										  const char *utf8_key, const char *key,
										  const char *version_id);
extern bytea *s3_get_object_finish(S3ObjectFetch *f, char **content_type);
extern void s3_get_object_cancel(S3ObjectFetch *f);

extern char *s3_put_object(S3Server *server, const char *bucket, const char *key,
						   const char *data, size_t len, const S3PutOptions *opts);

/* an upload in flight (the rows of a multi-row INSERT) */
typedef struct S3ObjectPut S3ObjectPut;
extern S3ObjectPut *s3_put_object_start(S3Server *server, const char *bucket, const char *key,
										const char *data, size_t len,
										const S3PutOptions *opts);
extern char *s3_put_object_finish(S3ObjectPut *p);

extern void s3_delete_object(S3Server *server, const char *bucket, const char *key,
							 const char *version_id);
extern char *s3_presign(S3Server *server, const char *method, const char *bucket,
						const char *key, int expires_in, const char *content_type);

/* s3_bucket.c */
extern void s3_create_bucket(S3Server *server, const char *bucket);
extern void s3_delete_bucket(S3Server *server, const char *bucket);
extern void s3_put_bucket_versioning(S3Server *server, const char *bucket, bool enabled);
extern char *s3_get_bucket_versioning(S3Server *server, const char *bucket);

/* s3_head.c: HeadObject, and user metadata in and out */
typedef struct S3ObjectHead
{
	bool		found;
	bool		delete_marker;	/* not found: the version asked for (or the
								 * latest) is a delete marker */
	int64		size;			/* -1 when S3 did not say */
	char	   *etag;			/* without quotes */
	char	   *content_type;
	char	   *content_encoding;
	char	   *cache_control;
	bool		has_last_modified;
	Datum		last_modified;	/* timestamptz */
	char	   *storage_class;
	char	   *version_id;
	/* version 1.2 */
	char	   *sse;			/* x-amz-server-side-encryption */
	char	   *kms_key_id;
	int			bucket_key_enabled; /* -1: not said */
	char	   *sse_customer_algorithm;
	char	   *restore_status; /* "in progress", "restored", or NULL */
	bool		has_restore_expiry;
	Datum		restore_expiry; /* timestamptz */
	char	   *archive_status; /* ARCHIVE_ACCESS, DEEP_ARCHIVE_ACCESS */
	char	   *checksum_algorithm; /* CRC32C... (asked for with checksum mode) */
	char	   *checksum;		/* base64, "-N" for a composite of N parts */
	char	   *checksum_type;	/* FULL_OBJECT or COMPOSITE */
	int			tag_count;		/* -1: not said */
	List	   *meta_names;		/* of char *, without x-amz-meta- */
	List	   *meta_values;	/* of char *, decoded */
} S3ObjectHead;

extern S3ObjectHead *s3_head_object(S3Server *server, const char *bucket, const char *key,
									const char *version_id);
extern int	s3_metadata_headers(Datum meta_jsonb, struct S3Header **headers);
extern Datum s3_metadata_jsonb(const S3ObjectHead *h);

/* s3_copy.c: CopyObject, or UploadPartCopy in parts */
extern char *s3_copy_object(S3Server *server, const char *src_bucket, const char *src_key,
							const char *src_version_id, const char *dst_bucket,
							const char *dst_key, Datum metadata, const S3PutOptions *given);

/* s3_restore.c: RestoreObject of an archived object */
typedef enum S3RestoreAnswer
{
	S3_RESTORE_STARTED,			/* 202 Accepted */
	S3_RESTORE_DONE_ALREADY,	/* 200 OK: restored, its expiry moved */
	S3_RESTORE_IN_PROGRESS		/* 409 RestoreAlreadyInProgress */
} S3RestoreAnswer;

extern S3RestoreAnswer s3_restore_object(S3Server *server, const char *bucket, const char *key,
										 const char *version_id, const int *days,
										 const char *tier);

/* s3_delete.c: DeleteObjects; the keys S3 could not delete come back */
typedef struct S3DeleteFailure
{
	char	   *key;
	char	   *code;
	char	   *message;
} S3DeleteFailure;

extern List *s3_delete_objects(S3Server *server, const char *bucket, char **keys,
							   char **version_ids, int nkeys);

/*
 * s3_tags.c: GetObjectTagging, PutObjectTagging, DeleteObjectTagging.
 * Tags from SQL are a jsonb object of strings (name: the argument's, for
 * messages); "pairs" are names and values in UTF-8, alternating.
 */
extern Datum s3_get_object_tags(S3Server *server, const char *bucket, const char *key,
								const char *version_id);
extern List *s3_object_tag_pairs(S3Server *server, const char *bucket, const char *key,
								 const char *version_id);
extern void s3_put_object_tags(S3Server *server, const char *bucket, const char *key,
							   Datum tags, const char *name, const char *version_id);
extern void s3_put_tag_pairs(S3Server *server, const char *bucket, const char *key,
							 List *pairs, const char *version_id);

/* a GetObjectTagging in flight (a scan's tags column, fetched ahead) */
typedef struct S3TagsFetch S3TagsFetch;
extern S3TagsFetch *s3_get_tags_start(S3Server *server, const char *bucket,
									  const char *utf8_key, const char *key,
									  const char *version_id);
extern Datum s3_get_tags_finish(S3TagsFetch *f);
extern void s3_get_tags_cancel(S3TagsFetch *f);

/*
 * The longest x-amz-tagging header a write carries tags over in (as the
 * AWS CLI has it); longer tags are set after the write
 */
#define S3_MAX_TAGGING_HEADER 2048
extern List *s3_carry_tags(S3Server *server, const char *bucket, const char *key,
						   const char *version_id, int head_tag_count, S3PutOptions *opts);

/* s3_import.c: an object read in ranged chunks, inflated if gzip */
typedef enum S3Compression
{
	S3_COMPRESSION_AUTO,		/* gzip when Content-Encoding or the key says so */
	S3_COMPRESSION_NONE,
	S3_COMPRESSION_GZIP
} S3Compression;

typedef struct S3Download S3Download;
extern S3Download *s3_download_begin(S3Server *server, const char *bucket, const char *key,
									 S3Compression compression);
extern int64 s3_download_size(S3Download *d);
extern bool s3_download_is_gzip(S3Download *d);
extern int	s3_download_read(S3Download *d, char *buf, int minread, int maxread);
extern void s3_download_cancel(S3Download *d);
extern void s3_download_end(S3Download *d);

/* s3_export.c: bytes streamed into an object, deflated if gzip */
typedef struct S3ExportWriter S3ExportWriter;
extern S3ExportWriter *s3_export_begin(S3Server *server, const char *bucket, const char *key,
									   const S3PutOptions *opts, bool gzip);
extern void s3_export_write(S3ExportWriter *w, const char *data, size_t len);
extern void s3_export_finish(S3ExportWriter *w, int64 *bytes, int *parts);
extern void s3_export_abort(S3ExportWriter *w);

#endif							/* S3FDW_S3_OPS_H */
