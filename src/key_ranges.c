/*-------------------------------------------------------------------------
 *
 * key_ranges.c
 *		The bounds that split what is left of a listing into partitions:
 *		sub-ranges of the key space that s3_list_ranges.c lists at once,
 *		each with start-after from its lower bound, stopped at its upper.
 *
 * S3 says nothing of where its keys are; a page of them is all there is to
 * go on.  The page's entries share a prefix and vary from some byte on (a
 * page of "obj/0000000" ... "obj/0000999" varies from the eighth): the keys
 * after it most likely go on varying there, and in the characters the page
 * shows.  So the bounds are the page's last entry cut at a character and
 * continued by a greater character of the page's alphabet ("obj/001",
 * "obj/002", ... then "obj/01", "obj/02", ...): partitions near the page
 * are small, further ones larger, and a partition that turns out large is
 * split again from its own first page.  A guess only decides how much each
 * partition holds, never what the listing gives: any increasing bounds
 * partition the keys exactly.
 *
 * Every bound is valid UTF-8 (a server may read the parameter as text),
 * starts with the listing's prefix, is at most 1,024 bytes long, and holds
 * no delimiter after the prefix.  That last rule keeps a delimiter listing
 * exact: a common prefix P (which ends with the delimiter) is then either
 * below a bound or above it with every key under P, so no group of keys
 * straddles two partitions and each common prefix is listed once.
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "key_ranges.h"
#include "s3_names.h"

/* The length of the valid UTF-8 character at s (avail bytes), or 0 */
static size_t
utf8_char(const unsigned char *s, size_t avail)
{
	size_t		len;
	size_t		i;

	if (avail == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4;
	else
		return 0;
	if (avail < len)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	/* no overlong forms, no surrogates, nothing above U+10FFFF */
	if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) ||
		(s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F))
		return 0;
	return len;
}

bool
s3_utf8_valid(const char *s, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		size_t		n = utf8_char((const unsigned char *) s + i, len - i);

		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

/* Where the character before byte pos of s starts */
static size_t
char_before(const char *s, size_t pos)
{
	if (pos == 0)
		return 0;
	pos--;
	while (pos > 0 && (((unsigned char) s[pos]) & 0xC0) == 0x80)
		pos--;
	return pos;
}

/* The bytes a and b share, cut back to the start of a character of a */
size_t
s3_key_common_prefix(const char *a, const char *b)
{
	size_t		n = 0;

	while (a[n] != '\0' && a[n] == b[n])
		n++;
	while (n > 0 && (((unsigned char) a[n]) & 0xC0) == 0x80)
		n--;
	return n;
}

void
s3_key_alphabet_init(s3_key_alphabet *a)
{
	a->n = 0;
}

/* Compare a character (NUL-terminated) with len bytes of another */
static int
char_cmp(const char *c, const char *other, size_t len)
{
	size_t		clen = strlen(c);
	int			r = memcmp(c, other, clen < len ? clen : len);

	if (r != 0)
		return r;
	return clen < len ? -1 : clen > len ? 1 : 0;
}

/*
 * Add the characters of s from byte from on; the alphabet stays sorted.
 * It stops at an invalid byte, and takes no more than S3_ALPHABET_MAX.
 */
void
s3_key_alphabet_add(s3_key_alphabet *a, const char *s, size_t from)
{
	size_t		len = strlen(s);
	size_t		i = from < len ? from : len;

	while (i < len && (((unsigned char) s[i]) & 0xC0) == 0x80)
		i++;
	while (i < len)
	{
		size_t		n = utf8_char((const unsigned char *) s + i, len - i);
		int			lo = 0,
					hi = a->n;

		if (n == 0)
			return;
		while (lo < hi)
		{
			int			mid = (lo + hi) / 2;

			if (char_cmp(a->ch[mid], s + i, n) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo >= a->n || char_cmp(a->ch[lo], s + i, n) != 0)
		{
			if (a->n >= S3_ALPHABET_MAX)
				return;
			memmove(a->ch[lo + 1], a->ch[lo], sizeof(a->ch[0]) * (a->n - lo));
			memcpy(a->ch[lo], s + i, n);
			a->ch[lo][n] = '\0';
			a->n++;
		}
		i += n;
	}
}

/* The character of s at byte pos (len bytes, 0 at the end) */
static size_t
char_at(const char *s, size_t slen, size_t pos)
{
	return pos >= slen ? 0 : utf8_char((const unsigned char *) s + pos, slen - pos);
}

/*
 * Up to max bounds strictly between in->lo and in->hi, increasing, each
 * malloc'd into out; returns how many, or -1 when out of memory (none are
 * left allocated then).  The first bounds cut in->lo at the deepest
 * character where a partition is estimated to hold in->min_keys keys:
 * the sample's keys spread over the characters between its first and last
 * entry's at the byte where they differ, and each shallower character
 * multiplies that by the alphabet's size.  None when the input is not
 * UTF-8, or the alphabet is empty.
 */
int
s3_key_split(const s3_split_input *in, int max, char **out)
{
	const s3_key_alphabet *a = in->alphabet;
	const char *lo = in->lo;
	size_t		lo_len = strlen(lo);
	size_t		floor = in->prefix_len;
	size_t		m;
	size_t		pos;
	double		unit;
	int			count = 0;
	char		cand[S3_MAX_KEY_BYTES + 1];

	if (max <= 0 || a == NULL || a->n == 0 || lo_len < in->prefix_len ||
		!s3_utf8_valid(lo, lo_len) ||
		(in->hi != NULL && (!s3_utf8_valid(in->hi, strlen(in->hi)) || strcmp(lo, in->hi) >= 0)))
		return 0;
	if (in->hi != NULL)
	{
		size_t		c = s3_key_common_prefix(lo, in->hi);

		if (c > floor)
			floor = c;
	}

	/* the estimate: keys for each character at the byte the sample varies */
	m = in->first != NULL ? s3_key_common_prefix(in->first, lo) : lo_len;
	{
		size_t		flen = in->first ? strlen(in->first) : 0;
		size_t		fn = in->first ? char_at(in->first, flen, m) : 0;
		size_t		ln = char_at(lo, lo_len, m);
		int			span = 0;
		int			i;

		for (i = 0; i < a->n; i++)
			if ((fn == 0 || char_cmp(a->ch[i], in->first + m, fn) >= 0) &&
				(ln == 0 || char_cmp(a->ch[i], lo + m, ln) <= 0))
				span++;
		unit = (double) (in->sample_keys > 0 ? in->sample_keys : 1) / (span > 0 ? span : 1);
	}
	pos = m < floor ? floor : m;
	while (unit < (double) in->min_keys && pos > floor)
	{
		pos = char_before(lo, pos);
		unit *= a->n;
	}
	if (pos < floor)
		pos = floor;

	for (;;)
	{
		size_t		clen = char_at(lo, lo_len, pos);
		int			i;

		for (i = 0; i < a->n; i++)
		{
			size_t		alen = strlen(a->ch[i]);

			if (clen > 0 && char_cmp(a->ch[i], lo + pos, clen) <= 0)
				continue;
			if (pos + alen > S3_MAX_KEY_BYTES)
				continue;
			memcpy(cand, lo, pos);
			memcpy(cand + pos, a->ch[i], alen + 1);
			if (in->hi != NULL && strcmp(cand, in->hi) >= 0)
				return count;	/* and every later one is greater still */
			if (in->delimiter != NULL && in->delimiter[0] != '\0' &&
				strstr(cand + in->prefix_len, in->delimiter) != NULL)
				continue;
			if (count == max)
				return count;
			if ((out[count] = strdup(cand)) == NULL)
			{
				while (count > 0)
					free(out[--count]);
				return -1;
			}
			count++;
		}
		if (pos <= floor)
			break;
		pos = char_before(lo, pos);
	}
	return count;
}
