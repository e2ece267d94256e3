/*
 * fuzz_ranges.c
 *		libFuzzer target: the bounds guessed for a partitioned listing
 *		(key_ranges.c: s3_key_places_add, s3_key_guess).
 *
 * The input: a control byte, a scale byte, then fields split at NUL bytes:
 * x, y, lo, hi, the delimiter, and the keys whose places are noted (a
 * page's).  The control byte picks the prefix's length (its low 4 bits:
 * 0-12, 1000, 1024 or 1030 bytes), whether an empty hi and an empty
 * delimiter are "" rather than none (0x10, 0x20), whether x, y and lo are
 * noted after the keys (0x40), and whether the keys are noted sorted, as S3
 * lists them, or as they come (0x80).  The scale byte is 0-7 for 1, 2, 4,
 * 12, 0, -3, INT_MAX, INT_MIN, else itself.
 *
 * Nothing may crash or read out of bounds, and every bound must keep the
 * contract: above lo, below hi, valid UTF-8, starting with lo's prefix, at
 * most 1,024 bytes, without the delimiter after the prefix; no bound with
 * a code other than 1-3.  The bounds past the groups lo is in (after the
 * bound, or y when there is none) keep the same contract, each above the
 * one before.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "key_ranges.h"
#include "s3_names.h"
#include "../ranges_contract.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static s3_key_places places;

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

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* A string's first bytes, escaped, to stderr */
static void
print_escaped(const char *what, const char *s)
{
	int			i;

	fprintf(stderr, " %s=", what);
	if (s == NULL)
	{
		fprintf(stderr, "(none)");
		return;
	}
	fputc('"', stderr);
	for (i = 0; s[i] != '\0' && i < 120; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	fprintf(stderr, "%s\"", s[i] != '\0' ? "..." : "");
}

static void
violation(const char *why, const s3_guess_input *in, int rc, const char *out)
{
	fprintf(stderr, "fuzz_ranges: rc %d, %s: from=%zu scale=%d", rc, why, in->places->from, in->scale);
	print_escaped("bound", out);
	print_escaped("x", in->x);
	print_escaped("y", in->y);
	print_escaped("lo", in->lo);
	print_escaped("hi", in->hi);
	print_escaped("delimiter", in->delimiter);
	fputc('\n', stderr);
	abort();
}

/*
 * A bound b (a guess's, or a group end's: what names it) that breaks the
 * contract (ranges_contract.h) is a violation
 */
static void
check_bound(const char *what, const s3_guess_input *in, int rc, const char *b, const char *above)
{
	static char why[128];
	const char *broken = bound_breaks(b, above, in->lo, in->hi, in->places->from, in->delimiter);

	if (broken == NULL)
		return;
	snprintf(why, sizeof(why), "%s%s", what, broken);
	violation(why, in, rc, b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t froms[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1000, 1024, 1030};
	static const int scales[8] = {1, 2, 4, 12, 0, -3, INT_MAX, INT_MIN};
	char	   *buf;
	const char *p,
			   *end;
	const char **keys;
	int			nkeys = 0,
				i,
				rc;
	unsigned	ctl;
	size_t		from;
	s3_guess_input in;
	char	   *out = NULL;

	if (size < 2 || size > 16384)
		return 0;
	ctl = data[0];
	from = froms[ctl & 15];
	buf = malloc(size - 1);
	memcpy(buf, data + 2, size - 2);
	buf[size - 2] = '\0';
	p = buf;
	end = buf + size - 2;

	memset(&in, 0, sizeof(in));
	in.x = field(&p, end);
	in.y = field(&p, end);
	in.lo = field(&p, end);
	in.hi = field(&p, end);
	in.delimiter = field(&p, end);
	in.scale = data[1] < 8 ? scales[data[1]] : data[1];
	in.places = &places;
	if (in.hi[0] == '\0' && !(ctl & 0x10))
		in.hi = NULL;
	if (in.delimiter[0] == '\0' && !(ctl & 0x20))
		in.delimiter = NULL;

	keys = malloc(sizeof(char *) * (size + 3));
	while (p < end)
		keys[nkeys++] = field(&p, end);
	if (ctl & 0x80)
		qsort(keys, nkeys, sizeof(char *), cmp_str);
	if (ctl & 0x40)
	{
		keys[nkeys++] = in.x;
		keys[nkeys++] = in.y;
		keys[nkeys++] = in.lo;
	}
	s3_key_places_init(&places, from);
	for (i = 0; i < nkeys; i++)
		s3_key_places_add(&places, keys[i]);

	rc = s3_key_guess(&in, &out);
	if (rc < -1 || rc > 3)
		violation("not a return code", &in, rc, out);
	if (rc <= 0 && out != NULL)
		violation("a bound with no bound returned", &in, rc, out);
	if (rc >= 1)
	{
		if (out == NULL)
			violation("no bound", &in, rc, out);
		check_bound("", &in, rc, out, in.lo);
	}
	/* the groups past: after the bound, or y */
	{
		char	   *ends[8];
		const char *past = rc >= 1 ? out : in.y;
		int			n = s3_key_group_ends(in.lo, past, in.hi, from, in.delimiter, ends, 8),
					k;

		if (n < -1 || n > 8)
			violation("group ends: not a count", &in, n, NULL);
		for (k = 0; k < n; k++)
			check_bound("group end ", &in, n, ends[k], k > 0 ? ends[k - 1] : past);
		for (k = 0; k < n; k++)
			free(ends[k]);
	}
	free(out);
	free(keys);
	free(buf);
	return 0;
}
