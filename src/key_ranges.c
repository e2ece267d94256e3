/*-------------------------------------------------------------------------
 *
 * key_ranges.c
 *		Where to cut what is left of a listing into partitions: sub-ranges of
 *		the key space that s3_list_ranges.c lists at once, each with
 *		start-after from its lower bound, stopped at its upper.
 *
 * S3 says nothing of where its keys are, but each page says how far a
 * thousand keys reach just there: from its first key to its last.  The
 * next thousand likely reach as far again.  "As far" is measured by reading
 * keys as numbers: each byte place after the prefix is a digit whose values
 * are the bytes seen so far at that place, in keys of the same shape (the
 * classes of the bytes before it) after the same byte, and byte 0 where
 * keys were seen to end there ("data" before "data/").  A place where
 * every key has the same byte, as the "/" of a path, is then a digit of
 * one value, which carries nothing.  So a month's digits go on from "12"
 * to the next year, not to "13", once months were seen, and an hour's
 * from "23" to the next day.  A
 * guess is added to the partition's lower bound as a number, carries and
 * all, and read back as a key.  A carry above the places where the page's
 * keys differ went past the group of keys lo is in: the guess is then where
 * the next group starts (the digits below mean nothing there).  While few
 * keys of a shape were seen, the next byte after the greatest seen is
 * allowed too (a counter goes on, a name has a sibling: "data!" after
 * "data x/"), and such a guess is marked, so that no further guess is
 * stacked on it before a page shows what is there.  Past such a group,
 * s3_key_group_ends() gives the bounds just past each "/"-group lo is in,
 * so that the first pages after them show the next groups at every level
 * at once.
 *
 * A guess only decides how much each partition holds, never what the
 * listing gives: any increasing bounds partition the keys exactly, and a
 * page that reaches past its partition's bound hands its keys to the
 * partitions it covers (s3_list_ranges.c), so that a guess too short costs
 * a request and a guess too long a partition of several pages, cut again
 * from its own pages.
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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "key_ranges.h"
#include "s3_names.h"

/* a byte that goes on a character begun before it */
#define IS_CONTINUATION(b) ((((unsigned char) (b)) & 0xC0) == 0x80)

/* A set of bytes: 256 bits in four uint64_t */
#define BYTE_BIT(b) (UINT64_C(1) << ((b) & 63))
#define HAS_BYTE(set, b) (((set)[(b) >> 6] & BYTE_BIT(b)) != 0)
#define ADD_BYTE(set, b) ((set)[(b) >> 6] |= BYTE_BIT(b))

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
s3_key_places_init(s3_key_places *p, size_t from)
{
	memset(p, 0, sizeof(*p));
	p->from = from;
}

/*
 * The class of a byte in a key's shape: digits and letters are one class
 * (a counter's and a name's characters alike), bytes of multibyte
 * characters another, every other byte its own ("/", "-", "=", ".")
 */
static unsigned char
shape_class(unsigned char b)
{
	if ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'))
		return 'x';
	if (b >= 0x80)
		return 0x80;
	return b;
}

/* The shape hash of a key's bytes before a place, one byte further */
#define SHAPE_START UINT64_C(14695981039346656037)
static uint64_t
shape_next(uint64_t h, unsigned char b)
{
	return (h ^ shape_class(b)) * UINT64_C(1099511628211);
}

/*
 * The bytes noted for (shape, place) in generation gen: made when make is
 * true and there is room, else NULL
 */
static uint64_t *
noted_in(s3_key_places *p, int gen, uint64_t shape, int place, bool make)
{
	uint64_t	tag = ((shape ^ ((uint64_t) place * UINT64_C(0x9E3779B97F4A7C15))) | 1);
	int			i = (int) ((tag >> 17) % S3_PLACE_SLOTS);
	int			k;

	for (k = 0; k < S3_PLACE_SLOTS; k++, i = (i + 1) % S3_PLACE_SLOTS)
	{
		if (p->tag[gen][i] == tag)
			return p->seen[gen][i];
		if (p->tag[gen][i] == 0)
		{
			if (!make || p->used >= S3_PLACE_SLOTS * 3 / 4)
				return NULL;
			p->tag[gen][i] = tag;
			p->used++;
			return p->seen[gen][i];
		}
	}
	return NULL;
}

/*
 * Add the bytes noted for (shape, place) in both generations to set, and
 * how many keys were noted there to *count (if not NULL); false if none
 */
static bool
noted(const s3_key_places *p, uint64_t shape, int place, uint64_t *set, uint64_t *count)
{
	bool		any = false;
	int			gen,
				k;

	for (gen = 0; gen < 2; gen++)
	{
		uint64_t   *s = noted_in((s3_key_places *) p, gen, shape, place, false);

		if (s == NULL)
			continue;
		for (k = 0; k < 4; k++)
			set[k] |= s[k];
		if (count)
			*count += s[4];
		any = true;
	}
	return any;
}

/*
 * The context of a place: the shape before the byte before it, and that
 * byte itself.  A counter's digits then take the values they take after
 * the digit before ("1" goes on with 0-2 in a month, "2" with 0-3 in an
 * hour), where the shape alone would allow every digit.
 */
static uint64_t
context_of(uint64_t shape_before, unsigned char b)
{
	return ((shape_before ^ (UINT64_C(0xA5A5000000000000) | b)) * UINT64_C(1099511628211)) ^
		UINT64_C(0x5bd1e995);
}

/*
 * Note the bytes of key at each place (after the prefix), by shape and
 * context.  Keys come in order: only the places down to a few past where a
 * key parts from the one before are noted (deeper, a key's bytes are its
 * own, of no use to a guess), and when the slots run low the older of two
 * generations is forgotten: the keys listed last are the ones a guess
 * looks like.
 */
void
s3_key_places_add(s3_key_places *p, const char *key)
{
	size_t		len = strlen(key);
	uint64_t	h = SHAPE_START;
	uint64_t	before = 0;
	size_t		i,
				j,
				cp = p->from;

	/* the older generation goes, the newer stays to be looked up */
	if (p->used >= S3_PLACE_SLOTS / 2)
	{
		p->cur = 1 - p->cur;
		memset(p->tag[p->cur], 0, sizeof(p->tag[0]));
		memset(p->seen[p->cur], 0, sizeof(p->seen[0]));
		p->used = 0;
		p->cached = 0;
	}
	while (cp < len && cp - p->from < p->last_len && key[cp] == p->last[cp - p->from])
		cp++;

	/*
	 * The places before cp have the bytes, shapes and contexts they had in
	 * the key before: its slots (those it noted) only count one more key
	 */
	j = cp - p->from < (size_t) p->cached ? cp - p->from : (size_t) p->cached;
	for (i = 0; i < j; i++)
		if (p->slot[i] != NULL)
			p->slot[i][4]++;
	if (j > 0)
	{
		h = p->shape_at[j];
		before = p->shape_at[j - 1];
	}
	for (i = p->from + j; i <= len && i - p->from < S3_PLACES && i < cp + S3_PLACES_PAST; i++)
	{
		/* where the key ends, byte 0: "ended" is one of the place's values */
		unsigned char b = i < len ? (unsigned char) key[i] : 0;
		int			place = (int) (i - p->from);
		uint64_t   *s = noted_in(p, p->cur, h, place, true);

		p->slot[place] = s;
		p->shape_at[place] = h;
		if (s != NULL)
		{
			ADD_BYTE(s, b);
			s[4]++;
		}
		if (place > 0 &&
			(s = noted_in(p, p->cur, context_of(before, (unsigned char) key[i - 1]), place, true)) != NULL)
			ADD_BYTE(s, b);
		before = h;
		h = shape_next(h, b);
	}
	p->cached = (int) (i - p->from);
	p->shape_at[p->cached] = h;
	p->last_len = len > p->from ? len - p->from : 0;
	if (p->last_len > S3_PLACES)
		p->last_len = S3_PLACES;
	memcpy(p->last, key + p->from, p->last_len);
}

static int
popcount64(uint64_t v)
{
	int			n = 0;

	while (v)
	{
		v &= v - 1;
		n++;
	}
	return n;
}

/* The bytes a place takes, as a set of 256 bits */
typedef struct place_set
{
	uint64_t	b[4];
} place_set;

/* How many values a place takes: its bytes and "ended" */
static int
radix(const place_set *s)
{
	return popcount64(s->b[0]) + popcount64(s->b[1]) + popcount64(s->b[2]) + popcount64(s->b[3]);
}

/* The digit of byte b at a place: how many of the place's bytes are below it */
static int
digit_of(const place_set *s, unsigned char b)
{
	int			w = b >> 6;
	int			n = 0;
	int			k;

	for (k = 0; k < w; k++)
		n += popcount64(s->b[k]);
	return n + popcount64(s->b[w] & (BYTE_BIT(b) - 1));
}

/* The byte of digit d (from 0) at a place, or -1 */
static int
byte_of(const place_set *s, int d)
{
	int			b;

	for (b = 0; b < 256; b++)
		if (HAS_BYTE(s->b, b))
			if (d-- == 0)
				return b;
	return -1;
}

/* The greatest byte a place takes, or -1 */
static int
greatest_byte(const place_set *s)
{
	int			b;

	for (b = 255; b >= 0; b--)
		if (HAS_BYTE(s->b, b))
			return b;
	return -1;
}

/* The digits of s after the prefix, into n places */
static void
digits(const place_set *sets, size_t from, const char *s, int *d, int n)
{
	size_t		len = strlen(s);
	int			i;

	for (i = 0; i < n; i++)
	{
		d[i] = digit_of(&sets[i], from + i < len ? (unsigned char) s[from + i] : 0);
		/* a byte above every byte of the place counts as its greatest */
		if (d[i] >= radix(&sets[i]))
			d[i] = radix(&sets[i]) - 1;
	}
}

/*
 * A bound about scale times as far after in->lo as in->y is after in->x, strictly
 * between in->lo and in->hi: into *out (malloc'd) and 1, or 0 when there is
 * none (the guess goes past the prefix's keys, or lands on lo or past hi),
 * or -1 when out of memory; 2 instead of 1 when the guess went past the
 * group of keys lo is in (their common prefix up to the place where y - x
 * starts), and is where the next group starts: the page says nothing of
 * how far keys reach there; 3 when that group's first byte was never seen
 * there (a counter guessed to go on: it may well not).
 */
int
s3_key_guess(const s3_guess_input *in, char **out)
{
	const s3_key_places *p = in->places;
	size_t		from = p->from;
	place_set	sets[S3_PLACES];
	place_set	unseen[S3_PLACES];	/* bytes of sets not seen: a counter's
									 * next values guessed */
	uint64_t	h = SHAPE_START;
	uint64_t	before = 0;
	unsigned char prev = 0;
	size_t		lo_len = strlen(in->lo);
	size_t		y_len = strlen(in->y);
	int			x[S3_PLACES],
				y[S3_PLACES],
				g[S3_PLACES];
	uint64_t	count;
	int			n = 0,
				i,
				k,
				top,
				carry;
	bool		any = false,
				jump = false,
				unseen_jump = false;
	char		buf[S3_MAX_KEY_BYTES + S3_PLACES + 1];
	size_t		len,
				ok;
	const char *lens[3];
	char	   *d;

	*out = NULL;
	lens[0] = in->x;
	lens[1] = in->y;
	lens[2] = in->lo;
	for (i = 0; i < 3; i++)
	{
		size_t		l = strlen(lens[i]);

		if (l < from || strncmp(lens[i], in->lo, from) != 0)
			return 0;
		if ((int) (l - from) > n)
			n = (int) (l - from) < S3_PLACES ? (int) (l - from) : S3_PLACES;
	}
	if (from > S3_MAX_KEY_BYTES)
		return 0;
	/* places far below where x and y part weigh nothing */
	i = (int) s3_key_common_prefix(in->x, in->y) - (int) from + S3_GUESS_PLACES;
	if (i < n)
		n = i < 0 ? 0 : i;

	/*
	 * Each place's values: the bytes seen there in keys of lo's context (or
	 * else of its shape) so far, and lo's own (y's past lo's end)
	 */
	memset(sets, 0, sizeof(sets));
	memset(unseen, 0, sizeof(unseen));
	for (i = 0; i < n; i++)
	{
		/* past lo's end, the shape goes on as y's */
		unsigned char b = from + i < lo_len ? (unsigned char) in->lo[from + i] :
			from + i < y_len ? (unsigned char) in->y[from + i] : 0;

		/*
		 * The bytes seen after this context, and above them those seen
		 * in this shape: a counter goes on past what was seen so far
		 */
		count = 0;
		if (i > 0 && noted(p, context_of(before, prev), i, sets[i].b, NULL))
		{
			place_set	shape;

			memset(&shape, 0, sizeof(shape));
			noted(p, h, i, shape.b, &count);
			/* seen in this shape, not after this byte: not known here */
			for (k = greatest_byte(&sets[i]) + 1; k < 256; k++)
				if (HAS_BYTE(shape.b, k))
				{
					ADD_BYTE(sets[i].b, k);
					ADD_BYTE(unseen[i].b, k);
				}
		}
		else
			noted(p, h, i, sets[i].b, &count);
		if (b != 0)
		{
			/*
			 * Nothing seen above lo's byte while few keys of this shape were
			 * seen: the next byte may follow (a counter goes on, a name has
			 * a sibling).  Once many were seen, what they show is what there
			 * is (months end at 12, a fixed part stays fixed).
			 */
			/* printable ASCII, a digit or letter staying one (not past 9, z, Z) */
			int			next = b >= 0x20 && b < 0x7E && b != '9' && b != 'z' && b != 'Z' ? b + 1 : 0;

			if (next != 0 && greatest_byte(&sets[i]) <= b &&
				(radix(&sets[i]) - HAS_BYTE(sets[i].b, 0) >= 2 || count < S3_FIXED_AFTER))
			{
				ADD_BYTE(sets[i].b, next);
				ADD_BYTE(unseen[i].b, next);
			}
			ADD_BYTE(sets[i].b, b);
			before = h;
			prev = b;
			h = shape_next(h, b);
		}
		/* nothing known here (lo ended, nothing noted): only "ended" */
		if (radix(&sets[i]) == 0)
			ADD_BYTE(sets[i].b, 0);
	}

	/* g = y - x */
	digits(sets, from, in->x, x, n);
	digits(sets, from, in->y, y, n);
	carry = 0;
	for (i = n - 1; i >= 0; i--)
	{
		g[i] = y[i] - x[i] - carry;
		carry = g[i] < 0;
		if (carry)
			g[i] += radix(&sets[i]);
		any |= g[i] != 0;
	}
	if (carry || !any)
		return 0;

	/* g *= scale */
	for (i = n - 1; i >= 0; i--)
	{
		long		v = (long) g[i] * (in->scale > 1 ? in->scale : 1) + carry;

		g[i] = (int) (v % radix(&sets[i]));
		carry = (int) (v / radix(&sets[i]));
	}
	if (carry)
		return 0;

	/* g += lo */
	for (top = 0; top < n && g[top] == 0; top++)
		;
	digits(sets, from, in->lo, x, n);
	carry = 0;
	for (i = n - 1; i >= 0; i--)
	{
		g[i] += x[i] + carry;
		carry = g[i] >= radix(&sets[i]);
		if (carry)
			g[i] -= radix(&sets[i]);
	}
	if (carry)
		return 0;

	/*
	 * A carry above the guess's own places went past the group of keys lo
	 * is in: what follows in the next group is not known, so the guess is
	 * where that group starts
	 */
	for (i = 0; i < top && g[i] == x[i]; i++)
		;
	if (i < top)
	{
		int			b = byte_of(&sets[i], g[i]);

		jump = true;
		unseen_jump = b > 0 && HAS_BYTE(unseen[i].b, b);
		for (i = i + 1; i < n; i++)
			g[i] = 0;
	}

	/*
	 * Read back as a key: the smallest digits at its end are dropped (it is
	 * then where their group starts), and byte 0 ("ended") ends it, unless
	 * digits follow (lo ended there, the page's keys go on): then the
	 * place's smallest byte
	 */
	while (n > 0 && g[n - 1] == 0)
		n--;
	memcpy(buf, in->lo, from);
	len = from;
	for (i = 0; i < n; i++)
	{
		int			b = byte_of(&sets[i], g[i]);

		/* "ended" with digits after it: the place's smallest byte */
		if (b == 0 && i < n - 1)
			b = byte_of(&sets[i], 1);
		if (b <= 0)
			break;
		buf[len++] = (char) b;
	}
	buf[len] = '\0';

	/* cut at the first byte that is not UTF-8, and before a delimiter */
	for (ok = from; ok < len;)
	{
		size_t		c = utf8_char((const unsigned char *) buf + ok, len - ok);

		if (c == 0)
			break;
		ok += c;
	}
	buf[ok] = '\0';
	len = ok;
	if (in->delimiter != NULL && in->delimiter[0] != '\0' &&
		(d = strstr(buf + from, in->delimiter)) != NULL)
	{
		*d = '\0';
		len = d - buf;
	}
	if (len > S3_MAX_KEY_BYTES || !s3_utf8_valid(buf, len) || strcmp(buf, in->lo) <= 0 ||
		(in->hi != NULL && strcmp(buf, in->hi) >= 0))
		return 0;
	if ((*out = strdup(buf)) == NULL)
		return -1;
	return unseen_jump ? 3 : jump ? 2 : 1;
}

/*
 * The bounds just past the groups of keys that lo is in and that also hold
 * past (a bound a guess gave above lo), from the innermost out: lo cut
 * before one of its "/" (after the prefix's from bytes), with the byte
 * before that one greater.  "a/b/c/d" is in the groups "a/b/c/", "a/b/" and
 * "a/", whose keys are all below "a/b/d", "a/c" and "b".  Only bounds that
 * keep the contract of s3_key_guess() are given: valid UTF-8, the prefix
 * kept, no delimiter after it, above past and each other, below hi (if not
 * NULL).  At most max into out[] (each malloc'd); returns how many, or -1
 * when out of memory.
 */
int
s3_key_group_ends(const char *lo, const char *past, const char *hi, size_t from,
				  const char *delimiter, char **out, int max)
{
	size_t		len = strlen(lo);
	size_t		pos;
	int			n = 0;
	char		buf[S3_MAX_KEY_BYTES + 1];

	if (len > S3_MAX_KEY_BYTES || strncmp(lo, past, from) != 0)
		return 0;
	/* pos - 1: a "/" of lo, in the bytes lo and past share */
	pos = s3_key_common_prefix(lo, past) + 1;
	for (pos = pos < len ? pos : len; pos > from + 1 && n < max; pos--)
	{
		unsigned char last = (unsigned char) lo[pos - 2];
		const char *above = n > 0 ? out[n - 1] : past;

		if (lo[pos - 1] != '/')
			continue;
		/* the byte made one greater stays one printable ASCII byte */
		if (last < 0x20 || last >= 0x7E)
			continue;
		memcpy(buf, lo, pos - 2);
		buf[pos - 2] = (char) (last + 1);
		buf[pos - 1] = '\0';
		if (!s3_utf8_valid(buf, pos - 1) ||
			(delimiter != NULL && delimiter[0] != '\0' && strstr(buf + from, delimiter) != NULL))
			continue;
		if (strcmp(buf, above) <= 0)
			continue;
		if (hi != NULL && strcmp(buf, hi) >= 0)
			break;
		if ((out[n] = strdup(buf)) == NULL)
		{
			while (n > 0)
				free(out[--n]);
			return -1;
		}
		n++;
	}
	return n;
}
