/*-------------------------------------------------------------------------
 *
 * s3_http.h
 *		The HTTP layer (http.c, http_callbacks.c, http_checks.c): requests
 *		on the backend's libcurl multi handle, several in flight, waits that
 *		a cancel ends, bodies into PostgreSQL memory or to a sink.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_S3_HTTP_H
#define S3FDW_S3_HTTP_H

#include "nodes/pg_list.h"

#include "s3_fdw.h"

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
	char	   *checksum_algorithm; /* of x-amz-checksum-<algorithm>, as sent
									 * (crc32c...), or NULL */
	char	   *checksum;		/* its value */
	char	   *checksum_type;	/* x-amz-checksum-type, or NULL */
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
 * handle, s3_http_wait_for() drives them all until that one is done,
 * s3_http_finish() reads it into a response; the end of a failed
 * transaction (or subtransaction) drops those it started.  s3_http_perform() is
 * the three for one request.  s3_http_progress() moves them on without
 * waiting, for a caller busy with something else between its waits.
 */
typedef struct S3Transfer S3Transfer;

extern S3Transfer *s3_http_start(const S3HttpRequest *req, const char *what);
extern void s3_http_wait_for(S3Transfer *t);
extern void s3_http_wait_ready(S3Transfer *t, bool (*ready) (void *), void *arg);
extern void s3_http_pause(long ms);
extern void s3_http_progress(void);
extern void s3_http_cancel(S3Transfer *t);
extern uint64 s3_http_serial(S3Transfer *t);
extern bool s3_http_alive(S3Transfer *t, uint64 serial);
extern bool s3_http_done(S3Transfer *t, uint64 serial);
extern void s3_http_finish(S3Transfer *t, S3HttpResponse *resp);
extern void s3_http_perform(const S3HttpRequest *req, S3HttpResponse *resp,
							const char *what);
extern bool s3_http_retryable(const S3HttpResponse *resp);
extern void s3_http_distrust_connection(void);
S3_NORETURN_BEGIN extern void s3_http_raise_transport(const S3HttpResponse *resp, const char *what,
									int tries) S3_NORETURN_END;
extern void s3_http_stats(int64 *requests, int64 *connections);

#endif							/* S3FDW_S3_HTTP_H */
