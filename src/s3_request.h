/*-------------------------------------------------------------------------
 *
 * s3_request.h
 *		The request layer (s3_request.c), under the S3 operations and the
 *		credential sources: one request signed, sent and retried, or several
 *		in flight; S3's error documents raised with their SQLSTATE.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_S3_REQUEST_H
#define S3FDW_S3_REQUEST_H

#include "s3_http.h"
#include "s3_server.h"
#include "s3_values.h"

/* A request header an operation adds (x-amz-meta-*, Range...): signed and sent */
typedef struct S3Header
{
	const char *name;
	const char *value;
} S3Header;

/*
 * What an error of S3 means, as a request's operation reads its code: the
 * SQLSTATE, a reason said after the message (or NULL), a hint (or NULL).
 */
typedef struct S3ErrorReading
{
	int			sqlstate;
	const char *reason;
	const char *hint;
} S3ErrorReading;

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
	long		ok_status3;		/* and another (405: a delete marker's
								 * version), or 0 */
	const char *region;
	const char *service;		/* "s3" or "sts" */
	const S3Server *server;		/* timeouts, retries, ca_file */
	/* set by an S3 operation, acted on by s3_address_call() (1.2) */
	const char *version_id;		/* ?versionId=, or NULL */
	bool		customer_key;	/* send the mapping's SSE-C key (GET, HEAD,
								 * UploadPart) */
	bool		copy_source_customer_key;	/* ... as the copy source's */
	bool		checksum_mode;	/* x-amz-checksum-mode: ENABLED (a GET or a
								 * HEAD that wants the stored checksum) */
	/* the body's checksum, for S3 to check (see s3_checksum.c) */
	const char *checksum_algorithm; /* CRC32C, CRC32, SHA256, SHA1; NULL for
									 * the default (s3_default_checksum) */
	const char *checksum;		/* its value (base64) when the operation has
								 * computed it, else NULL */
	bool		no_checksum;	/* never one (CompleteMultipartUpload, whose
								 * checksum header names the object's) */
	/* the operation's own reading of an error code, or NULL (see S3ErrorReading) */
	void		(*read_error) (const char *code, S3ErrorReading *reading, void *arg);
	void	   *read_error_arg;
} S3SignedRequest;

extern void s3_send_signed(const S3Credentials *creds, const S3SignedRequest *r,
						   S3HttpResponse *resp);

/* several requests in flight: started, then finished (or cancelled) */
typedef struct S3Pending S3Pending;
extern S3Pending *s3_request_start(const S3Credentials *creds, const S3SignedRequest *r);
extern void s3_request_finish(S3Pending *p, S3HttpResponse *resp);
extern void s3_request_cancel(S3Pending *p);
extern void s3_request_wait_ready(S3Pending *p, bool (*ready) (void *), void *arg);
extern bool s3_request_done(S3Pending *p);

/* S3's error document (or a status without one) raised with its SQLSTATE */
S3_NORETURN_BEGIN extern void s3_report_error(const char *what, const char *who,
							const S3HttpResponse *resp, int tries) S3_NORETURN_END;
extern char *s3_error_code(const S3HttpResponse *resp);
extern const char *s3_error_message(const char *message);

/* s3_checksum.c: the checksums of x-amz-checksum-* */
#define S3_CHECKSUM_MAX 32		/* bytes of the largest (SHA256) */
extern int	s3_checksum_raw(const char *algorithm, const char *data, size_t len,
							unsigned char *out);
extern char *s3_checksum_base64(const char *algorithm, const char *data, size_t len);
extern const char *s3_checksum_header(const char *algorithm);
extern const char *s3_default_checksum(const S3Server *server);

/* the same computed piece by piece */
typedef struct S3ChecksumState
{
	const char *algorithm;
	uint32		crc;			/* CRC32C, CRC32 */
	bool		hardware;		/* CRC32C: crc32c.c's */
	void	   *md;				/* SHA256, SHA1: OpenSSL's EVP_MD_CTX */
} S3ChecksumState;
extern bool s3_checksum_begin(S3ChecksumState *st, const char *algorithm, MemoryContext cxt);
extern void s3_checksum_add(S3ChecksumState *st, const char *data, size_t len);
extern char *s3_checksum_end(S3ChecksumState *st);

#endif							/* S3FDW_S3_REQUEST_H */
