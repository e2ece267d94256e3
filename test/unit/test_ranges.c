/*
 * test_ranges.c
 *		Unit tests of key_ranges.c: the places a listing's keys take
 *		(s3_key_places_add) and the bounds guessed from them
 *		(s3_key_guess) that cut a listing into partitions.
 *
 * First the contract every bound keeps, on boundary inputs one by one:
 * above lo, below hi, valid UTF-8, with lo's prefix, at most 1,024 bytes,
 * no delimiter after the prefix; no bound at all where none can be.  Then
 * a few cases that show the guess does what it is meant to (a day of logs,
 * hex directories, a delimiter listing, a prefix at its end), and a sweep
 * of random inputs through the contract.  Last, a brute-force check that a
 * listing made in partitions from the guesses, as s3_list_ranges.c makes
 * it (pages with start-after a partition's lower bound, cut at its upper,
 * split again from their own entries), gives exactly the sequential
 * listing, with and without a delimiter, over random keys with multibyte
 * characters, keys that are prefixes of others, and bytes below '/'.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "key_ranges.h"
#include "s3_names.h"
#include "unit.h"
#include "../ranges_contract.h"

/* qsort's: of pointers to keys, of keys in arrays */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static int
cmp_text(const void *a, const void *b)
{
	return strcmp((const char *) a, (const char *) b);
}

/* large (some 330 kB): one for the whole run */
static s3_key_places places;

/* places noted from keys, in the order given (a page's is S3's order) */
static void
add_keys(const char *const *keys, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		s3_key_places_add(&places, keys[i]);
}

/*
 * Whether a guess's answer keeps the contract; false (and a failed check
 * saying why) if not.  A bound is checked against lo's first "from" bytes.
 */
static bool
check_guess(const char *what, const s3_guess_input *in, int rc, const char *out)
{
	size_t		from = in->places->from;
	const char *why = NULL;

	if (rc < -1 || rc > 3)
		why = "not a return code";
	else if (rc <= 0)
		why = out != NULL ? "a bound with no bound returned" : NULL;
	else if (out == NULL)
		why = "no bound";
	else
		why = bound_breaks(out, in->lo, in->lo, in->hi, from, in->delimiter);
	CHECK(why == NULL, "%s: rc %d bound [%s]: %s", what, rc, out ? out : "(none)", why ? why : "");
	return why == NULL;
}

/* A guess, its contract checked: returns the code, the bound into *out */
static int
guess_out(const char *what, const char *x, const char *y, int scale, const char *lo,
		  const char *hi, const char *delim, char **out)
{
	s3_guess_input in;
	int			rc;

	in.x = x;
	in.y = y;
	in.scale = scale;
	in.lo = lo;
	in.hi = hi;
	in.delimiter = delim;
	in.places = &places;
	*out = (char *) "not set";
	rc = s3_key_guess(&in, out);
	check_guess(what, &in, rc, *out);
	/* a bound that breaks the contract is still used: the listing shows it */
	if (rc <= 0 || rc > 3)
		*out = NULL;
	return rc > 3 ? 0 : rc;
}

/* ... when only the code matters */
static int
guess(const char *what, const char *x, const char *y, int scale, const char *lo,
	  const char *hi, const char *delim)
{
	char	   *out;
	int			rc = guess_out(what, x, y, scale, lo, hi, delim, &out);

	free(out);
	return rc;
}

/*
 * The bounds past the groups lo is in (s3_key_group_ends), each checked
 * against the contract: above past and the one before, below hi, valid
 * UTF-8, with lo's first from bytes, at most 1,024 bytes, no delimiter
 * after the prefix.  Returns how many, into ends[] (at most 8).
 */
static int
group_ends(const char *what, const char *lo, const char *past, const char *hi, size_t from,
		   const char *delim, char **ends)
{
	int			n = s3_key_group_ends(lo, past, hi, from, delim, ends, 8);
	int			k;

	CHECK(n >= 0 && n <= 8, "%s: group ends: %d", what, n);
	for (k = 0; k < n; k++)
	{
		const char *why = bound_breaks(ends[k], k > 0 ? ends[k - 1] : past, lo, hi, from, delim);

		CHECK(why == NULL, "%s: group end [%s]: %s", what, ends[k], why ? why : "");
	}
	return n < 0 ? 0 : n;
}

/* The group ends as one string, "a|b|c", for the cases below */
static const char *
group_ends_text(const char *lo, const char *past, const char *hi, size_t from, const char *delim)
{
	static char text[8 * (S3_MAX_KEY_BYTES + 1)];
	char	   *ends[8];
	int			n = group_ends("group ends", lo, past, hi, from, delim, ends),
				k;

	text[0] = '\0';
	for (k = 0; k < n; k++)
	{
		if (k > 0)
			strcat(text, "|");
		strcat(text, ends[k]);
		free(ends[k]);
	}
	return text;
}

static void
test_group_ends(void)
{
	const char *lo = "data/tenant=hooli/table=clicks/dt=2024-02-18/part-1.parquet";
	const char *past = "data/tenant=hooli/table=clicks/dt=2024-1";
	char		longkey[S3_MAX_KEY_BYTES + 8];
	char	   *ends[8];
	const char *t;

	t = group_ends_text(lo, past, NULL, 0, NULL);
	CHECK(strcmp(t, "data/tenant=hooli/table=clickt|data/tenant=hoolj|datb") == 0, "group ends: [%s]", t);
	/* only the groups that also hold past */
	t = group_ends_text(lo, "data/tenant=hooli/table=d", NULL, 0, NULL);
	CHECK(strcmp(t, "data/tenant=hoolj|datb") == 0, "group ends past the table: [%s]", t);
	t = group_ends_text(lo, "data/tenant=i", NULL, 0, NULL);
	CHECK(strcmp(t, "datb") == 0, "group ends past the tenant: [%s]", t);
	/* the prefix kept */
	t = group_ends_text(lo, past, NULL, 18, NULL);
	CHECK(strcmp(t, "data/tenant=hooli/table=clickt") == 0, "group ends, prefix: [%s]", t);
	t = group_ends_text(lo, past, NULL, 31, NULL);
	CHECK(strcmp(t, "") == 0, "group ends, a prefix past the groups: [%s]", t);
	CHECK(s3_key_group_ends(lo, "dat", NULL, 5, NULL, ends, 8) == 0, "group ends: past without the prefix");
	/* below hi */
	t = group_ends_text(lo, past, "data/tenant=hoolj", 0, NULL);
	CHECK(strcmp(t, "data/tenant=hooli/table=clickt") == 0, "group ends below hi: [%s]", t);
	t = group_ends_text(lo, past, "data/tenant=hooli/table=clicks/dt=2024-2", 0, NULL);
	CHECK(strcmp(t, "") == 0, "group ends below a near hi: [%s]", t);
	/* no delimiter after the prefix */
	t = group_ends_text(lo, past, NULL, 0, "/");
	CHECK(strcmp(t, "datb") == 0, "group ends, delimiter /: [%s]", t);
	t = group_ends_text(lo, past, NULL, 0, "=");
	CHECK(strcmp(t, "datb") == 0, "group ends, delimiter =: [%s]", t);
	t = group_ends_text(lo, past, NULL, 5, "/");
	CHECK(strcmp(t, "data/tenant=hoolj") == 0, "group ends, prefix and delimiter /: [%s]", t);
	/* bytes that do not stay one printable byte: multibyte, ~, control */
	t = group_ends_text("Ã¼nÃ¯code/5.txt", "Ã¼nÃ¯code/6", NULL, 0, NULL);
	CHECK(strcmp(t, "Ã¼nÃ¯codf") == 0, "group ends, multibyte: [%s]", t);
	t = group_ends_text("æ¥æ¬/a/b", "æ¥æ¬/a/c", NULL, 0, NULL);
	CHECK(strcmp(t, "æ¥æ¬/b") == 0, "group ends, a character before /: [%s]", t);
	t = group_ends_text("a~/b/c", "a~/b/d", NULL, 0, NULL);
	CHECK(strcmp(t, "a~/c") == 0, "group ends, ~: [%s]", t);
	t = group_ends_text("a\t/b", "a\t/c", NULL, 0, NULL);
	CHECK(strcmp(t, "") == 0, "group ends, a tab: [%s]", t);
	/* "//": an empty group */
	t = group_ends_text("a//b", "a//c", NULL, 0, NULL);
	CHECK(strcmp(t, "a0|b") == 0, "group ends, //: [%s]", t);
	/* no "/", "/" first, lo empty, past below lo */
	CHECK(strcmp(group_ends_text("abc", "abd", NULL, 0, NULL), "") == 0, "group ends without /");
	CHECK(strcmp(group_ends_text("/abc", "/abd", NULL, 0, NULL), "") == 0, "group ends, / first");
	CHECK(strcmp(group_ends_text("", "a", NULL, 0, NULL), "") == 0, "group ends of an empty lo");
	CHECK(strcmp(group_ends_text("a/b/c", "a/a", NULL, 0, NULL), "b") == 0, "group ends, past below lo");
	/* a key of 1,024 bytes, and one past */
	memset(longkey, 'k', sizeof(longkey));
	longkey[1000] = '/';
	longkey[S3_MAX_KEY_BYTES] = '\0';
	t = group_ends_text(longkey, longkey, NULL, 0, NULL);
	CHECK(strlen(t) == 1000 && t[999] == 'l', "group ends of a 1,024-byte key: %zu bytes", strlen(t));
	longkey[S3_MAX_KEY_BYTES] = 'k';
	longkey[S3_MAX_KEY_BYTES + 1] = '\0';
	CHECK(strcmp(group_ends_text(longkey, longkey, NULL, 0, NULL), "") == 0, "group ends of a key past 1,024 bytes");
}

/* A page of n keys like logs/2024/06/02/HH/app-NNNN.gz, 80 an hour */
static char logs[1000][64];
static const char *logp[1000];

static void
make_logs(void)
{
	int			i;

	for (i = 0; i < 1000; i++)
	{
		snprintf(logs[i], sizeof(logs[i]), "logs/2024/06/02/%02d/app-%04d.gz", i / 80, (i % 80) * 7);
		logp[i] = logs[i];
	}
}

/* ---- the contract on boundary inputs ---- */

static void
test_boundaries(void)
{
	char	   *out;
	char		longkey[S3_MAX_KEY_BYTES + 1];
	char		longer[1600];
	char		longer2[1600];
	char		lo_top[S3_MAX_KEY_BYTES + 1];
	int			rc;
	static const char *const small[] = {"a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3"};
	static const char *const mb[] = {"d\xc3\xa9" "1", "d\xc3\xa9" "2", "d\xc3\xa9" "3",
		"d\xe6\x97\xa5" "1", "d\xe6\x97\xa5" "2", "d\xf0\x9f\x98\x80" "1", "d\xf0\x9f\x98\x80" "2"};
	static const char *const delims[] = {"a-", "//", "-", "\xc3\xa9", "\xe6\x97\xa5", "1", "a"};
	int			i;

	make_logs();

	/* x == y: a page that reaches nowhere says nothing */
	s3_key_places_init(&places, 0);
	add_keys(logp, 1000);
	CHECK(guess("x == y", logs[999], logs[999], 4, logs[999], NULL, NULL) == 0, "x == y: a bound");
	CHECK(guess("x == y, empty", "", "", 4, logs[999], NULL, NULL) == 0, "empty x == y: a bound");
	/* x > y: only the contract */
	guess("x > y", logs[999], logs[750], 4, logs[999], NULL, NULL);
	guess("x > y, lo below", logs[999], logs[0], 12, logs[0], NULL, NULL);

	/* scales: 0, 1, negative (taken as 1), huge (a carry past every place) */
	guess("scale 0", logs[750], logs[999], 0, logs[999], NULL, NULL);
	guess("scale 1", logs[750], logs[999], 1, logs[999], NULL, NULL);
	guess("scale -5", logs[750], logs[999], -5, logs[999], NULL, NULL);
	guess("scale INT_MIN", logs[750], logs[999], INT_MIN, logs[999], NULL, NULL);
	guess("scale INT_MAX", logs[750], logs[999], INT_MAX, logs[999], NULL, NULL);
	guess("scale INT_MAX, x far", logs[0], logs[999], INT_MAX, logs[999], NULL, NULL);

	/* hi at or below lo, or with nothing between: no bound */
	CHECK(guess("hi == lo", logs[750], logs[999], 4, logs[999], logs[999], NULL) == 0, "hi == lo: a bound");
	CHECK(guess("hi < lo", logs[750], logs[999], 4, logs[999], logs[500], NULL) == 0, "hi < lo: a bound");
	CHECK(guess("hi empty", logs[750], logs[999], 4, logs[999], "", NULL) == 0, "hi \"\": a bound");
	snprintf(longer, sizeof(longer), "%s\x01", logs[999]);
	CHECK(guess("hi lo+\\x01", logs[750], logs[999], 4, logs[999], longer, NULL) == 0,
		  "hi lo + \\x01 (nothing between): a bound");

	/* lo below the page (the page's x and y after it): only the contract */
	guess("lo before x", logs[750], logs[999], 4, logs[10], NULL, NULL);
	guess("lo empty", logs[750], logs[999], 4, "", NULL, NULL);
	guess("everything empty", "", "", 4, "", NULL, NULL);
	guess("x empty", "", logs[999], 4, logs[999], NULL, NULL);

	/* the delimiter empty: no delimiter */
	guess("delimiter empty", logs[750], logs[999], 4, logs[999], NULL, "");

	/* a prefix: x, y not starting with lo's, lo shorter than it */
	s3_key_places_init(&places, 5);
	add_keys(logp, 1000);
	CHECK(guess("x without the prefix", "logx/2024/06/02/00/app-0000.gz", logs[999], 4, logs[999], NULL, NULL) == 0,
		  "x without lo's prefix: a bound");
	CHECK(guess("y without the prefix", logs[750], "lo", 4, logs[999], NULL, NULL) == 0,
		  "y without lo's prefix: a bound");
	CHECK(guess("lo without the prefix", logs[750], logs[999], 4, "logx/2024/07", NULL, NULL) == 0,
		  "lo without x's and y's prefix: a bound");
	/* lo shorter than the prefix (x and y too): no bound can start with it */
	CHECK(guess("lo shorter than the prefix", "lo", "loh", 4, "log", NULL, NULL) == 0,
		  "lo shorter than the prefix: a bound");
	CHECK(guess("all shorter than the prefix", "", "", 4, "", NULL, NULL) == 0,
		  "everything shorter than the prefix: a bound");
	/* the prefix as long as a key, and longer */
	s3_key_places_init(&places, S3_MAX_KEY_BYTES);
	memset(longkey, 'a', S3_MAX_KEY_BYTES);
	longkey[S3_MAX_KEY_BYTES] = '\0';
	s3_key_places_add(&places, longkey);
	CHECK(guess("prefix 1,024 bytes", longkey, longkey, 4, longkey, NULL, NULL) == 0,
		  "a 1,024-byte prefix: a bound");
	s3_key_places_init(&places, S3_MAX_KEY_BYTES + 10);
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	memcpy(longer2, longer, sizeof(longer));
	longer2[sizeof(longer2) - 2] = 'b';
	s3_key_places_add(&places, longer);
	s3_key_places_add(&places, longer2);
	CHECK(guess("prefix past 1,024 bytes", longer, longer2, 4, longer2, NULL, NULL) == 0,
		  "a prefix longer than a key: a bound");

	/* keys of 1,024 bytes and more, places as far as they go */
	s3_key_places_init(&places, 0);
	memset(lo_top, 'z', S3_MAX_KEY_BYTES);
	lo_top[S3_MAX_KEY_BYTES] = '\0';
	for (i = 0; i < 26; i++)
	{
		memset(longer, 'a' + i, sizeof(longer) - 1);
		s3_key_places_add(&places, longer);
	}
	guess("1,024-byte keys", longkey, lo_top, 4, longkey, NULL, NULL);
	guess("1,024-byte lo at the top", longkey, lo_top, 4, lo_top, NULL, NULL);
	memset(longer, 'b', sizeof(longer) - 1);
	memset(longer2, 'y', sizeof(longer2) - 1);
	guess("1,599-byte keys", longer, longer2, 4, longer, NULL, NULL);
	guess("1,599-byte keys, scale 12", longer, longer2, 12, longer2, NULL, NULL);
	longkey[S3_MAX_KEY_BYTES - 1] = 'b';
	guess("1,024-byte lo, x and y short", "a", "m", 4, longkey, NULL, NULL);

	/*
	 * Keys longer than 1,024 bytes after a long prefix: a guess made as
	 * long as they are is no bound
	 */
	{
		static char big[40][1100];
		static const char *bigp[40];
		char		lo_short[1100];

		for (i = 0; i < 40; i++)
		{
			memset(big[i], 'p', 1000);
			snprintf(big[i] + 1000, 100, "%03d/%030d", i, i * 7);
			bigp[i] = big[i];
		}
		s3_key_places_init(&places, 1000);
		add_keys(bigp, 40);
		for (i = 1; i < 40; i++)
		{
			guess("long keys", big[i * 3 / 4], big[i], 4, big[i], NULL, NULL);
			guess("long keys, scale 12", big[0], big[i], 12, big[i], NULL, NULL);
		}
		memcpy(lo_short, big[39], 1020);
		lo_short[1020] = '\0';
		guess("long keys, lo 1,020 bytes", big[30], big[39], 4, lo_short, NULL, NULL);
	}

	/* invalid UTF-8: in lo, x, y, hi, the places */
	s3_key_places_init(&places, 0);
	{
		static const char *const bad[] = {"a\xff", "a\xc3", "a\xc3(", "b\xed\xa0\x80", "b\xf8\x80",
		"c\xe0\x80\x80", "c\x80", "d\xf4\x90\x80\x80", "d\xc0\xaf"};

		add_keys(bad, 9);
		add_keys(small, 8);
		for (i = 0; i < 9; i++)
		{
			guess("invalid lo", "a1", "a5", 4, bad[i], NULL, NULL);
			guess("invalid x", bad[i], "b3", 4, "b3", NULL, NULL);
			guess("invalid y", "a1", bad[i], 4, "a1", NULL, NULL);
			guess("invalid hi", "a1", "a5", 12, "a5", bad[i], NULL);
			guess("invalid delimiter", "a1", "b3", 12, "b3", NULL, bad[i]);
		}
	}
	/* an invalid prefix (a real one is text): none of it in a bound */
	s3_key_places_init(&places, 1);
	{
		static const char *const badp[] = {"\xff" "a1", "\xff" "a2", "\xff" "a3", "\xff" "a4", "\xff" "b1"};

		add_keys(badp, 5);
		guess("invalid prefix", badp[1], badp[3], 4, badp[3], NULL, NULL);
		guess("invalid prefix, lo at the top", badp[1], badp[4], 12, badp[4], NULL, NULL);
	}
	/* a prefix that ends inside a character */
	s3_key_places_init(&places, 2);
	add_keys(mb, 3);
	guess("prefix inside a character", mb[0], mb[2], 4, mb[2], NULL, NULL);

	/* multibyte characters: a bound cut at a character, never inside one */
	s3_key_places_init(&places, 0);
	add_keys(mb, 7);
	rc = guess_out("multibyte", mb[1], mb[4], 4, mb[4], NULL, NULL, &out);
	free(out);
	for (i = 0; i < 7; i++)
	{
		guess("multibyte, x before", mb[0], mb[i], 12, mb[i], NULL, NULL);
		guess("multibyte, lo past", mb[i], mb[6], 4, mb[6], NULL, NULL);
		guess("multibyte, a multibyte delimiter", mb[0], mb[i], 12, mb[i], NULL, "\xe6\x97\xa5");
	}

	/* delimiters of several bytes and of one, on keys that hold them */
	s3_key_places_init(&places, 0);
	{
		static const char *const dk[] = {"a-1", "a-2", "aa-1", "ab//c", "b-a-", "b\xc3\xa9x",
		"c\xe6\x97\xa5" "1", "c\xe6\x97\xa5" "2", "d11", "da-a-"};

		add_keys(dk, 10);
		for (i = 0; i < 7; i++)
		{
			int			j;

			for (j = 1; j < 10; j++)
			{
				guess("delimiters", dk[0], dk[j], 4, dk[j], NULL, delims[i]);
				guess("delimiters, scale 12", dk[j - 1], dk[j], 12, dk[j], NULL, delims[i]);
			}
		}
	}
	(void) rc;

	/* no places noted at all */
	s3_key_places_init(&places, 0);
	guess("no places", "a", "b", 4, "b", NULL, NULL);
	guess("no places, empty", "", "a", 4, "", NULL, NULL);

	/* keys noted far out of order, and a key shorter than the prefix */
	s3_key_places_init(&places, 2);
	{
		static const char *const ooo[] = {"zz9", "aa1", "zz1", "a", "", "aa2", "zz5", "aa3"};

		add_keys(ooo, 8);
		guess("out of order", "aa1", "aa3", 4, "aa3", NULL, NULL);
		guess("out of order, z", "zz1", "zz5", 4, "zz5", NULL, NULL);
	}
}

/* ---- what the guesses are meant to do ---- */

static void
test_design(void)
{
	char	   *out;
	int			rc,
				from;

	make_logs();

	/*
	 * A page of logs of one day, hours 00 to 12: four or twelve times as
	 * far on from its last key is later that day or the next, never the
	 * next month
	 */
	for (from = 0; from <= 5; from += 5)
	{
		int			scale;

		s3_key_places_init(&places, from);
		add_keys(logp, 1000);
		for (scale = 4; scale <= 12; scale += 8)
		{
			rc = guess_out("logs", logs[750], logs[999], scale, logs[999], NULL, NULL, &out);
			CHECK(rc >= 1, "logs (from %d, scale %d): no bound", (int) from, scale);
			if (out != NULL)
			{
				CHECK(strcmp(out, "logs/2024/06/04") < 0,
					  "logs (from %d, scale %d): [%s] past the next day", (int) from, scale, out);
				CHECK(strcmp(out, "logs/2024/07") < 0,
					  "logs (from %d, scale %d): [%s] past the month", (int) from, scale, out);
			}
			free(out);
		}

		/* hi just above lo: nothing between, or the guess lands past it */
		{
			char		hi[80];

			snprintf(hi, sizeof(hi), "%s\x01", logs[999]);
			CHECK(guess("logs, hi lo+\\x01", logs[750], logs[999], 4, logs[999], hi, NULL) == 0,
				  "logs: a bound below lo + \\x01");
			snprintf(hi, sizeof(hi), "%s0", logs[999]);
			CHECK(guess("logs, hi lo+0", logs[750], logs[999], 4, logs[999], hi, NULL) == 0,
				  "logs: a bound below lo + \"0\"");
			CHECK(guess("logs, hi next key", logs[750], logs[999], 4, logs[999],
						"logs/2024/06/02/12/app-0274.gz", NULL) == 0,
				  "logs: a bound below the next key");
		}
	}

	/*
	 * Hex directories img/00/ to img/3a/, 1,000 random names in each, the
	 * last page in img/3a/: the next partition starts at img/3b
	 */
	{
		static char hex[19 * 1000][24];
		static const char *hexp[19 * 1000];
		unsigned	s = 1;
		int			d,
					i,
					n = 0;

		for (d = 0x28; d <= 0x3a; d++)
		{
			int			first = n;

			for (i = 0; i < 1000; i++)
			{
				s = s * 1103515245u + 12345u;
				snprintf(hex[n], sizeof(hex[n]), "img/%02x/%08x.jpg", d, s * 2654435761u);
				n++;
			}
			qsort(hex[first], 1000, sizeof(hex[0]), cmp_text);
		}
		for (i = 0; i < n; i++)
			hexp[i] = hex[i];
		s3_key_places_init(&places, 4);
		add_keys(hexp, n);
		rc = guess_out("hex", hex[n - 250], hex[n - 1], 4, hex[n - 1], NULL, NULL, &out);
		CHECK(rc >= 2, "hex: rc %d, not the next directory's start", rc);
		CHECK(out != NULL && strncmp(out, "img/3b", 6) == 0, "hex: [%s] not in img/3b", out ? out : "");
		free(out);
		/* ... and with the delimiter: the directory, without it */
		rc = guess_out("hex, /", hex[n - 250], hex[n - 1], 4, hex[n - 1], NULL, "/", &out);
		CHECK(out != NULL && strcmp(out, "img/3b") == 0, "hex, /: [%s] not img/3b", out ? out : "");
		free(out);
	}

	/*
	 * A delimiter listing: its entries are common prefixes (data/2024-MM-DD/)
	 * and a bound after data/ never holds the "/" (nor "a-", "-")
	 */
	{
		static char days[336][24];
		static const char *dayp[336];
		static const char *const dl[] = {"/", "a-", "-", "2", "0"};
		int			m,
					d,
					n = 0,
					k;

		for (m = 1; m <= 12; m++)
			for (d = 1; d <= 28; d++)
			{
				snprintf(days[n], sizeof(days[n]), "data/2024-%02d-%02d/", m, d);
				dayp[n] = days[n];
				n++;
			}
		s3_key_places_init(&places, 5);
		add_keys(dayp, 100);
		rc = guess_out("days", days[75], days[99], 4, days[99], NULL, "/", &out);
		CHECK(rc >= 1, "days: no bound");
		CHECK(out != NULL && strchr(out + 5, '/') == NULL, "days: [%s] holds the delimiter", out ? out : "");
		free(out);
		for (k = 0; k < 5; k++)
		{
			int			i;

			for (i = 1; i < 100; i++)
				guess("days, delimiters", days[i * 3 / 4], days[i], 4 + (i % 2) * 8, days[i], NULL, dl[k]);
		}
		/* the logs with a delimiter: the bounds stay in their hour */
		s3_key_places_init(&places, 19);
		add_keys(logp + 960, 40);
		rc = guess_out("logs, /", logs[990], logs[999], 4, logs[999], NULL, "/", &out);
		CHECK(rc >= 1, "logs, /: no bound");
		CHECK(out != NULL && strncmp(out, "logs/2024/06/02/12/app-", 23) == 0 && strchr(out + 19, '/') == NULL,
			  "logs, /: [%s] left the hour", out ? out : "");
		free(out);
	}

	/* a prefix is kept: a guess past the prefix's last keys makes no bound */
	{
		static char az[26][4];
		static const char *azp[26];
		int			i;

		for (i = 0; i < 26; i++)
		{
			snprintf(az[i], sizeof(az[i]), "p/%c", 'a' + i);
			azp[i] = az[i];
		}
		s3_key_places_init(&places, 2);
		add_keys(azp, 26);
		CHECK(guess("prefix at its end", az[19], az[25], 4, az[25], NULL, NULL) == 0,
			  "a guess past p/z kept the prefix p/");
		rc = guess_out("prefix", az[4], az[6], 4, az[6], NULL, NULL, &out);
		CHECK(rc >= 1 && out != NULL && strncmp(out, "p/", 2) == 0, "prefix: [%s]", out ? out : "");
		free(out);
		/* without the prefix, the same guess goes on past it */
		s3_key_places_init(&places, 0);
		add_keys(azp, 26);
		rc = guess_out("no prefix at its end", az[19], az[25], 4, az[25], NULL, NULL, &out);
		CHECK(rc >= 1 && out != NULL && strncmp(out, "p/", 2) > 0, "no prefix: [%s]", out ? out : "");
		free(out);
	}

	/* common prefixes of keys */
	CHECK(s3_key_common_prefix("d\xc3\xa9", "d\xc3\xa8") == 1, "common prefix cut back to a character");
	CHECK(s3_key_common_prefix("abc", "abd") == 2, "common prefix");
	CHECK(s3_key_common_prefix("abc", "abc") == 3, "common prefix of equal keys");
	CHECK(s3_key_common_prefix("", "abc") == 0, "common prefix of an empty key");
	CHECK(s3_utf8_valid("d\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80", 10), "UTF-8");
	CHECK(!s3_utf8_valid("\xed\xa0\x80", 3), "UTF-8: a surrogate");
	CHECK(!s3_utf8_valid("\xc3", 1), "UTF-8: a character cut");
}

/* ---- random inputs through the contract ---- */

static void
random_text(char *buf, int max, bool valid)
{
	static const char *const chars[] = {"a", "b", "z", "0", "9", "/", "-", ".", " ", "\t", "~",
		"\xc3\xa9", "\xe6\x97\xa5", "\xf0\x9f\x98\x80", "\x7f"};
	static const char *const bad[] = {"\xff", "\xc3", "\x80", "\xed\xa0\x80", "\xf4\x90"};
	int			len = rand() % (max + 1);
	int			i;

	buf[0] = '\0';
	for (i = 0; i < len; i++)
	{
		if (!valid && rand() % 8 == 0)
			strcat(buf, bad[rand() % 5]);
		else
			strcat(buf, chars[rand() % (int) (sizeof(chars) / sizeof(chars[0]))]);
	}
}

static void
test_sweep(void)
{
	int			round;
	int			bounds = 0;

	srand(7);
	for (round = 0; round < 300; round++)
	{
		static char texts[64][64];
		static const char *tp[64];
		static const char *const delims[] = {NULL, "", "/", "a-", "\xc3\xa9", "//", "\xff"};
		char		pre[16];
		int			n = 2 + rand() % 62,
					i,
					k;
		bool		valid = round % 4 != 0;

		/* the prefix valid (a real one is text): see test_findings */
		random_text(pre, 2, true);
		for (i = 0; i < n; i++)
		{
			strcpy(texts[i], pre);
			random_text(texts[i] + strlen(pre), 8, valid);
			tp[i] = texts[i];
		}
		qsort(tp, n, sizeof(char *), cmp_str);
		s3_key_places_init(&places, round % 3 == 0 ? 0 : strlen(pre));
		add_keys(tp, n);
		for (k = 0; k < 30; k++)
		{
			int			a = rand() % n,
						b = rand() % n,
						c = rand() % n;
			char		hi[64];
			char	   *out;
			int			rc;

			const char *delim;

			random_text(hi, 6, valid);
			if (k % 3 == 1)
				strcpy(hi, tp[rand() % n]);
			delim = delims[rand() % 7];
			rc = guess_out("sweep", tp[a], tp[b], (int[]) {0, 1, 4, 12, 1000}[k % 5], tp[c],
						   k % 3 == 0 ? NULL : hi, delim, &out);
			bounds += rc >= 1;
			free(out);
		}
	}
	CHECK(bounds > 500, "sweep: only %d bounds in 9,000 guesses", bounds);
}

/* ---- brute force: a listing in partitions against the sequential one ---- */

#define NKEYS 300
#define NRANGES 64
static char *keys[NKEYS];
static int	nkeys;

/*
 * The entries S3 lists after start_after (NULL: from the first) under
 * prefix, with delimiter's common prefixes, into ents (common prefixes
 * point into pool); returns how many.
 */
static int
list_all(const char *prefix, const char *delim, const char *start_after, char **ents,
		 char (*pool)[S3_MAX_KEY_BYTES + 1])
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
random_key(char *buf, int kind)
{
	/* characters from below '/' to 4-byte UTF-8 */
	static const char *const chars[] = {"a", "b", "/", "-", " ", "\t", "!", "0", "z",
	"\xc3\xa9", "\xe6\x97\xa5", "\xf0\x9f\x98\x80"};
	int			len = 1 + rand() % 6;
	int			i;

	if (kind == 1)
	{
		/* counters and names, the kind the guesses read best */
		const char *top = rand() % 4 ? "a" : "a-";
		int			year = rand() % 3;
		int			day = rand() % 40;
		char		name = "abz"[rand() % 3];

		snprintf(buf, 64, "%s%d/%02d/%c%d", top, year, day, name, rand() % 200);
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < len; i++)
		strcat(buf, chars[rand() % (int) (sizeof(chars) / sizeof(chars[0]))]);
}

/* One partition: the entries above lo, up to and with hi */
typedef struct Range
{
	char	   *lo;				/* NULL: the listing's start */
	char	   *hi;				/* NULL: the listing's end */
	bool		token;			/* goes on from its page (else start-after lo) */
	bool		done;
	int			n;				/* its entries listed */
	char	  **ents;
} Range;

static Range ranges[NRANGES];
static int	nranges;

/*
 * Split what is left of partition i (after its lo, its page's last entry)
 * with guesses from the page: x 3/4 into it, y its last, each bound the
 * next guess's lo, up to the partition's hi
 */
static int
split_range(int i, char **page, int n, int scale, const char *delim, int *codes)
{
	Range	   *rg = &ranges[i];
	int			made = 0;
	char	   *lo = rg->lo;

	while (nranges < NRANGES && made < 4)
	{
		char	   *b;
		int			rc;
		Range	   *nr;

		rc = guess_out("partition", page[n * 3 / 4], page[n - 1], scale, lo, rg->hi, delim, &b);
		if (rc <= 0)
			break;
		codes[rc]++;
		memmove(&ranges[i + made + 2], &ranges[i + made + 1], sizeof(Range) * (nranges - (i + made + 1)));
		nranges++;
		nr = &ranges[i + made + 1];
		memset(nr, 0, sizeof(*nr));
		nr->lo = b;
		nr->ents = malloc(sizeof(char *) * 2 * NKEYS);
		made++;
		/* past lo's group: partitions past each group lo is in, and no more guesses */
		if (rc >= 2)
		{
			char	   *ends[8];
			int			e = group_ends("partition", lo, b, rg->hi, places.from, delim, ends),
						k;

			for (k = 0; k < e && nranges < NRANGES; k++)
			{
				memmove(&ranges[i + made + 2], &ranges[i + made + 1], sizeof(Range) * (nranges - (i + made + 1)));
				nranges++;
				nr = &ranges[i + made + 1];
				memset(nr, 0, sizeof(*nr));
				nr->lo = ends[k];
				nr->ents = malloc(sizeof(char *) * 2 * NKEYS);
				made++;
				codes[0]++;
			}
			for (; k < e; k++)
				free(ends[k]);
			break;
		}
		lo = b;
	}
	/* each partition up to the next one's lo, the last to rg's hi */
	if (made > 0)
	{
		int			k;

		ranges[i + made].hi = rg->hi;
		for (k = 0; k < made; k++)
			ranges[i + k].hi = ranges[i + k + 1].lo ? strdup(ranges[i + k + 1].lo) : NULL;
	}
	return made;
}

/* The listing of partition i's next page of page_n entries */
static void
take_page(int i, const char *prefix, const char *delim, int page_n, int scale,
		  int *errors, int *codes)
{
	static char pool[NKEYS][S3_MAX_KEY_BYTES + 1];
	char	   *all[NKEYS];
	char	   *page[NKEYS];
	Range	   *rg = &ranges[i];
	int			nall = list_all(prefix, delim, rg->lo, all, pool),
				start = 0,
				n = 0,
				cut,
				k;
	bool		truncated;

	/*
	 * A continuation goes on after the page's last entry, and after its
	 * whole group when that was a common prefix; start-after a bound never
	 * lists an entry at or below it (the bound holds no delimiter)
	 */
	while (start < nall && rg->lo != NULL && strcmp(all[start], rg->lo) <= 0)
		start++;
	if (start > 0 && !rg->token)
	{
		/* s3_list_ranges.c fails here; kept, the entry shows twice */
		(*errors)++;
		CHECK(false, "start-after [%s] listed [%s]", rg->lo, all[0]);
		start = 0;
	}
	for (k = start; k < nall && n < page_n; k++)
		page[n++] = all[k];
	truncated = k < nall;
	for (cut = 0; cut < n; cut++)
		if (rg->hi != NULL && strcmp(page[cut], rg->hi) > 0)
			break;

	/* the entries kept, their places noted in S3's order */
	for (k = 0; k < cut; k++)
	{
		if (rg->n < 2 * NKEYS)	/* (more only when entries show twice) */
			rg->ents[rg->n++] = strdup(page[k]);
		s3_key_places_add(&places, page[k]);
	}

	/* the listing ends here: no partition that starts later has entries */
	if (!truncated)
	{
		const char *last = n > 0 ? page[n - 1] : rg->lo;
		int			j;

		for (j = i + 1; j < nranges && last != NULL; j++)
			if (strcmp(ranges[j].lo, last) >= 0)
				ranges[j].done = true;
	}
	if (!truncated || cut < n)
		rg->done = true;
	else if (n > 0)
	{
		free(rg->lo);
		rg->lo = strdup(page[n - 1]);
		rg->token = true;
		split_range(i, page, n, scale, delim, codes);
	}
}

static void
free_ranges(void)
{
	int			i,
				k;

	for (i = 0; i < nranges; i++)
	{
		for (k = 0; k < ranges[i].n; k++)
			free(ranges[i].ents[k]);
		free(ranges[i].ents);
		free(ranges[i].lo);
		free(ranges[i].hi);
	}
	nranges = 0;
}

static void
test_brute_force(void)
{
	int			round;
	int			mismatches = 0,
				errors = 0,
				partitions = 0,
				pages = 0,
				listings = 0;
	int			codes[4] = {0};

	srand(24);
	for (round = 0; round < 400; round++)
	{
		static char store[NKEYS][64];
		static char seqpool[NKEYS][S3_MAX_KEY_BYTES + 1];
		char	   *seq[NKEYS];
		int			nseq,
					ngot = 0,
					i,
					j;
		const char *delim = (round % 3 == 0) ? "/" : (round % 3 == 1) ? NULL : "a-";
		const char *prefix = (round % 4 == 0) ? "a" : (round % 8 == 1) ? "\xc3\xa9" : "";
		int			page_n = 2 + rand() % 9;
		int			scale = round % 2 ? 4 : 12;
		int			kind = round % 5 < 2;
		int			round_pages;
		bool		same = true;

		nkeys = 20 + rand() % (NKEYS - 20);
		for (i = 0; i < nkeys; i++)
		{
			random_key(store[i], kind && rand() % 4 != 0);
			if (prefix[0] != '\0' && rand() % 3 != 0)
			{
				/* keys under the prefix (and of it) */
				size_t		pl = strlen(prefix);

				memmove(store[i] + pl, store[i], strlen(store[i]) + 1);
				memcpy(store[i], prefix, pl);
			}
			/* some keys prefixes of others */
			if (i > 0 && rand() % 5 == 0 && strlen(store[i - 1]) < 60)
			{
				size_t		l = strlen(store[i - 1]);

				memmove(store[i], store[i - 1], l);
				store[i][l] = "a/-"[rand() % 3];
				store[i][l + 1] = '\0';
			}
			keys[i] = store[i];
		}
		qsort(keys, nkeys, sizeof(char *), cmp_str);
		for (i = 1, j = 1; i < nkeys; i++)
			if (strcmp(keys[i], keys[j - 1]) != 0)
				keys[j++] = keys[i];
		nkeys = j;
		nseq = list_all(prefix, delim, NULL, seq, seqpool);

		/* the first partition is the whole listing; pages taken in any order */
		s3_key_places_init(&places, strlen(prefix));
		memset(ranges, 0, sizeof(ranges));
		ranges[0].ents = malloc(sizeof(char *) * 2 * NKEYS);
		nranges = 1;
		for (round_pages = 0;; round_pages++)
		{
			int			open[NRANGES],
						nopen = 0;

			for (i = 0; i < nranges; i++)
				if (!ranges[i].done)
					open[nopen++] = i;
			if (nopen == 0)
				break;
			if (round_pages > 10 * NKEYS)
			{
				CHECK(false, "brute force round %d: more than %d pages", round, 10 * NKEYS);
				break;
			}
			/* the first partition's next page first now and then, else any */
			i = rand() % 3 == 0 ? open[0] : open[rand() % nopen];
			take_page(i, prefix, delim, page_n, scale, &errors, codes);
			pages++;
		}
		partitions += nranges;
		listings++;

		/* the partitions' entries in order: the sequential listing */
		for (i = 0; i < nranges; i++)
			for (j = 0; j < ranges[i].n; j++)
			{
				if (ngot >= nseq || strcmp(ranges[i].ents[j], seq[ngot]) != 0)
					same = false;
				ngot++;
			}
		if (!same || ngot != nseq)
		{
			mismatches++;
			if (mismatches <= 3)
				CHECK(false, "brute force round %d: %d entries listed in %d partitions, %d sequentially",
					  round, ngot, nranges, nseq);
		}
		free_ranges();
	}
	CHECK(mismatches == 0, "brute force: %d of %d listings differ from the sequential one", mismatches, listings);
	CHECK(errors == 0, "brute force: %d pages listed entries at or below their start-after", errors);
	CHECK(partitions > 2 * listings, "brute force: only %d partitions in %d listings", partitions, listings);
	CHECK(codes[2] + codes[3] > 0 && codes[1] > 0, "brute force: bounds of each kind: %d, %d, %d",
		  codes[1], codes[2], codes[3]);
	printf("ranges brute force: %d listings, %d pages, %d partitions (bounds: %d in a group, %d at the next group, %d at an unseen one)\n",
		   listings, pages, partitions, codes[1], codes[2], codes[3]);
}

/*
 * Inputs on which key_ranges.c broke its contract (found by the sweep above
 * and by test/fuzz/fuzz_ranges), each failing before its fix: a read past
 * lo's end, a prefix that is not UTF-8 copied into a bound, a bound cut
 * inside a character by a delimiter that is not UTF-8.  None comes from
 * s3_list_ranges.c as it calls the guess (its prefix and delimiter are
 * text, every lo starts with the prefix); all are inputs the contract
 * covers.
 */
static void
test_findings(void)
{
	/*
	 * 1. lo shorter than the prefix, x longer: s3_key_guess compares x's
	 * first "from" bytes with lo's by memcmp (key_ranges.c:371), reading
	 * past lo's end (AddressSanitizer: heap-buffer-overflow, READ of size
	 * 8).  Expected: 0, nothing read past lo.  Got: 0 without ASan, a crash
	 * with it.  Fixed: strncmp for that memcmp.
	 */
	{
		char	   *x = strdup("abcdefghij1");
		char	   *y = strdup("abcdefghij2");
		char	   *lo = strdup("ab");

		s3_key_places_init(&places, 8);
		s3_key_places_add(&places, x);
		s3_key_places_add(&places, y);
		CHECK(guess("finding 1: lo shorter than the prefix", x, y, 4, lo, NULL, NULL) == 0,
			  "finding 1: a bound");
		free(x);
		free(y);
		free(lo);
	}

	/*
	 * 2. A prefix that is not UTF-8 on its own (an invalid byte, a lone
	 * continuation byte, or a prefix that ends inside a character) is
	 * copied into the bound, which is checked for UTF-8 only after it.
	 * Expected: 0 (or a valid bound).  Got: rc 1, "\xff" "e"; rc 1,
	 * "d\x80" "e" (the fuzzer's, minimized).
	 */
	{
		static const char *const k[] = {"\xff" "a", "\xff" "b", "\xff" "c", "\xff" "d", "\xff" "e", "\xff" "f"};

		s3_key_places_init(&places, 1);
		add_keys(k, 6);
		guess("finding 2: an invalid prefix", k[1], k[2], 2, k[2], NULL, NULL);
		s3_key_places_init(&places, 2);
		s3_key_places_add(&places, "d\x80");
		s3_key_places_add(&places, "d\x80" "d");
		s3_key_places_add(&places, "d\x80");
		guess("finding 2: a prefix of a continuation byte", "d\x80", "d\x80" "d", 1, "d\x80", NULL, NULL);
	}

	/*
	 * 3. A delimiter that is not UTF-8 (a lone continuation byte) is found
	 * inside a character of the bound, which is cut there after the UTF-8
	 * check.  Expected: 0 or a valid bound.  Got: rc 1, "d\xc3".
	 */
	{
		static const char *const k[] = {"a\xc3\xa9", "b\xc3\xa9", "c\xc3\xa9", "d\xc3\xa9", "e\xc3\xa9", "f\xc3\xa9"};

		s3_key_places_init(&places, 0);
		add_keys(k, 6);
		guess("finding 3: a continuation byte as the delimiter", k[0], k[1], 2, k[1], NULL, "\xa9");
	}
}

int
main(void)
{
	test_findings();
	test_boundaries();
	test_design();
	test_group_ends();
	test_sweep();
	test_brute_force();
	return unit_report("ranges");
}
