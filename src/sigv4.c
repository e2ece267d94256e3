/*-------------------------------------------------------------------------
 *
 * sigv4.c
 *		AWS Signature Version 4 for S3: canonical requests, Authorization
 *		headers and presigned URLs.
 *
 * The signer follows what S3 (and botocore, the reference used for the
 * unit-test vectors) expects: the path is used exactly as given (already
 * URI-encoded, never re-encoded, "//" not normalised), query parameters are
 * sorted by encoded name then value, header names are lower-cased and
 * values trimmed with inner runs of whitespace folded to one space.
 *
 * Only libc and OpenSSL's libcrypto are used, so that this file can be
 * compiled and tested without PostgreSQL.  Every string handed back is
 * malloc'd; on any failure everything allocated so far is released and -1
 * is returned.
 *
 * IDENTIFICATION
 *	  src/sigv4.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core.h"
#include "digest.h"
#include "sigv4.h"
#include "sigv4_canon.h"

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define SIGV4_TERMINATOR "aws4_request"
#define SIGV4_MAX_EXPIRES 604800L	
/* Only spaces and tabs (or nothing): such a header would be dropped. */
static bool
is_blank(const char *s)
{
	for (; *s; s++)
	{
		if (*s != ' ' && *s != '\t')
			return false;
	}
	return true;
}

static bool
is_digit_char(char c)
{
	return c >= '0' && c <= '9';
}

static bool
hmac_sha256(const void *key, size_t keylen, const char *data,
			unsigned char out[32])
{
	return digest_hmac_sha256(key, keylen, data, strlen(data), out);
}

/*
 * The signing key of the last signature: kSigning depends only on the
 * secret, the day, the region and the service, so the four HMACs that make
 * it are done once a day per server rather than for every request (as the
 * AWS SDKs do).  The secret is not kept, only its SHA-256 to recognise it.
 */
static struct
{
	bool		valid;
	unsigned char secret_sha[32];
	char		date[9];
	char		region[64];
	char		service[16];
	unsigned char key[32];
} signing_key_cache;

static bool
signing_key(const sigv4_credentials *cred, const char *date, const sigv4_request *req,
			unsigned char key[32])
{
	size_t		seclen = strlen(cred->secret_access_key);
	unsigned char secret_sha[32];
	char	   *k0;
	unsigned char k1[32];
	bool		ok;
	bool		cacheable = strlen(date) < sizeof(signing_key_cache.date) &&
		strlen(req->region) < sizeof(signing_key_cache.region) &&
		strlen(req->service) < sizeof(signing_key_cache.service);

	if (!digest_sha256(cred->secret_access_key, seclen, secret_sha))
		return false;
	if (cacheable && signing_key_cache.valid &&
		memcmp(signing_key_cache.secret_sha, secret_sha, 32) == 0 &&
		strcmp(signing_key_cache.date, date) == 0 &&
		strcmp(signing_key_cache.region, req->region) == 0 &&
		strcmp(signing_key_cache.service, req->service) == 0)
	{
		memcpy(key, signing_key_cache.key, 32);
		return true;
	}
	k0 = malloc(seclen + 5);
	if (k0 == NULL)
		return false;
	memcpy(k0, "AWS4", 4);
	memcpy(k0 + 4, cred->secret_access_key, seclen + 1);
	/* kDate, kRegion, kService, kSigning; never HMAC a key into itself */
	ok = hmac_sha256(k0, seclen + 4, date, key) &&
		hmac_sha256(key, 32, req->region, k1) &&
		hmac_sha256(k1, 32, req->service, key) &&
		hmac_sha256(key, 32, SIGV4_TERMINATOR, k1);
	if (ok)
		memcpy(key, k1, 32);
	/* don't leave key material lying around */
	memset(k0, 0, seclen + 4);
	memset(k1, 0, sizeof(k1));
	free(k0);
	signing_key_cache.valid = false;
	if (ok && cacheable)
	{
		memcpy(signing_key_cache.secret_sha, secret_sha, 32);
		strcpy(signing_key_cache.date, date);
		strcpy(signing_key_cache.region, req->region);
		strcpy(signing_key_cache.service, req->service);
		memcpy(signing_key_cache.key, key, 32);
		signing_key_cache.valid = true;
	}
	return ok;
}

/* "YYYYMMDDTHHMMSSZ" */
static bool
valid_amz_date(const char *s)
{
	int			i;

	if (strlen(s) != 16)
		return false;
	for (i = 0; i < 16; i++)
	{
		if (i == 8)
		{
			if (s[i] != 'T')
				return false;
		}
		else if (i == 15)
		{
			if (s[i] != 'Z')
				return false;
		}
		else if (!is_digit_char(s[i]))
			return false;
	}
	return true;
}

/* An HTTP token: visible ASCII except separators such as ':'. */
static bool
valid_header_name(const char *s)
{
	const unsigned char *p;

	if (sigv4i_is_empty(s))
		return false;
	for (p = (const unsigned char *) s; *p; p++)
	{
		if (*p <= 0x20 || *p >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", *p))
			return false;
	}
	return true;
}

/* ---------------------------------------------------------------------
 * Public helpers
 * ---------------------------------------------------------------------
 */
/*
 * Can a header value be sent as it is?  Not when it holds a control
 * character other than HT (CR or LF would end the header and start another,
 * and the others are not allowed by RFC 9110); bytes from 0x80 up pass.
 * A NUL cannot be seen in a C string: the value is simply cut there.  Empty
 * or blank values are not judged here.
 */
bool
sigv4_header_value_ok(const char *value)
{
	const unsigned char *p;

	if (value == NULL)
		return false;
	for (p = (const unsigned char *) value; *p; p++)
	{
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return false;
	}
	return true;
}

void
sigv4_result_free(sigv4_result *res)
{
	if (res == NULL)
		return;
	free(res->canonical_request);
	free(res->string_to_sign);
	free(res->signed_headers);
	free(res->authorization);
	free(res->presigned_query);
	memset(res, 0, sizeof(*res));
}

/* ---------------------------------------------------------------------
 * The signer
 * ---------------------------------------------------------------------
 */
static bool
valid_request(const sigv4_request *req, const sigv4_credentials *cred,
			  bool presign)
{
	int			i;

	if (req == NULL || cred == NULL)
		return false;
	if (sigv4i_is_empty(req->method) || sigv4i_is_empty(req->host) ||
		req->path == NULL || req->path[0] != '/' ||
		sigv4i_is_empty(req->region) || sigv4i_is_empty(req->service) ||
		req->amz_date == NULL || !valid_amz_date(req->amz_date))
		return false;
	if (!presign && sigv4i_is_empty(req->payload_sha256))
		return false;
	if (sigv4i_is_empty(cred->access_key_id) || cred->secret_access_key == NULL)
		return false;

	/*
	 * Nothing that goes into a header, signed or sent, may carry a control
	 * character: a CR or LF would let a value smuggle in another header.
	 */
	if (!sigv4_header_value_ok(req->host) || is_blank(req->host) ||
		!sigv4_header_value_ok(req->region) ||
		!sigv4_header_value_ok(req->service) ||
		(!presign && !sigv4_header_value_ok(req->payload_sha256)) ||
		!sigv4_header_value_ok(cred->access_key_id) ||
		!sigv4_header_value_ok(cred->secret_access_key))
		return false;
	/* a blank token would be signed, but curl would not send the header */
	if (!sigv4i_is_empty(cred->session_token) &&
		(!sigv4_header_value_ok(cred->session_token) ||
		 is_blank(cred->session_token)))
		return false;

	if (req->nheaders < 0 || (req->nheaders > 0 && req->headers == NULL))
		return false;
	for (i = 0; i < req->nheaders; i++)
	{
		/* an empty or blank value would be signed, but curl drops it */
		if (!valid_header_name(req->headers[i].name) ||
			!sigv4_header_value_ok(req->headers[i].value) ||
			is_blank(req->headers[i].value) ||
			sigv4i_reserved_header(req->headers[i].name, presign))
			return false;
	}
	return true;
}

/* Derive the signing key and sign string_to_sign into sig (hex). */
static bool
compute_signature(const sigv4_credentials *cred, const char *date,
				  const sigv4_request *req, const char *string_to_sign,
				  char sig[65])
{
	unsigned char key[32];
	unsigned char mac[32];
	bool		ok;

	ok = signing_key(cred, date, req, key) &&
		hmac_sha256(key, 32, string_to_sign, mac);
	memset(key, 0, sizeof(key));
	if (ok)
		digest_hex(mac, 32, sig);
	return ok;
}

/*
 * What a signature is built from, stage by stage (see sign_common); every
 * pointer is malloc'd or NULL, and released by parts_free().
 */
typedef struct sign_parts
{
	bool		presign;
	bool		have_token;
	char		date[9];		/* YYYYMMDD of amz_date */
	char		expires_str[32];
	cheader    *hdrs;			/* the headers to sign, in canonical form */
	int			nhdrs;
	char	   *canonical_headers;	/* "name:value\n" lines, sorted */
	char	   *signed_headers; /* "host;x-amz-date;..." */
	char	   *scope;			/* DATE/REGION/SERVICE/aws4_request */
	qparam	   *params;			/* the request's own, then presign ones */
	qparam	   *sorted;			/* the same, sorted for signing */
	int			nparams;
	char	   *credential;		/* presign: KEY/SCOPE */
	char	   *enc_credential;
	char	   *enc_signed;
	char	   *enc_token;
} sign_parts;

static void
parts_free(sign_parts *sp)
{
	sigv4i_free_headers(sp->hdrs, sp->nhdrs);
	free(sp->canonical_headers);
	free(sp->signed_headers);
	free(sp->scope);
	free(sp->params);
	free(sp->sorted);
	free(sp->credential);
	free(sp->enc_credential);
	free(sp->enc_signed);
	free(sp->enc_token);
}

/* Stage 1: the headers to sign, canonical, and their list. */
static bool
collect_headers(const sigv4_request *req, const sigv4_credentials *cred, sign_parts *sp)
{
	cbuf		canon;
	cbuf		list;
	int			i;

	sp->hdrs = calloc((size_t) req->nheaders + 4, sizeof(cheader));
	if (sp->hdrs == NULL || !sigv4i_add_header(sp->hdrs, &sp->nhdrs, "host", req->host))
		return false;
	for (i = 0; i < req->nheaders; i++)
		if (!sigv4i_add_header(sp->hdrs, &sp->nhdrs, req->headers[i].name, req->headers[i].value))
			return false;
	if (!sp->presign)
	{
		if (!sigv4i_add_header(sp->hdrs, &sp->nhdrs, "x-amz-content-sha256", req->payload_sha256) ||
			!sigv4i_add_header(sp->hdrs, &sp->nhdrs, "x-amz-date", req->amz_date))
			return false;
		if (sp->have_token &&
			!sigv4i_add_header(sp->hdrs, &sp->nhdrs, "x-amz-security-token", cred->session_token))
			return false;
	}
	cbuf_init(&canon);
	cbuf_init(&list);
	sigv4i_canonical_headers(sp->hdrs, sp->nhdrs, &canon, &list);
	if (canon.failed || list.failed)
	{
		free(canon.data);
		free(list.data);
		return false;
	}
	sp->canonical_headers = canon.data ? canon.data : sigv4i_dup_string("");
	sp->signed_headers = cbuf_finish(&list);
	return sp->canonical_headers != NULL && sp->signed_headers != NULL;
}

/* Stage 2: the credential scope. */
static bool
make_scope(const sigv4_request *req, sign_parts *sp)
{
	cbuf		sb;

	cbuf_init(&sb);
	cbuf_append(&sb, sp->date);
	cbuf_append_char(&sb, '/');
	cbuf_append(&sb, req->region);
	cbuf_append_char(&sb, '/');
	cbuf_append(&sb, req->service);
	cbuf_append(&sb, "/" SIGV4_TERMINATOR);
	return (sp->scope = cbuf_finish(&sb)) != NULL;
}

/*
 * Stage 3: the query parameters, the request's own and, to presign, those
 * of query-string authentication in botocore's order; and a sorted copy.
 */
static bool
collect_params(const sigv4_request *req, const sigv4_credentials *cred, long expires,
			   sign_parts *sp)
{
	int			n = sigv4i_count_query_segments(req->query);

	sp->params = calloc((size_t) n + 6, sizeof(qparam));
	sp->sorted = calloc((size_t) n + 6, sizeof(qparam));
	if (sp->params == NULL || sp->sorted == NULL)
		return false;
	sp->nparams = sigv4i_parse_query(req->query, sp->params);
	if (sp->presign)
	{
		cbuf		sb;

		cbuf_init(&sb);
		cbuf_append(&sb, cred->access_key_id);
		cbuf_append_char(&sb, '/');
		cbuf_append(&sb, sp->scope);
		if ((sp->credential = cbuf_finish(&sb)) == NULL)
			return false;
		sp->enc_credential = s3_uri_encode(sp->credential, strlen(sp->credential), false);
		sp->enc_signed = s3_uri_encode(sp->signed_headers, strlen(sp->signed_headers), false);
		if (sp->enc_credential == NULL || sp->enc_signed == NULL)
			return false;
		if (sp->have_token &&
			(sp->enc_token = s3_uri_encode(cred->session_token,
											  strlen(cred->session_token), false)) == NULL)
			return false;
		snprintf(sp->expires_str, sizeof(sp->expires_str), "%ld", expires);

		sigv4i_set_param(&sp->params[sp->nparams++], "X-Amz-Algorithm", SIGV4_ALGORITHM);
		sigv4i_set_param(&sp->params[sp->nparams++], "X-Amz-Credential", sp->enc_credential);
		sigv4i_set_param(&sp->params[sp->nparams++], "X-Amz-Date", req->amz_date);
		sigv4i_set_param(&sp->params[sp->nparams++], "X-Amz-Expires", sp->expires_str);
		sigv4i_set_param(&sp->params[sp->nparams++], "X-Amz-SignedHeaders", sp->enc_signed);
		if (sp->have_token)
			sigv4i_set_param(&sp->params[sp->nparams++], "X-Amz-Security-Token", sp->enc_token);
	}
	if (sp->nparams > 0)
		memcpy(sp->sorted, sp->params, (size_t) sp->nparams * sizeof(qparam));
	qsort(sp->sorted, (size_t) sp->nparams, sizeof(qparam), sigv4i_qparam_cmp);
	return true;
}

/* Stage 4: the canonical request. */
static char *
make_canonical_request(const sigv4_request *req, const sign_parts *sp)
{
	cbuf		sb;
	int			i;

	cbuf_init(&sb);
	cbuf_append(&sb, req->method);
	cbuf_append_char(&sb, '\n');
	cbuf_append(&sb, req->path);
	cbuf_append_char(&sb, '\n');
	for (i = 0; i < sp->nparams; i++)
	{
		if (i > 0)
			cbuf_append_char(&sb, '&');
		sigv4i_append_param(&sb, &sp->sorted[i], false);
	}
	cbuf_append_char(&sb, '\n');
	cbuf_append(&sb, sp->canonical_headers);
	cbuf_append_char(&sb, '\n');
	cbuf_append(&sb, sp->signed_headers);
	cbuf_append_char(&sb, '\n');
	cbuf_append(&sb, sp->presign ? SIGV4_UNSIGNED_PAYLOAD : req->payload_sha256);
	return cbuf_finish(&sb);
}

/* Stage 5: the string to sign, from the canonical request's hash. */
static char *
make_string_to_sign(const sigv4_request *req, const sign_parts *sp, const char *canonical)
{
	unsigned char digest[32];
	char		hash[65];
	cbuf		sb;

	if (!digest_sha256(canonical, strlen(canonical), digest))
		return NULL;
	digest_hex(digest, 32, hash);
	cbuf_init(&sb);
	cbuf_append(&sb, SIGV4_ALGORITHM "\n");
	cbuf_append(&sb, req->amz_date);
	cbuf_append_char(&sb, '\n');
	cbuf_append(&sb, sp->scope);
	cbuf_append_char(&sb, '\n');
	cbuf_append(&sb, hash);
	return cbuf_finish(&sb);
}

/*
 * Stage 6: what the caller sends, with the signature: the whole query
 * string (presign, signature last) or the Authorization header's value.
 */
static bool
make_output(const sigv4_credentials *cred, const sign_parts *sp, sigv4_result *res)
{
	cbuf		sb;
	int			i;

	cbuf_init(&sb);
	if (sp->presign)
	{
		for (i = 0; i < sp->nparams; i++)
		{
			sigv4i_append_param(&sb, &sp->params[i], true);
			cbuf_append_char(&sb, '&');
		}
		cbuf_append(&sb, "X-Amz-Signature=");
		cbuf_append(&sb, res->signature);
		return (res->presigned_query = cbuf_finish(&sb)) != NULL;
	}
	cbuf_append(&sb, SIGV4_ALGORITHM " Credential=");
	cbuf_append(&sb, cred->access_key_id);
	cbuf_append_char(&sb, '/');
	cbuf_append(&sb, sp->scope);
	cbuf_append(&sb, ", SignedHeaders=");
	cbuf_append(&sb, sp->signed_headers);
	cbuf_append(&sb, ", Signature=");
	cbuf_append(&sb, res->signature);
	return (res->authorization = cbuf_finish(&sb)) != NULL;
}

/*
 * Sign in header mode or presign mode: the stages above, in order.  On
 * failure nothing is left to free in *out.
 */
static int
sign_common(const sigv4_request *req, const sigv4_credentials *cred,
			bool presign, long expires, sigv4_result *out)
{
	sign_parts	sp;
	sigv4_result res;
	bool		ok;

	if (out == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	if (!valid_request(req, cred, presign))
		return -1;
	if (presign && (expires < 1 || expires > SIGV4_MAX_EXPIRES))
		return -1;

	memset(&sp, 0, sizeof(sp));
	memset(&res, 0, sizeof(res));
	sp.presign = presign;
	sp.have_token = !sigv4i_is_empty(cred->session_token);
	memcpy(sp.date, req->amz_date, 8);
	sp.date[8] = '\0';

	ok = collect_headers(req, cred, &sp) &&
		make_scope(req, &sp) &&
		collect_params(req, cred, expires, &sp) &&
		(res.canonical_request = make_canonical_request(req, &sp)) != NULL &&
		(res.string_to_sign = make_string_to_sign(req, &sp, res.canonical_request)) != NULL &&
		compute_signature(cred, sp.date, req, res.string_to_sign, res.signature) &&
		make_output(cred, &sp, &res) &&
		(res.signed_headers = sigv4i_dup_string(sp.signed_headers)) != NULL;
	parts_free(&sp);
	if (!ok)
	{
		sigv4_result_free(&res);
		return -1;
	}
	*out = res;
	return 0;
}

int
sigv4_sign(const sigv4_request *req, const sigv4_credentials *cred,
		   sigv4_result *out)
{
	return sign_common(req, cred, false, 0, out);
}

int
sigv4_presign(const sigv4_request *req, const sigv4_credentials *cred,
			  long expires, sigv4_result *out)
{
	return sign_common(req, cred, true, expires, out);
}
