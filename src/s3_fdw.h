/*-------------------------------------------------------------------------
 *
 * s3_fdw.h
 *		Declarations shared by the PostgreSQL-facing parts of s3_fdw: the
 *		resolved server configuration, credentials, the HTTP layer and the
 *		S3 operations.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3_FDW_H
#define S3_FDW_H

#include "fmgr.h"
#include "nodes/pg_list.h"
#include "utils/palloc.h"
#if PG_VERSION_NUM >= 160000
/* 16 moved VARDATA, VARSIZE and SET_VARSIZE out of postgres.h */
#include "varatt.h"
#endif

#include "s3_names.h"

/*
 * A function that does not return: PostgreSQL 18 replaced
 * pg_attribute_noreturn(), written after the declaration, with pg_noreturn,
 * written before it.
 */
#if PG_VERSION_NUM >= 180000
#define S3_NORETURN_BEGIN pg_noreturn
#define S3_NORETURN_END
#else
#define S3_NORETURN_BEGIN
#define S3_NORETURN_END pg_attribute_noreturn()
#endif

/* How a server obtains its AWS credentials (server option "credentials") */
typedef enum S3CredentialMode
{
	S3_CRED_KEYS,				/* access keys from the user mapping */
	S3_CRED_INSTANCE,			/* the machine's own credentials */
	S3_CRED_ROLE				/* an assumed role */
} S3CredentialMode;

/* Credentials used to sign one request; palloc'd, never logged. */
typedef struct S3Credentials
{
	char	   *access_key_id;
	char	   *secret_access_key;
	char	   *session_token;	/* NULL when there is none */
	time_t		expires;		/* 0 when they do not expire */
} S3Credentials;

/* A foreign server resolved for one call, with the caller's credentials. */
/* verify_md5: when a body read whole is checked against an MD5 ETag */
typedef enum S3Verify
{
	S3_VERIFY_NEVER,
	S3_VERIFY_ALWAYS,
	S3_VERIFY_HTTP				/* auto: over plain http, where no TLS protects it */
} S3Verify;

typedef struct S3Server
{
	Oid			serverid;
	char	   *servername;
	char	   *region;
	s3_endpoint endpoint;
	bool		custom_endpoint;
	bool		virtual_style;
	S3CredentialMode cred_mode;
	char	   *role_arn;		/* credentials 'role' */
	char	   *role_session_name;
	char	   *external_id;
	s3_endpoint sts_endpoint;	/* from sts_endpoint, AWS_ENDPOINT_URL_STS or
								 * the region's */
	S3Credentials *creds;		/* NULL until s3_load_credentials() */
	int			connect_timeout_ms;
	int			request_timeout_ms;
	int			max_retries;
	char	   *ca_file;		/* or NULL for the system's */
	bool		restricted;		/* owned by a non-superuser: no link-local
								 * addresses */
	int			max_concurrency;	/* requests in flight at once */
	int			multipart_threshold;	/* uploads above it go in parts */
	int			part_size;
	bool		unsigned_payload;	/* payload_signing 'unsigned' or 'auto':
									 * unsigned over https */
	S3Verify	verify_md5;		/* check bodies against MD5 ETags */
} S3Server;

/*
 * The options of a server, user mapping or foreign table, as
 * s3_extract_options() reads them (options.c holds the table of options,
 * their contexts and defaults); only the fields of one context are set.
 */
typedef struct S3Options
{
	/* server */
	const char *region;
	const char *endpoint;
	const char *url_style;
	const char *credentials;
	const char *role_arn;
	const char *role_session_name;
	const char *external_id;
	const char *sts_endpoint;
	int			connect_timeout;	/* seconds */
	int			request_timeout;	/* seconds */
	int			max_retries;
	const char *ca_file;
	int			max_concurrency;	/* requests in flight at once */
	int			multipart_threshold;	/* bytes */
	int			part_size;		/* bytes */
	const char *payload_signing;
	const char *verify_md5;
	const char *updatable;		/* may foreign tables write? */
	/* user mapping */
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token;
	/* foreign table */
	const char *bucket;
	const char *prefix;
	int			table_max_concurrency;	/* 0: the server's */
	const char *table_updatable;	/* NULL: the server's */
} S3Options;

/* options.c */
extern void s3_extract_options(List *options, Oid context, S3Options *out);
extern S3Server *s3_server_from_oid(Oid serverid);

/* s3_args.c */
extern char *s3_sentence(const char *fragment);
extern void s3_check_bucket_arg(const char *bucket);
extern char *s3_check_key_arg(const char *key);
extern bool s3_printable_ascii(const char *s);

/* credentials.c */
extern void s3_load_credentials(S3Server *server);
extern void s3_load_credentials_for(S3Server *server, Oid userid);

/* credential_sources.c */
extern S3Credentials *s3_instance_credentials(S3Server *server);
extern S3Credentials *s3_assume_role(S3Server *server, const S3Credentials *base);
extern int64 s3_credential_fetches(void);

/* s3_fdw.c */
extern S3Server *s3_lookup_server(const char *servername);
extern Datum s3_fdw_handler(PG_FUNCTION_ARGS);

/* http.c */

/*
 * Where a successful body goes as it arrives, when not into a buffer:
 * called from libcurl's write callback, so it must not ereport() or
 * palloc() (a PostgreSQL-free parser, say); returns 0, or -1 to stop the
 * transfer (the answer then says sink_failed).
 */
typedef int (*s3_body_sink) (void *arg, const char *data, size_t len);

typedef struct S3HttpRequest
{
	const char *method;
	const char *url;
	List	   *headers;		/* of char *, "Name: value" */
	const char *body;
	size_t		body_len;
	bool		bytea_body;		/* leave VARHDRSZ bytes before the body so
								 * that it can be returned as bytea */
	int			connect_timeout_ms; /* 0 for the default */
	int			timeout_ms;		/* whole request, 0 for none */
	const char *ca_file;		/* or NULL */
	bool		soft_errors;	/* return transport failures in the response
								 * (for the caller to retry) instead of
								 * raising them */
	size_t		max_body;		/* largest successful body accepted; 0 for
								 * the most a bytea holds (1 GB) */
	bool		restricted;		/* refuse link-local addresses */
	bool		no_proxy;		/* never through a proxy (credential
								 * endpoints) */
	s3_body_sink sink;			/* or NULL: a successful body to a buffer */
	void	   *sink_arg;
	bool		keep_headers;	/* hand back every header line (HEAD) */
} S3HttpRequest;

typedef struct S3HttpResponse
{
	long		status;
	char	   *body;			/* palloc'd (NUL-terminated), or NULL */
	size_t		body_len;
	char	   *etag;			/* header values, or NULL */
	char	   *request_id;
	char	   *content_type;
	char	   *bucket_region;
	char	   *sse;			/* server-side encryption, or NULL */
	char	   *content_range;	/* Content-Range, or NULL */
	/* with soft_errors: a transport failure, or 0 */
	int			transport_error;	/* a CURLcode */
	char	   *transport_message;
	char	   *transport_detail;
	bool		ca_file_set;	/* the request named a ca_file */
	bool		connect_timed_out;	/* the timeout struck before the
									 * connection (TLS included) was up */
	bool		sink_failed;	/* the sink stopped the body */
	char	   *headers;		/* with keep_headers: the header lines, or NULL */
} S3HttpResponse;

extern bool s3_response_next_header(const char **cursor, const char **name, size_t *namelen,
									const char **value, size_t *valuelen);
extern char *s3_response_header(const S3HttpResponse *resp, const char *name);

/*
 * Requests in flight: s3_http_start() puts one on the backend's multi
 * handle, s3_http_wait() drives them all and returns one that is done,
 * s3_http_finish() reads it into a response; s3_http_abandon_all() drops
 * them (the end of a failed transaction does too).  s3_http_perform() is
 * the three for one request.  s3_http_progress() moves them on without
 * waiting, for a caller busy with something else between its waits.
 */
typedef struct S3Transfer S3Transfer;

extern S3Transfer *s3_http_start(const S3HttpRequest *req, const char *what);
extern S3Transfer *s3_http_wait(void);
extern void s3_http_wait_for(S3Transfer *t);
extern void s3_http_wait_ready(S3Transfer *t, bool (*ready) (void *), void *arg);
extern void s3_http_pause(long ms);
extern void s3_http_progress(void);
extern void s3_http_cancel(S3Transfer *t);
extern uint64 s3_http_serial(S3Transfer *t);
extern bool s3_http_alive(S3Transfer *t, uint64 serial);
extern void s3_http_finish(S3Transfer *t, S3HttpResponse *resp);
extern void s3_http_abandon_all(void);
extern void s3_http_perform(const S3HttpRequest *req, S3HttpResponse *resp,
							const char *what);
extern bool s3_http_retryable(const S3HttpResponse *resp);
extern void s3_http_distrust_connection(void);
S3_NORETURN_BEGIN extern void s3_http_raise_transport(const S3HttpResponse *resp, const char *what,
									int tries) S3_NORETURN_END;
extern void s3_http_stats(int64 *requests, int64 *connections);

/* s3_request.c: the request layer, under the operations and the credentials */

/* A request header an operation adds (x-amz-meta-*, Range...): signed and sent */
typedef struct S3Header
{
	const char *name;
	const char *value;
} S3Header;
/*
 * One signed request, from the operation that describes it down to the
 * HTTP layer.  S3 operations fill what, method, bucket, key, query and the
 * body; s3_execute() adds the address; STS requests fill the address
 * themselves.
 */
typedef struct S3SignedRequest
{
	const char *what;			/* for messages: "read object ..." */
	const char *method;
	const char *bucket;			/* S3: NULL for service-level requests */
	const char *key;			/* S3: UTF-8, NULL for bucket-level requests */
	const char *url;
	const char *host;			/* Host header */
	const char *path;			/* encoded, as in the URL */
	const char *query;			/* encoded, or NULL */
	const char *body;
	size_t		body_len;
	const char *content_type;
	bool		content_md5;
	bool		bytea_body;
	size_t		max_body;		/* see S3HttpRequest */
	s3_body_sink sink;			/* see S3HttpRequest */
	void	   *sink_arg;
	void		(*sink_reset) (void *arg);	/* before another try */
	const S3Header *headers;	/* more headers, or NULL */
	int			nheaders;
	bool		keep_headers;	/* see S3HttpRequest */
	long		ok_status;		/* a status other than 2xx handed back, not
								 * raised (404 for a HEAD, 416 for a range) */
	long		ok_status2;		/* another such status, or 0 */
	const char *region;
	const char *service;		/* "s3" or "sts" */
	const S3Server *server;		/* timeouts, retries, ca_file */
} S3SignedRequest;

extern void s3_send_signed(const S3Credentials *creds, const S3SignedRequest *r,
						   S3HttpResponse *resp);

/* several requests in flight: started, then finished (or cancelled) */
typedef struct S3Pending S3Pending;
extern S3Pending *s3_request_start(const S3Credentials *creds, const S3SignedRequest *r);
extern void s3_request_finish(S3Pending *p, S3HttpResponse *resp);
extern void s3_request_cancel(S3Pending *p);
extern void s3_request_wait_ready(S3Pending *p, bool (*ready) (void *), void *arg);
extern void s3_crc32c_base64(const char *data, size_t len, char out[9]);
S3_NORETURN_BEGIN extern void s3_report_invalid_response(const char *what, const char *problem) S3_NORETURN_END;
S3_NORETURN_BEGIN extern void s3_report_protocol_violation(const char *what, const char *problem) S3_NORETURN_END;
S3_NORETURN_BEGIN extern void s3_report_error(const char *what, const char *who,
							const S3HttpResponse *resp, int tries) S3_NORETURN_END;
extern const char *s3_error_message(const char *message);
extern Datum s3_timestamptz(const char *iso8601, const char *what, const char *field);
extern char *s3_escape_bytes(const char *s, size_t len);
extern char *s3_text_from_utf8(const char *s, const char *bucket);

typedef void (*s3_core_take) (void *result, void *arg);
typedef void (*s3_core_release) (void *result);
extern void s3_take_core_result(void *result, s3_core_release release, s3_core_take take,
								void *arg);

/* s3_client.c: the S3 operations */

/* s3_call.c: what operation files share */
extern void s3_address_call(S3Server *server, S3SignedRequest *call);
extern void s3_execute(S3Server *server, S3SignedRequest *call, S3HttpResponse *resp);
extern void s3_object_call(S3SignedRequest *call, const char *method, const char *what_fmt,
						   const char *bucket, const char *key);
extern void s3_check_header_arg(const char *argname, const char *value);
extern void s3_check_range_answer(const char *what, const S3HttpResponse *resp, int64 first,
								  int64 last, int64 total);
extern char *s3_answer_field(const char *what, const S3HttpResponse *resp, const char *root,
							 const char *field);
extern char *s3_answer_field_opt(const char *what, const S3HttpResponse *resp, const char *root,
								 const char *field);
extern void *s3_zalloc(void *opaque, unsigned int items, unsigned int size);
extern void s3_zfree(void *opaque, void *address);

typedef struct S3PutOptions S3PutOptions;

/* s3_multipart.c */
extern char *s3_multipart_put(S3Server *server, const char *bucket, const char *key,
							  const char *data, size_t len, const S3PutOptions *opts);
extern char *s3_multipart_copy(S3Server *server, const char *copy_source, int64 size,
							   const char *bucket, const char *key, const char *what,
							   const S3PutOptions *opts);

/* a multipart upload fed part by part (s3_export) */
typedef struct S3MultipartStream S3MultipartStream;
extern S3MultipartStream *s3_multipart_stream_begin(S3Server *server, const char *bucket,
													const char *key, const S3PutOptions *opts);
extern void s3_multipart_stream_part(S3MultipartStream *s, MemoryContext data_cxt,
									 const char *data, size_t len);
extern void s3_multipart_stream_finish(S3MultipartStream *s);
extern void s3_multipart_stream_abort(S3MultipartStream *s);
extern int	s3_multipart_stream_nparts(S3MultipartStream *s);
extern int	s3_multipart_stream_done(S3MultipartStream *s);

typedef struct S3BucketInfo
{
	char	   *name;
	char	   *creation_date;
} S3BucketInfo;

/* One object of a ListObjectsV2 page */
typedef struct S3ObjectInfo
{
	char	   *key;			/* UTF-8, as S3 sent it: see s3_text_from_utf8() */
	int64		size;			/* -1 when S3 did not say */
	char	   *last_modified;	/* ISO 8601, or NULL */
	char	   *etag;			/* without quotes, or NULL */
	char	   *storage_class;
	bool		is_prefix;		/* a common prefix ("folder"), not an object */
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

/* What a ListObjectsV2 request asks for; NULL / 0 for "not given" */
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
} S3ListRequest;

typedef struct S3ObjectPage
{
	S3ObjectInfo *objects;
	int			nobjects;
	bool		is_truncated;
	char	   *next_continuation_token;
} S3ObjectPage;

extern void s3_token_guard_init(S3TokenGuard *g, MemoryContext cxt);
extern List *s3_list_buckets(S3Server *server);
extern S3ObjectPage *s3_list_objects(S3Server *server, const S3ListRequest *lr);

/* a page in flight (s3_list.c) */
typedef struct S3ListFetch S3ListFetch;
extern S3ListFetch *s3_list_objects_start(S3Server *server, const S3ListRequest *lr);
extern bool s3_list_objects_next_token(S3ListFetch *f, char **token);
extern S3ObjectPage *s3_list_objects_finish(S3ListFetch *f);
extern void s3_list_objects_cancel(S3ListFetch *f);
extern void s3_create_bucket(S3Server *server, const char *bucket);
extern bytea *s3_get_object(S3Server *server, const char *bucket, const char *key);

/* A GET in flight (see s3_get_object_start) */
typedef struct S3ObjectFetch
{
	S3SignedRequest call;
	S3Pending  *pending;		/* NULL once finished or cancelled */
	char	   *content_type;	/* once finished: S3's Content-Type, or NULL */
} S3ObjectFetch;

extern S3ObjectFetch *s3_get_object_start(S3Server *server, const char *bucket,
										  const char *utf8_key, const char *key);
extern bytea *s3_get_object_finish(S3ObjectFetch *f);
extern void s3_get_object_cancel(S3ObjectFetch *f);
extern text *s3_object_as_text(bytea *raw, const char *bucket, const char *key);
/* What an upload sends besides its body; NULL / 0 for none */
struct S3PutOptions
{
	const char *content_type;
	const char *cache_control;
	const char *content_encoding;
	S3Header   *meta;			/* x-amz-meta-* (s3_metadata_headers) */
	int			nmeta;
};

extern char *s3_put_object(S3Server *server, const char *bucket, const char *key,
						   const char *data, size_t len, const S3PutOptions *opts);
extern int	s3_put_headers(const S3PutOptions *opts, S3Header **headers);

/* An upload in flight (see s3_put_object_start) */
typedef struct S3ObjectPut
{
	S3SignedRequest call;
	S3Pending  *pending;		/* NULL once finished or cancelled */
	char	   *etag;			/* once finished */
} S3ObjectPut;

extern S3ObjectPut *s3_put_object_start(S3Server *server, const char *bucket, const char *key,
										const char *data, size_t len,
										const S3PutOptions *opts);
extern char *s3_put_object_finish(S3ObjectPut *p);
extern void s3_put_object_cancel(S3ObjectPut *p);
extern void s3_delete_object(S3Server *server, const char *bucket, const char *key);
extern void s3_delete_bucket(S3Server *server, const char *bucket);
extern bytea *s3_get_object_range(S3Server *server, const char *bucket, const char *key,
								  int64 offset, int64 length);

/* s3_delete.c: DeleteObjects */
typedef struct S3DeleteFailure
{
	char	   *key;
	char	   *code;
	char	   *message;
} S3DeleteFailure;

extern List *s3_delete_objects(S3Server *server, const char *bucket, char **keys, int nkeys);

/* s3_copy.c */
extern char *s3_copy_object(S3Server *server, const char *src_bucket, const char *src_key,
							const char *dst_bucket, const char *dst_key, Datum metadata,
							const char *content_type);

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
									   const char *content_type, bool gzip);
extern void s3_export_write(S3ExportWriter *w, const char *data, size_t len);
extern void s3_export_finish(S3ExportWriter *w, int64 *bytes, int *parts);
extern void s3_export_abort(S3ExportWriter *w);

/* s3_object_info.c: HeadObject */
typedef struct S3ObjectHead
{
	bool		found;
	int64		size;			/* -1 when S3 did not say */
	char	   *etag;			/* without quotes */
	char	   *content_type;
	char	   *content_encoding;
	char	   *cache_control;
	bool		has_last_modified;
	Datum		last_modified;	/* timestamptz */
	char	   *storage_class;
	char	   *version_id;
	List	   *meta_names;		/* of char *, without x-amz-meta- */
	List	   *meta_values;	/* of char *, decoded */
} S3ObjectHead;

extern S3ObjectHead *s3_head_object(S3Server *server, const char *bucket, const char *key);
extern int	s3_metadata_headers(Datum meta_jsonb, S3Header **headers);
extern Datum s3_metadata_jsonb(const S3ObjectHead *h);
extern char *s3_presign(S3Server *server, const char *method, const char *bucket,
						const char *key, int expires_in, const char *content_type);

#endif							/* S3_FDW_H */
