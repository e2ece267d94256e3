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

#include <openssl/crypto.h>
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

/*
 * SHA-256 and a context for it, made once.  Every request hashes a few short
 * strings (its canonical request, the HMACs of its signature): OpenSSL 3
 * looks EVP_sha256() up in its providers, under locks, on each use, and
 * EVP_Digest() allocates and frees a context each time, which together cost
 * more than the hashing.  Not thread-safe, as nothing in a backend is.
 */
static EVP_MD_CTX *
sha256_ctx(const EVP_MD **md)
{
	static const EVP_MD *sha256;
	static EVP_MD_CTX *ctx;

	if (sha256 == NULL)
	{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
		sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
#endif
		if (sha256 == NULL)
			sha256 = EVP_sha256();
	}
	if (ctx == NULL)
		ctx = EVP_MD_CTX_new();
	*md = sha256;
	return ctx;
}

/* The SHA-256 of a then b (b may be NULL) into out[32]. */
static bool
sha256_two(const void *a, size_t alen, const void *b, size_t blen, unsigned char out[32])
{
	const EVP_MD *md;
	EVP_MD_CTX *ctx = sha256_ctx(&md);
	unsigned int outlen = 0;

	return ctx != NULL && EVP_DigestInit_ex(ctx, md, NULL) == 1 &&
		EVP_DigestUpdate(ctx, a, alen) == 1 &&
		(b == NULL || EVP_DigestUpdate(ctx, b, blen) == 1) &&
		EVP_DigestFinal_ex(ctx, out, &outlen) == 1 && outlen == 32;
}

bool
digest_sha256(const void *data, size_t len, unsigned char out[32])
{
	return sha256_two(data, len, NULL, 0, out);
}

/* RFC 2104's HMAC over SHA-256 (a 64-byte block), on the context above */
bool
digest_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
				   unsigned char out[32])
{
	unsigned char k[64];
	unsigned char pad[64];
	unsigned char inner[32];
	bool		ok = true;

	memset(k, 0, sizeof(k));
	if (keylen > sizeof(k))
		ok = digest_sha256(key, keylen, k);
	else
		memcpy(k, key, keylen);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	ok = ok && sha256_two(pad, 64, data, len, inner);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	ok = ok && sha256_two(pad, 64, inner, 32, out);
	/* key material: not left on the stack */
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(pad, sizeof(pad));
	OPENSSL_cleanse(inner, sizeof(inner));
	return ok;
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

