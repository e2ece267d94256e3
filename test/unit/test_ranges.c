/*
 * test_ranges.c
 *		Unit tests of key_ranges.c: the bounds that split a listing's key
 *		range into partitions.  Boundary cases by hand, then a brute-force
 *		check that partitions listed with start-after and cut at their upper
 *		bound give exactly the sequential listing, with and without a
 *		delimiter, over random keys with multibyte characters, keys that are
 *		prefixes of others, and bytes below '/'.
 */
#include <stdlib.h>
#include <string.h>

#include "key_ranges.h"
#include "s3_names.h"
#include "unit.h"

static int
split(const char *lo, const char *hi, size_t plen, const char *delim, const char *first,
	  size_t n, const char *alpha_from, size_t min_keys, int max, char **out)
{
	s3_key_alphabet a;
	s3_split_input in;

	s3_key_alphabet_init(&a);
	if (alpha_from)
		s3_key_alphabet_add(&a, alpha_from, 0);
	memset(&in, 0, sizeof(in));
	in.lo = lo;
	in.hi = hi;
	in.prefix_len = plen;
	in.delimiter = delim;
	in.first = first;
	in.sample_keys = n;
	in.alphabet = &a;
	in.min_keys = min_keys;
	return s3_key_split(&in, max, out);
}

static void
free_all(char **out, int n)
{
	while (n > 0)
		free(out[--n]);
}

/* every bound: increasing, within (lo, hi), valid UTF-8, with the prefix, no delimiter */
static void
check_bounds(const char *what, char **out, int n, const char *lo, const char *hi,
			 const char *prefix, const char *delim)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		CHECK(strcmp(out[i], lo) > 0, "%s: bound %d [%s] not above lo", what, i, out[i]);
		CHECK(hi == NULL || strcmp(out[i], hi) < 0, "%s: bound %d [%s] not below hi", what, i, out[i]);
		CHECK(i == 0 || strcmp(out[i], out[i - 1]) > 0, "%s: bound %d not increasing", what, i);
		CHECK(s3_utf8_valid(out[i], strlen(out[i])), "%s: bound %d not UTF-8", what, i);
		CHECK(strncmp(out[i], prefix, strlen(prefix)) == 0, "%s: bound %d lost the prefix", what, i);
		CHECK(strlen(out[i]) <= S3_MAX_KEY_BYTES, "%s: bound %d too long", what, i);
		CHECK(delim == NULL || strstr(out[i] + strlen(prefix), delim) == NULL,
			  "%s: bound %d [%s] holds the delimiter", what, i, out[i]);
	}
}

static void
test_cases(void)
{
	char	   *out[64];
	int			n;
	char		longkey[S3_MAX_KEY_BYTES + 1];

	/* a page of obj/0000000 .. obj/0000999: partitions of ~10 pages first */
	n = split("obj/0000999", NULL, 0, NULL, "obj/0000000", 1000, "0123456789", 2000, 64, out);
	/* obj/001..obj/009, obj/01..obj/09, obj/1..obj/9, obj0..obj9 */
	CHECK(n == 9 + 9 + 9 + 10, "digits: %d bounds", n);
	if (n >= 10)
	{
		CHECK_STR(out[0], "obj/001", "digits: first bound");
		CHECK_STR(out[8], "obj/009", "digits: ninth bound");
		CHECK_STR(out[9], "obj/01", "digits: a coarser level next");
	}
	check_bounds("digits", out, n, "obj/0000999", NULL, "", NULL);
	free_all(out, n);

	/* max: the nearest bounds, the rest left to the last partition */
	n = split("obj/0000999", NULL, 0, NULL, "obj/0000000", 1000, "0123456789", 2000, 4, out);
	CHECK(n == 4, "max: %d bounds", n);
	if (n == 4)
		CHECK_STR(out[3], "obj/004", "max: fourth bound");
	free_all(out, n);

	/* min_keys of one page: a deeper level (one page a partition) */
	n = split("obj/0000999", NULL, 0, NULL, "obj/0000000", 1000, "0123456789", 1, 3, out);
	CHECK(n == 3, "fine: %d bounds", n);
	if (n == 3)
		CHECK_STR(out[0], "obj/0001", "fine: no digit above the last one's 9: the next level");
	free_all(out, n);

	/* an upper bound: only what lies below it */
	n = split("a/5", "a/7", 0, NULL, "a/1", 10, "0123456789", 1, 64, out);
	CHECK(n == 1, "hi: %d bounds", n);
	if (n == 1)
		CHECK_STR(out[0], "a/6", "hi: the one bound");
	check_bounds("hi", out, n, "a/5", "a/7", "", NULL);
	free_all(out, n);

	/* lo a prefix of hi: bounds that extend lo */
	n = split("a", "ab", 0, NULL, "a", 1, "ab", 1, 64, out);
	CHECK(n == 1, "prefix of hi: %d bounds", n);
	if (n == 1)
		CHECK_STR(out[0], "aa", "prefix of hi: extends lo");
	free_all(out, n);

	/* nothing between: lo >= hi, or no character fits */
	CHECK(split("b", "a", 0, NULL, "a", 1, "ab", 1, 64, out) == 0, "lo above hi");
	CHECK(split("a", "a", 0, NULL, "a", 1, "ab", 1, 64, out) == 0, "lo equal to hi");
	CHECK(split("az", "b", 0, NULL, "a", 1, "az", 1, 64, out) == 0, "no character between az and b");
	CHECK(split("a", NULL, 0, NULL, "a", 1, NULL, 1, 64, out) == 0, "an empty alphabet");
	CHECK(split("a", NULL, 0, NULL, "a", 1, "b", 1, 0, out) == 0, "max 0");

	/* the prefix is never cut */
	n = split("logs/x9", NULL, 5, NULL, "logs/x1", 10, "xyz0123456789", 1, 64, out);
	check_bounds("prefix", out, n, "logs/x9", NULL, "logs/", NULL);
	CHECK(n > 0, "prefix: %d bounds", n);
	free_all(out, n);
	CHECK(split("log", NULL, 5, NULL, "log", 1, "ab", 1, 64, out) == 0, "lo shorter than the prefix");

	/* a delimiter is never in a bound after the prefix */
	n = split("p/a-b", NULL, 2, "-", "p/a-a", 10, "ab-/", 1, 64, out);
	check_bounds("delimiter", out, n, "p/a-b", NULL, "p/", "-");
	CHECK(n > 0, "delimiter: %d bounds", n);
	free_all(out, n);
	/* ... a common prefix as lo (it ends with the delimiter) */
	n = split("x/", NULL, 0, "/", "x/", 1, "x/yz", 1, 64, out);
	check_bounds("common prefix", out, n, "x/", NULL, "", "/");
	CHECK(n > 0 && strcmp(out[0], "xx") == 0, "common prefix: first bound [%s]", n > 0 ? out[0] : "");
	free_all(out, n);

	/* multibyte: cut at characters, continued by whole characters */
	n = split("d\xc3\xa9" "1", NULL, 0, NULL, "d\xc3\xa9" "0", 2, "1\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80", 1, 64, out);
	check_bounds("multibyte", out, n, "d\xc3\xa9" "1", NULL, "", NULL);
	CHECK(n >= 3, "multibyte: %d bounds", n);
	free_all(out, n);
	/* invalid UTF-8: no split */
	CHECK(split("a\xff", NULL, 0, NULL, "a", 2, "ab", 1, 64, out) == 0, "invalid lo");
	CHECK(split("a", "b\xc3", 0, NULL, "a", 2, "ab", 1, 64, out) == 0, "invalid hi");

	/* bytes below '/': a tab, a space, '!' */
	n = split("k\t2", NULL, 0, "/", "k\t1", 2, "\t !-./0a", 1, 64, out);
	check_bounds("low bytes", out, n, "k\t2", NULL, "", "/");
	CHECK(n > 0, "low bytes: %d bounds", n);
	free_all(out, n);

	/* a 1,024-byte key: no bound longer than a key */
	memset(longkey, 'a', S3_MAX_KEY_BYTES);
	longkey[S3_MAX_KEY_BYTES] = '\0';
	n = split(longkey, NULL, 0, NULL, longkey, 1, "ab", 1, 64, out);
	check_bounds("long key", out, n, longkey, NULL, "", NULL);
	free_all(out, n);

	/* the alphabet: sorted, each character once, invalid bytes end it */
	{
		s3_key_alphabet a;

		s3_key_alphabet_init(&a);
		s3_key_alphabet_add(&a, "ba\xc3\xa9" "ab", 0);
		s3_key_alphabet_add(&a, "zz\xff" "y", 1);
		CHECK(a.n == 4, "alphabet: %d characters", a.n);
		if (a.n == 4)
		{
			CHECK_STR(a.ch[0], "a", "alphabet 0");
			CHECK_STR(a.ch[2], "z", "alphabet 2");
			CHECK_STR(a.ch[3], "\xc3\xa9", "alphabet 3");
		}
	}
	CHECK(s3_key_common_prefix("d\xc3\xa9", "d\xc3\xa8") == 1, "common prefix cut back to a character");
	CHECK(s3_key_common_prefix("abc", "abd") == 2, "common prefix");
}

/* ---- brute force: partitions against the sequential listing ---- */

#define NKEYS 300
static char *keys[NKEYS];
static int	nkeys;

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/*
 * The entries S3 lists after start_after (NULL: from the first) under
 * prefix, with delimiter's common prefixes, into ents (not copied: common
 * prefixes point into a static pool); returns how many.
 */
static char pool[NKEYS][S3_MAX_KEY_BYTES + 1];

static int
list_all(const char *prefix, const char *delim, const char *start_after, char **ents)
{
	int			n = 0;
	int			i;

	for (i = 0; i < nkeys; i++)
	{
		const char *k = keys[i];
		const char *d;

		if (strncmp(k, prefix, strlen(prefix)) != 0)
			continue;
		if (start_after && strcmp(k, start_after) <= 0)
			continue;
		d = delim ? strstr(k + strlen(prefix), delim) : NULL;
		if (d != NULL)
		{
			size_t		len = (size_t) (d - k) + strlen(delim);

			memcpy(pool[n], k, len);
			pool[n][len] = '\0';
			if (n > 0 && strcmp(ents[n - 1], pool[n]) == 0)
				continue;		/* the group's common prefix, once */
			ents[n] = pool[n];
		}
		else
			ents[n] = (char *) k;
		n++;
	}
	return n;
}

static void
random_key(char *buf)
{
	/* characters from below '/' to 4-byte UTF-8 */
	static const char *const chars[] = {"a", "b", "/", "-", " ", "\t", "!", "0", "z",
	"\xc3\xa9", "\xe6\x97\xa5", "\xf0\x9f\x98\x80"};
	int			len = 1 + rand() % 6;
	int			i;

	buf[0] = '\0';
	for (i = 0; i < len; i++)
		strcat(buf, chars[rand() % (int) (sizeof(chars) / sizeof(chars[0]))]);
}

static void
test_brute_force(void)
{
	int			round;
	int			mismatches = 0;

	srand(24);
	for (round = 0; round < 400; round++)
	{
		static char store[NKEYS][64];
		char	   *seq[NKEYS];
		char	   *got[NKEYS * 2];
		char	   *bounds[64];
		int			nseq,
					ngot = 0,
					nb,
					i,
					j;
		const char *delim = (round % 3 == 0) ? "/" : (round % 3 == 1) ? NULL : "a-";
		const char *prefix = (round % 4 == 0) ? "a" : "";
		int			firstn;
		s3_key_alphabet alpha;
		s3_split_input in;
		char		lo[S3_MAX_KEY_BYTES + 1];

		nkeys = 20 + rand() % (NKEYS - 20);
		for (i = 0; i < nkeys; i++)
		{
			random_key(store[i]);
			/* some keys prefixes of others */
			if (i > 0 && rand() % 5 == 0 && strlen(store[i - 1]) < 60)
			{
				size_t		l = strlen(store[i - 1]);

				memmove(store[i], store[i - 1], l);
				store[i][l] = rand() % 2 ? 'a' : '/';
				store[i][l + 1] = '\0';
			}
			keys[i] = store[i];
		}
		qsort(keys, nkeys, sizeof(char *), cmp_str);
		for (i = 1, j = 1; i < nkeys; i++)
			if (strcmp(keys[i], keys[j - 1]) != 0)
				keys[j++] = keys[i];
		nkeys = j;

		nseq = list_all(prefix, delim, NULL, seq);
		for (i = 0; i < nseq; i++)
			seq[i] = strdup(seq[i]);
		if (nseq < 2)
		{
			for (i = 0; i < nseq; i++)
				free(seq[i]);
			continue;
		}
		/* the first "page": a few entries, the sample */
		firstn = 1 + rand() % (nseq - 1);
		s3_key_alphabet_init(&alpha);
		for (i = 0; i < firstn; i++)
			s3_key_alphabet_add(&alpha, seq[i], s3_key_common_prefix(seq[0], seq[firstn - 1]));
		strcpy(lo, seq[firstn - 1]);
		memset(&in, 0, sizeof(in));
		in.lo = lo;
		in.prefix_len = strlen(prefix);
		in.delimiter = delim;
		in.first = seq[0];
		in.sample_keys = firstn;
		in.alphabet = &alpha;
		in.min_keys = 1 + rand() % 4;
		nb = s3_key_split(&in, 1 + rand() % 40, bounds);
		check_bounds("random", bounds, nb, lo, NULL, prefix, delim);

		/* the sequential first page, then each partition (b_i, b_i+1] */
		for (i = 0; i < firstn; i++)
			got[ngot++] = strdup(seq[i]);
		for (i = -1; i < nb; i++)
		{
			char	   *part[NKEYS];
			const char *after = i < 0 ? lo : bounds[i];
			const char *upto = i + 1 < nb ? bounds[i + 1] : NULL;
			int			np = list_all(prefix, delim, after, part);

			/*
			 * The first partition goes on from the page as a continuation
			 * would: after lo's whole group when lo is a common prefix
			 */
			for (j = 0; j < np; j++)
			{
				if (strcmp(part[j], after) <= 0)
					continue;
				if (upto != NULL && strcmp(part[j], upto) > 0)
					break;
				got[ngot++] = strdup(part[j]);
			}
		}
		if (ngot != nseq)
			mismatches++;
		else
			for (i = 0; i < nseq; i++)
				if (strcmp(got[i], seq[i]) != 0)
				{
					mismatches++;
					break;
				}
		for (i = 0; i < ngot; i++)
			free(got[i]);
		for (i = 0; i < nseq; i++)
			free(seq[i]);
		free_all(bounds, nb);
	}
	CHECK(mismatches == 0, "brute force: %d of 400 listings differ from the sequential one", mismatches);
}

int
main(void)
{
	test_cases();
	test_brute_force();
	return unit_report("ranges");
}
