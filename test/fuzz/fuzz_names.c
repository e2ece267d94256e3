/*
 * fuzz_names.c
 *		libFuzzer target: the URL and key encoder and the naming rules.  The
 *		input is split at its first two NUL bytes into an endpoint, a bucket
 *		and a key; every rule runs on each part, and a request URL is built
 *		and signed from them.  The encoded path must decode back to the key.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "s3_names.h"
#include "s3_xml.h"
#include "sigv4.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
part(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nul = memchr(*p, 0, (size_t) (end - *p));
	size_t		len = (size_t) ((nul ? nul : end) - *p);
	char	   *s = malloc(len + 1);

	memcpy(s, *p, len);
	s[len] = '\0';
	*p = nul ? nul + 1 : end;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data,
			   *end = data + size;
	char	   *endpoint = part(&p, end);
	char	   *bucket = part(&p, end);
	char	   *key = part(&p, end);
	s3_endpoint ep;
	s3_target	t;
	char	   *enc;

	(void) s3_check_region(endpoint);
	(void) s3_check_role_arn(key);
	(void) s3_check_role_session_name(key);
	(void) s3_check_external_id(key);

	/* a Content-Range: what parses is consistent, what passes is what was asked */
	{
		s3_content_range cr;
		long long	first = (long long) (size % 64);

		if (s3_parse_content_range(key, &cr) == NULL &&
			((cr.first >= 0 && cr.last < cr.first) ||
			 (cr.total >= 0 && cr.last >= cr.total)))
			abort();
		if (s3_check_partial_answer(key, first, first + 9, -1, 10) == NULL &&
			(s3_parse_content_range(key, &cr) != NULL || cr.first != first || cr.last != first + 9))
			abort();
		(void) s3_check_unsatisfiable_answer(key, first);
	}

	enc = s3_uri_encode(key, strlen(key), true);
	if (enc != NULL)
	{
		size_t		dlen;
		char	   *dec = s3_uri_decode(enc, strlen(enc), &dlen);

		/* encoding then decoding gives the key back */
		if (dec == NULL || dlen != strlen(key) || memcmp(dec, key, dlen) != 0)
			abort();
		free(dec);
		free(enc);
	}

	if (s3_parse_endpoint(endpoint, &ep) == NULL &&
		s3_check_bucket_name(bucket) == NULL &&
		s3_check_key(key, strlen(key)) == NULL &&
		s3_build_target(&ep, key[0] & 1, bucket, key, "list-type=2", &t) == 0)
	{
		sigv4_request req;
		sigv4_credentials cred = {"AKIAFUZZ", "secret", NULL};
		sigv4_result res;

		memset(&req, 0, sizeof(req));
		req.method = "GET";
		req.host = t.host;
		req.path = t.path;
		req.query = "list-type=2";
		req.payload_sha256 = SIGV4_EMPTY_SHA256;
		req.region = "us-east-1";
		req.service = "s3";
		req.amz_date = "20261125T000000Z";
		if (sigv4_sign(&req, &cred, &res) == 0)
			sigv4_result_free(&res);
		if (sigv4_presign(&req, &cred, 60, &res) == 0)
			sigv4_result_free(&res);
		s3_target_free(&t);
	}
	free(endpoint);
	free(bucket);
	free(key);
	return 0;
}
