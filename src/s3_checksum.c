/*-------------------------------------------------------------------------
 *
 * s3_checksum.c
 *		The checksums of S3's x-amz-checksum-* headers (CRC32C, CRC32,
 *		SHA256, SHA1): computed over a body, as the raw digest or in
 *		base64 as the header carries it.  Part of the request layer: it
 *		computes the checksum an upload sends (s3_request.c), and the S3
 *		operations compute the one they compare with what a download
 *		came with (s3_verify.c).
 *
 * CRC32C is crc32c.c's where the CPU has the instruction on x86-64,
 * PostgreSQL's elsewhere; CRC32 is zlib's; SHA256 and SHA1 are OpenSSL's.
 * CRC64NVME (S3's full-object default since 2025) is not computed.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <openssl/evp.h>
#include <zlib.h>

#include "port/pg_crc32c.h"
#include "utils/formatting.h"
#include "utils/memutils.h"

#include "crc32c.h"
#include "s3_request.h"

/* zlib and the CRC macros take their lengths in steps of at most 1 GB */
#define STEP ((size_t) 1 << 30)

/* The four bytes of a CRC, most significant first, as S3 sends them */
static int
crc_bytes(uint32 crc, unsigned char *out)
{
	out[0] = (crc >> 24) & 0xff;
	out[1] = (crc >> 16) & 0xff;
	out[2] = (crc >> 8) & 0xff;
	out[3] = crc & 0xff;
	return 4;
}

/*
 * The checksum of len bytes under algorithm (a canonical, upper-case
 * name) into out (S3_CHECKSUM_MAX bytes); returns its length, or 0 for an
 * algorithm not computed here (CRC64NVME, or a name S3 may add).
 */
int
s3_checksum_raw(const char *algorithm, const char *data, size_t len, unsigned char *out)
{
	if (strcmp(algorithm, "CRC32C") == 0)
	{
		pg_crc32c	crc;

		/*
		 * crc32c.c's three chains where the CPU has the instruction on x86-64
		 * (23 ms instead of PostgreSQL's 40 for 256 MB, measured here);
		 * PostgreSQL's own elsewhere, which uses ARMv8's CRC instructions
		 */
		if (crc32c_hardware())
			return crc_bytes(crc32c(0, data, len), out);
		INIT_CRC32C(crc);
		while (len > 0)
		{
			size_t		n = Min(len, STEP);

			COMP_CRC32C(crc, data, n);
			data += n;
			len -= n;
		}
		FIN_CRC32C(crc);
		return crc_bytes(crc, out);
	}
	if (strcmp(algorithm, "CRC32") == 0)
	{
		uLong		crc = crc32(0L, Z_NULL, 0);

		while (len > 0)
		{
			size_t		n = Min(len, STEP);

			crc = crc32(crc, (const Bytef *) data, (uInt) n);
			data += n;
			len -= n;
		}
		return crc_bytes((uint32) crc, out);
	}
	if (strcmp(algorithm, "SHA256") == 0 || strcmp(algorithm, "SHA1") == 0)
	{
		const EVP_MD *md = algorithm[3] == '2' ? EVP_sha256() : EVP_sha1();
		unsigned int n = 0;

		if (EVP_Digest(data, len, out, &n, md, NULL) != 1)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory"),
					 errdetail("OpenSSL could not compute a %s checksum.", algorithm)));
		return (int) n;
	}
	return 0;
}

/*
 * The same in base64, as x-amz-checksum-<algorithm> carries it, palloc'd;
 * NULL for an algorithm not computed here.
 */
char *
s3_checksum_base64(const char *algorithm, const char *data, size_t len)
{
	unsigned char raw[S3_CHECKSUM_MAX];
	int			n = s3_checksum_raw(algorithm, data, len, raw);

	return n > 0 ? s3_base64(raw, n) : NULL;
}

/* The header that carries a checksum: x-amz-checksum-crc32c... */
const char *
s3_checksum_header(const char *algorithm)
{
	if (strcmp(algorithm, "CRC32C") == 0)
		return "x-amz-checksum-crc32c";
	if (strcmp(algorithm, "CRC32") == 0)
		return "x-amz-checksum-crc32";
	if (strcmp(algorithm, "SHA256") == 0)
		return "x-amz-checksum-sha256";
	if (strcmp(algorithm, "SHA1") == 0)
		return "x-amz-checksum-sha1";
	return psprintf("x-amz-checksum-%s", asc_tolower(algorithm, strlen(algorithm)));
}

/*
 * The checksum that a request with a body carries when its operation
 * names none: CRC32C where the payload goes unsigned (https and the
 * server's payload_signing allow it), so that S3 can still check the body;
 * none where the signature covers the payload's SHA-256.
 */
const char *
s3_default_checksum(const S3Server *server)
{
	return server->unsigned_payload && server->endpoint.https ? "CRC32C" : NULL;
}

/*
 * A checksum computed piece by piece (an object read in ranged chunks):
 * begun, fed in order, ended.  OpenSSL's digest context is freed at the
 * end, or with the memory context given when an error comes first.
 */
static void
free_md(void *arg)
{
	S3ChecksumState *st = (S3ChecksumState *) arg;

	if (st->md != NULL)
		EVP_MD_CTX_free((EVP_MD_CTX *) st->md);
	st->md = NULL;
}

/* false for an algorithm not computed here */
bool
s3_checksum_begin(S3ChecksumState *st, const char *algorithm, MemoryContext cxt)
{
	memset(st, 0, sizeof(*st));
	st->algorithm = algorithm;
	if (strcmp(algorithm, "CRC32C") == 0)
	{
		st->hardware = crc32c_hardware();
		if (!st->hardware)
			INIT_CRC32C(st->crc);
		return true;
	}
	if (strcmp(algorithm, "CRC32") == 0)
	{
		st->crc = (uint32) crc32(0L, Z_NULL, 0);
		return true;
	}
	if (strcmp(algorithm, "SHA256") == 0 || strcmp(algorithm, "SHA1") == 0)
	{
		MemoryContextCallback *cb = MemoryContextAllocZero(cxt, sizeof(MemoryContextCallback));

		st->md = EVP_MD_CTX_new();
		if (st->md == NULL ||
			EVP_DigestInit_ex((EVP_MD_CTX *) st->md,
							  algorithm[3] == '2' ? EVP_sha256() : EVP_sha1(), NULL) != 1)
		{
			free_md(st);
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory"),
					 errdetail("OpenSSL could not start a %s checksum.", algorithm)));
		}
		cb->func = free_md;
		cb->arg = st;
		MemoryContextRegisterResetCallback(cxt, cb);
		return true;
	}
	return false;
}

void
s3_checksum_add(S3ChecksumState *st, const char *data, size_t len)
{
	while (len > 0)
	{
		size_t		n = Min(len, STEP);

		if (st->md != NULL)
		{
			if (EVP_DigestUpdate((EVP_MD_CTX *) st->md, data, n) != 1)
				ereport(ERROR,
						(errcode(ERRCODE_OUT_OF_MEMORY),
						 errmsg("out of memory"),
						 errdetail("OpenSSL could not compute a %s checksum.", st->algorithm)));
		}
		else if (strcmp(st->algorithm, "CRC32") == 0)
			st->crc = (uint32) crc32(st->crc, (const Bytef *) data, (uInt) n);
		else if (st->hardware)
			st->crc = crc32c(st->crc, data, n);
		else
			COMP_CRC32C(st->crc, data, n);
		data += n;
		len -= n;
	}
}

/* The checksum in base64, palloc'd */
char *
s3_checksum_end(S3ChecksumState *st)
{
	unsigned char raw[S3_CHECKSUM_MAX];
	int			n;

	if (st->md != NULL)
	{
		unsigned int len = 0;
		bool		ok = EVP_DigestFinal_ex((EVP_MD_CTX *) st->md, raw, &len) == 1;

		free_md(st);
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory"),
					 errdetail("OpenSSL could not compute a %s checksum.", st->algorithm)));
		n = (int) len;
	}
	else
	{
		uint32		crc = st->crc;

		if (strcmp(st->algorithm, "CRC32C") == 0 && !st->hardware)
			FIN_CRC32C(crc);
		n = crc_bytes(crc, raw);
	}
	return s3_base64(raw, n);
}
