/*
 * fuzz_ranges.c
 *		libFuzzer target: the bounds of a partitioned listing (key_ranges.c).
 *		The input is split at NUL bytes into lo, hi (empty: none), a switch
 *		("c": the common characters too), the alphabet's text and the
 *		delimiter; the first byte picks the prefix length and max.  Every bound
 *		must be above lo, below hi, increasing, valid UTF-8, at most 1,024
 *		bytes, with the prefix and without the delimiter after it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "key_ranges.h"
#include "s3_names.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
field(const char **p, const char *end)
{
	const char *s = *p;

	while (*p < end && **p != '\0')
		(*p)++;
	if (*p < end)
		(*p)++;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *buf;
	const char *p,
			   *end;
	const char *lo,
			   *hi,
			   *common,
			   *alpha_text,
			   *delim;
	s3_key_alphabet alpha;
	s3_split_input in;
	char	   *out[64];
	int			n,
				i;
	unsigned	ctl;

	if (size < 1 || size > 8192)
		return 0;
	ctl = data[0];
	buf = malloc(size + 1);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	p = buf;
	end = buf + size - 1;
	lo = field(&p, end);
	hi = field(&p, end);
	common = field(&p, end);
	alpha_text = field(&p, end);
	delim = field(&p, end);
	if (strlen(lo) > S3_MAX_KEY_BYTES || strlen(hi) > S3_MAX_KEY_BYTES)
	{
		free(buf);
		return 0;
	}

	s3_key_alphabet_init(&alpha);
	s3_key_alphabet_add(&alpha, alpha_text, ctl & 3);
	for (i = 1; i < alpha.n; i++)
		if (strcmp(alpha.ch[i - 1], alpha.ch[i]) >= 0)
			abort();			/* the alphabet is sorted, each once */
	memset(&in, 0, sizeof(in));
	in.lo = lo;
	in.hi = hi[0] ? hi : NULL;
	in.prefix_len = (ctl >> 2) & 7;
	in.delimiter = delim[0] ? delim : NULL;
	in.alphabet = &alpha;
	if (common[0] == 'c')
		s3_key_alphabet_add_common(&alpha);
	n = s3_key_split(&in, 1 + (ctl % 64), out);
	if (n < 0)
		abort();
	for (i = 0; i < n; i++)
	{
		if (strcmp(out[i], lo) <= 0 || (in.hi && strcmp(out[i], in.hi) >= 0) ||
			(i > 0 && strcmp(out[i], out[i - 1]) <= 0) ||
			!s3_utf8_valid(out[i], strlen(out[i])) || strlen(out[i]) > S3_MAX_KEY_BYTES ||
			strncmp(out[i], lo, in.prefix_len) != 0 ||
			(in.delimiter && strstr(out[i] + in.prefix_len, in.delimiter) != NULL))
			abort();
	}
	for (i = 0; i < n; i++)
		free(out[i]);
	free(buf);
	return 0;
}
