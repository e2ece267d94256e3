/*-------------------------------------------------------------------------
 *
 * key_ranges.c
 *		The bounds that split what is left of a listing into partitions:
 *		sub-ranges of the key space that s3_list_ranges.c lists at once,
 *		each with start-after from its lower bound, stopped at its upper.
 *
 * S3 says nothing of where its keys are.  The levels of the last key
 * listed say where the rest may be: after "data x/1.txt" come the keys
 * "data x/" continues with a greater character, then those "data x"
 * continues so, ... then those that start with a character above 'd'.  A
 * bound at each level's start ("data x/2", ..., "data!", "e") parts the
 * levels, and bounds spread over a level's characters ("e", "m", "t" at the
 * first) part its keys.  Shallow levels hold the most keys when they hold
 * any, so they come first; a partition that turns out large is split again
 * from its own first page, one that turns out empty costs one request.
 * The characters are those of the page's keys and the common ones (digits,
 * letters).  A guess only decides how much each partition holds, never
 * what the listing gives: any increasing bounds partition the keys exactly.
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

/* a byte that goes on a character begun before it */
#define IS_CONTINUATION(b) ((((unsigned char) (b)) & 0xC0) == 0x80)

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

/* The bytes a and b share, cut back to the start of a character of a */
size_t
s3_key_common_prefix(const char *a, const char *b)
{
	size_t		n = 0;

	while (a[n] != '\0' && a[n] == b[n])
		n++;
	while (n > 0 && IS_CONTINUATION(a[n]))
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

	while (i < len && IS_CONTINUATION(s[i]))
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

/*
 * Add the characters most keys are made of (digits, letters), which a page
 * may not show at the levels far from it ("img/" and "logs/" after a page
 * of "data/")
 */
void
s3_key_alphabet_add_common(s3_key_alphabet *a)
{
	s3_key_alphabet_add(a, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 0);
}

/* The character of s at byte pos (len bytes, 0 at the end) */
static size_t
char_at(const char *s, size_t slen, size_t pos)
{
	return pos >= slen ? 0 : utf8_char((const unsigned char *) s + pos, slen - pos);
}

/* Whether the character of the alphabet at i continues lo at byte pos into a bound */
static bool
bound_ok(const s3_split_input *in, size_t lo_len, size_t pos, size_t floor, int i,
		 char *cand)
{
	const char *c = in->alphabet->ch[i];
	size_t		alen = strlen(c);
	size_t		clen = char_at(in->lo, lo_len, pos);

	if (clen > 0 && char_cmp(c, in->lo + pos, clen) <= 0)
		return false;
	if (pos + alen > S3_MAX_KEY_BYTES)
		return false;
	memcpy(cand, in->lo, pos);
	memcpy(cand + pos, c, alen + 1);
	/* only at the floor can a bound reach hi: deeper, lo's own characters keep it below */
	if (pos == floor && in->hi != NULL && strcmp(cand, in->hi) >= 0)
		return false;
	if (in->delimiter != NULL && in->delimiter[0] != '\0' &&
		strstr(cand + in->prefix_len, in->delimiter) != NULL)
		return false;
	return true;
}

/*
 * Up to max bounds strictly between in->lo and in->hi, increasing, each
 * malloc'd into out; returns how many, or -1 when out of memory (none are
 * left allocated then).  A bound is lo cut at a character (a level) and
 * continued by a greater character of the alphabet.  The levels from the
 * shallowest (where lo and hi part, or the prefix ends) down to lo's end
 * each hold the keys that go on from lo's prefix up to them with a greater
 * character; a shallow level holds the most, when it holds any.  So half
 * of the bounds go, shallowest level first, to the smallest such character
 * of each level (the level's start: the ranges of the levels part), the
 * rest spread evenly over the characters of the shallowest levels (their
 * siblings part).  None when the input is not UTF-8 or the alphabet empty.
 */
int
s3_key_split(const s3_split_input *in, int max, char **out)
{
	const s3_key_alphabet *a = in->alphabet;
	const char *lo = in->lo;
	size_t		lo_len = strlen(lo);
	size_t		floor = in->prefix_len;
	size_t		levels[S3_MAX_KEY_BYTES + 1];
	int			valid[S3_MAX_KEY_BYTES + 1];	/* characters that make a bound */
	int			starts[S3_MAX_KEY_BYTES + 1];	/* 1: the level's smallest taken */
	int			spread[S3_MAX_KEY_BYTES + 1];	/* more taken, spread evenly */
	int			nlevels = 0;
	int			picked = 0;
	int			count = 0;
	int			l;
	char		cand[S3_MAX_KEY_BYTES + 1];
	size_t		pos;

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
	/* a bound is cut at a character of lo, never inside one */
	while (floor < lo_len && IS_CONTINUATION(lo[floor]))
		floor++;

	/* the levels, shallowest first, and how many characters each can take */
	for (pos = floor; pos <= lo_len; pos += pos < lo_len ? char_at(lo, lo_len, pos) : 1)
	{
		int			i;

		levels[nlevels] = pos;
		valid[nlevels] = 0;
		for (i = 0; i < a->n; i++)
			valid[nlevels] += bound_ok(in, lo_len, pos, floor, i, cand);
		starts[nlevels] = spread[nlevels] = 0;
		nlevels++;
		if (pos < lo_len && char_at(lo, lo_len, pos) == 0)
			break;				/* not UTF-8: checked above, never here */
	}
	/* half the bounds (at least one) to the levels' starts, shallowest first */
	for (l = 0; l < nlevels && picked < (max / 2 > 1 ? max / 2 : 1); l++)
		if (valid[l] > 0)
		{
			starts[l] = 1;
			picked++;
		}
	/* the rest spread over the shallowest levels' characters */
	for (l = 0; l < nlevels && picked < max; l++)
	{
		int			avail = valid[l] - starts[l];

		spread[l] = avail < max - picked ? avail : max - picked;
		picked += spread[l];
	}

	/* the bounds in order: the deepest level's first, each level's in order */
	for (l = nlevels - 1; l >= 0; l--)
	{
		int			avail = valid[l] - starts[l];
		int			rank = 0;
		int			next = 0;		/* the next spread bound to take */
		int			i;

		if (starts[l] + spread[l] == 0)
			continue;
		for (i = 0; i < a->n; i++)
		{
			bool		take;

			if (!bound_ok(in, lo_len, levels[l], floor, i, cand))
				continue;
			if (starts[l] && rank == 0)
				take = true;
			else
			{
				int			r = rank - starts[l];	/* among the spread ones */

				take = next < spread[l] &&
					r == (int) (((long) (next + 1) * avail) / (spread[l] + 1));
				if (take)
					next++;
			}
			rank++;
			if (!take)
				continue;
			if ((out[count] = strdup(cand)) == NULL)
			{
				while (count > 0)
					free(out[--count]);
				return -1;
			}
			count++;
		}
	}
	return count;
}
