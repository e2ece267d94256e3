/*-------------------------------------------------------------------------
 *
 * s3_names.h
 *		S3 naming and addressing rules: bucket names, object keys, regions,
 *		endpoint URLs, and the URL, Host header and path of a request.
 *
 * Free of PostgreSQL headers so that the rules can be unit-tested and the
 * URL/key encoder fuzzed on their own.  Checks return NULL when the input is
 * acceptable, otherwise a static English sentence fragment saying what is
 * wrong (no input bytes are ever copied into it).
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_S3_NAMES_H
#define S3FDW_S3_NAMES_H

#include <stddef.h>
#include <stdbool.h>

struct sockaddr;

#define S3_MAX_KEY_BYTES 1024
#define S3_MAX_HOST_LEN 253

typedef struct s3_endpoint
{
	bool		https;
	char		host[S3_MAX_HOST_LEN + 3];	/* name, IPv4, or [IPv6] */
	int			port;			/* 0 when the URL gave none */
} s3_endpoint;

typedef struct s3_target
{
	char	   *url;			/* scheme://host[:port]/path[?query] */
	char	   *host;			/* Host header value */
	char	   *path;			/* encoded path, for signing */
} s3_target;

extern const char *s3_check_bucket_name(const char *name);
extern const char *s3_check_key(const char *key, size_t len);
extern const char *s3_check_region(const char *region);

/*
 * The values of version 1.2's upload settings (options and arguments):
 * NULL when acceptable, else the problem.  s3_checksum_name() gives the
 * canonical (upper-case) name of a checksum algorithm, or NULL.
 */
extern const char *s3_check_sse(const char *value);
extern const char *s3_check_kms_key_id(const char *value);
extern const char *s3_check_storage_class(const char *value);
extern const char *s3_checksum_name(const char *value);
extern const char *s3_check_checksum_algorithm(const char *value);
extern const char *s3_check_customer_key(const char *base64, unsigned char key[32]);

/*
 * Parses "http[s]://host[:port][/]".  Userinfo, paths, queries and fragments
 * are refused, and so is an IPv6 literal that inet_pton() refuses or that
 * has a zone id.
 */
extern const char *s3_parse_endpoint(const char *url, s3_endpoint *out);

/*
 * True for addresses where a machine's own credentials may be served:
 * IPv4 169.254.0.0/16; IPv6 fe80::/10 and fd00:ec2::/32; and IPv4
 * link-local addresses embedded in IPv6 as ::ffff:a.b.c.d, ::a.b.c.d or
 * 64:ff9b::a.b.c.d.  addr is a sockaddr_in or sockaddr_in6; any other
 * family (or NULL) gives false.
 */
extern bool s3_address_is_link_local(const struct sockaddr *addr);

/*
 * When the endpoint's host is an IPv4 literal (any form inet_aton() takes,
 * such as "2852039166") or a bracketed IPv6 literal that is link-local,
 * says so; NULL otherwise (host names included: check what they resolve
 * to with s3_address_is_link_local()).
 */
extern const char *s3_endpoint_literal_link_local(const s3_endpoint *ep);

/* AWS's own S3 endpoint for a region: https://s3.REGION.amazonaws.com[.cn] */
extern void s3_default_endpoint(const char *region, s3_endpoint *out);

/* AWS STS's regional endpoint: https://sts.REGION.amazonaws.com[.cn] */
extern void s3_default_sts_endpoint(const char *region, s3_endpoint *out);

/* arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME */
extern const char *s3_check_role_arn(const char *arn);
/* STS RoleSessionName: 2 to 64 of [A-Za-z0-9+=,.@_-] */
extern const char *s3_check_role_session_name(const char *name);
/* STS ExternalId: 2 to 1224 of [A-Za-z0-9+=,.@:/_-] */
extern const char *s3_check_external_id(const char *id);

/*
 * A time as S3 sends it: YYYY-MM-DDTHH:MM:SS[.fraction of 1-9 digits]
 * followed by Z, +hh:mm, -hh:mm, +hhmm or -hhmm; the date must exist.
 */
extern const char *s3_check_iso8601(const char *s);

/*
 * Builds the address of a request.  bucket may be NULL (service-level
 * requests such as ListBuckets), key may be NULL (bucket-level requests);
 * query is an already encoded query string or NULL.  Virtual-hosted style
 * puts the bucket in the host name; it falls back to path style for bucket
 * names containing dots over https (their certificates cannot match).
 * Returns 0, or -1 when out of memory; the strings are malloc'd.
 */
/*
 * The Content-Range of an answer to "Range: bytes=FIRST-LAST" (RFC 9110,
 * 14.4): "bytes FIRST-LAST/TOTAL" in a 206, where TOTAL may be "*"
 * (unknown), and "bytes *" "/TOTAL" in a 416.  Numbers are decimal digits
 * only; -1 stands for a "*".
 */
typedef struct s3_content_range
{
	long long	first;			/* -1 in the 416 form */
	long long	last;
	long long	total;			/* -1 when "*" */
} s3_content_range;

extern const char *s3_parse_content_range(const char *value, s3_content_range *out);

/*
 * Does a 206 answer hold what "Range: bytes=first-last" asked for?  value
 * is its Content-Range (NULL when it had none), body_len the bytes that
 * came; total the object's size when the caller knows it, else -1.  The
 * range must start at first, end at last or, short of it, at the object's
 * last byte, and match the body's length; its total must agree with total.
 * "*" as total passes only for the whole range asked for (where the object
 * ends is then unknown).
 */
extern const char *s3_check_partial_answer(const char *value, long long first, long long last,
										   long long total, size_t body_len);

/*
 * Does a 416 answer's Content-Range (NULL when it had none, which passes)
 * agree that a range from first is past the object's end: the 416 form
 * with TOTAL <= first?
 */
extern const char *s3_check_unsatisfiable_answer(const char *value, long long first);

extern int	s3_build_target(const s3_endpoint *ep, bool virtual_style,
							const char *bucket, const char *key,
							const char *query, s3_target *out);
extern void s3_target_free(s3_target *t);

#endif							/* S3FDW_S3_NAMES_H */
