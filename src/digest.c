/*-------------------------------------------------------------------------
 *
 * digest.c
 *		Hashes and encodings of bodies and times that requests carry: the
 *		payload's SHA-256, Content-MD5, an MD5 ETag, the X-Amz-Date time.
 *
 * libc and OpenSSL's libcrypto only, like the signer that uses them, so
 * that both can be unit-tested and fuzzed on their own.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "digest.h"

void
digest_hex(const unsigned char *in, size_t len, char *out)
{
	size_t		i;

	for (i = 0; i < len; i++)
	{
		out[2 * i] = "0123456789abcdef"[in[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

bool
digest_sha256(const void *data, size_t len, unsigned char out[32])
{
	unsigned int outlen = 0;

	if (EVP_Digest(data, len, out, &outlen, EVP_sha256(), NULL) != 1)
		return false;
	return outlen == 32;
}

/* On the (unlikely) failure of the digest, out is left an empty string. */
void
sigv4_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];

	if (!digest_sha256(data, len, md))
	{
		out[0] = '\0';
		return;
	}
	digest_hex(md, 32, out);
}

/*
 * On failure (say MD5 refused by a FIPS provider), out is left an empty
 * string.
 */
void
sigv4_md5_base64(const void *data, size_t len, char out[25])
{
	unsigned char md[16];
	unsigned int mdlen = 0;

	if (EVP_Digest(data, len, md, &mdlen, EVP_md5(), NULL) != 1 ||
		mdlen != 16)
	{
		out[0] = '\0';
		return;
	}
	/* 16 bytes give 24 characters plus the NUL */
	if (EVP_EncodeBlock((unsigned char *) out, md, 16) != 24)
		out[0] = '\0';
}

void
sigv4_md5_hex(const void *data, size_t len, char out[33])
{
	unsigned char md[16];
	unsigned int mdlen = 0;

	if (EVP_Digest(data, len, md, &mdlen, EVP_md5(), NULL) != 1 || mdlen != 16)
	{
		out[0] = '\0';
		return;
	}
	digest_hex(md, 16, out);
}

void
sigv4_amz_date(time_t t, char out[17])
{
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
		strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) != 16)
		out[0] = '\0';
}

