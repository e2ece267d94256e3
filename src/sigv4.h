/*-------------------------------------------------------------------------
 *
 * sigv4.h
 *		AWS Signature Version 4 for S3: canonical requests, Authorization
 *		headers and presigned URLs.
 *
 * This module is deliberately free of PostgreSQL headers: it uses only libc
 * and OpenSSL's libcrypto, so that it can be unit-tested against botocore's
 * vectors and fuzzed on its own.  Every string it returns is malloc'd and
 * must be released with free() (or sigv4_result_free()).
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_SIGV4_H
#define S3FDW_SIGV4_H

#include <stddef.h>
#include <stdbool.h>
#include <time.h>

#define SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
#define SIGV4_EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

typedef struct sigv4_header
{
	const char *name;			/* any case; lower-cased for signing */
	const char *value;			/* trimmed, inner runs of spaces folded */
} sigv4_header;

typedef struct sigv4_credentials
{
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token;	/* NULL or "" when there is none */
} sigv4_credentials;

typedef struct sigv4_request
{
	const char *method;			/* "GET", "PUT", ... */
	const char *host;			/* Host header value: host[:port], the port
								 * only when it is not the scheme's default */
	const char *path;			/* already URI-encoded, starts with '/'; used
								 * as is (S3 neither re-encodes nor normalises) */
	const char *query;			/* already URI-encoded "a=1&b=2" (no '?'), or
								 * NULL / "" for none; a parameter without '='
								 * counts as having an empty value */
	const sigv4_header *headers;	/* extra headers to sign besides host,
									 * x-amz-date, x-amz-content-sha256 and
									 * x-amz-security-token (e.g. range,
									 * content-type, content-md5) */
	int			nheaders;
	const char *payload_sha256; /* hex SHA-256 of the body, or
								 * UNSIGNED-PAYLOAD; ignored in presign mode
								 * (always UNSIGNED-PAYLOAD there) */
	const char *region;			/* "us-east-1" */
	const char *service;		/* "s3" or "sts" */
	const char *amz_date;		/* "YYYYMMDDTHHMMSSZ" */
} sigv4_request;

typedef struct sigv4_result
{
	char	   *canonical_request;
	char	   *string_to_sign;
	char		signature[65];	/* lower-case hex */
	char	   *signed_headers;	/* "host;x-amz-content-sha256;x-amz-date" */
	char	   *authorization;	/* header mode: the Authorization value */
	char	   *presigned_query;	/* presign mode: the whole query string to
									 * put after '?', signature last */
} sigv4_result;

/*
 * Header mode.  Signs host, every extra header, x-amz-content-sha256,
 * x-amz-date and (when a session token is given) x-amz-security-token.
 * The caller sends X-Amz-Date, X-Amz-Content-SHA256, X-Amz-Security-Token
 * and Authorization with the values used here.  Returns 0 on success, -1 on
 * bad input or out of memory (then *out holds nothing to free).  Bad input
 * includes a host, region, service, key, secret, token or extra header
 * value that fails sigv4_header_value_ok(), and an extra header value (or a
 * session token) that is blank: curl would not send it.
 */
extern int	sigv4_sign(const sigv4_request *req, const sigv4_credentials *cred,
					   sigv4_result *out);

/*
 * Presign mode (query-string authentication).  expires is in seconds.  The
 * extra headers (e.g. content-type for an upload URL) are signed beside
 * host.  out->presigned_query holds the query string: the request's own
 * query parameters followed by X-Amz-Algorithm, X-Amz-Credential,
 * X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Security-Token (if
 * any) and X-Amz-Signature last, in botocore's order.
 */
extern int	sigv4_presign(const sigv4_request *req, const sigv4_credentials *cred,
						  long expires, sigv4_result *out);

extern void sigv4_result_free(sigv4_result *res);

/*
 * True when value is not NULL and holds no control character other than HT
 * (no CR, LF or other byte below 0x20, no DEL): the rule every header value
 * the signer signs or the caller sends must meet.  Emptiness is not judged.
 */
extern bool sigv4_header_value_ok(const char *value);

#endif							/* S3FDW_SIGV4_H */
