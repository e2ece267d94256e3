/*-------------------------------------------------------------------------
 *
 * digest.h
 *		Hashes and encodings that requests carry (digest.c): libc and
 *		libcrypto only.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_DIGEST_H
#define S3FDW_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The SHA-256 of a buffer into out[32]; false on failure. */
extern bool digest_sha256(const void *data, size_t len, unsigned char out[32]);

/* HMAC-SHA256 (RFC 2104) of data under key into out[32]; false on failure. */
extern bool digest_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
							   unsigned char out[32]);

/* len bytes as lower-case hex into out[2 * len + 1]. */
extern void digest_hex(const unsigned char *in, size_t len, char *out);

/* Lower-case hex SHA-256 of a buffer into out[65]. */
extern void sigv4_sha256_hex(const void *data, size_t len, char out[65]);

/* Lower-case hex MD5 of a buffer (a single-part ETag) into out[33]. */
extern void sigv4_md5_hex(const void *data, size_t len, char out[33]);

/* Base64 of the MD5 of a buffer (the Content-MD5 header) into out[25]. */
extern void sigv4_md5_base64(const void *data, size_t len, char out[25]);

/* "YYYYMMDDTHHMMSSZ" for a time, in UTC, into out[17]. */
extern void sigv4_amz_date(time_t t, char out[17]);

#endif							/* S3FDW_DIGEST_H */
