/*
 * fuzz_fast.c
 *		libFuzzer target: the fast ListObjectsV2 scanner (s3_xml_fast.c)
 *		against the libxml2 tree parser (s3_xml_parse_list_objects).
 *		Whenever the scanner reads a page, the tree parser must read it too,
 *		with the same fields; a page the scanner refuses must leave the
 *		result zeroed.  Read keeping only some fields (each mask), the
 *		answer must be the same, and the page the same less those fields.
 *		Any disagreement aborts, as do crashes, leaks and undefined
 *		behaviour.  And the peek at the page's head (s3_xml_fast_list_peek),
 *		at every prefix: when it says it knows the continuation token, the
 *		tree parser must read the same in the whole page.
 *
 * Each input is checked as it is, and also as the recipe of a page: its
 * bytes choose the elements, values, references, blanks and odd pieces of
 * a ListBucketResult, so that most of what is tried lies within the
 * scanner's subset or just outside it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "s3_xml.h"
#include "s3_xml_fast.h"
#include "../list_compare.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The rule: a page the scanner reads is the tree parser's */
static void
check(const char *buf, size_t len)
{
	s3_object_list got;
	s3_object_list want;
	char		err[128];
	int			rc = s3_xml_fast_list_objects(buf, len, &got);

	/* the peek at the head says only what the whole page says */
	if (!peek_matches_tree(buf, len))
		abort();
	/* keeping only some fields: the same answer, the same page less them */
	if (!masks_agree(buf, len, rc, &got))
		abort();
	if (rc == 1)
	{
		if (!list_is_zero(&got))
			abort();
		return;
	}
	if (rc != 0)
		abort();				/* no allocation here can fail */
	if (s3_xml_parse_list_objects(buf, len, &want, err, sizeof(err)) != 0)
		abort();
	if (!same_list(&want, &got))
		abort();
	s3_object_list_free(&want);
	s3_object_list_free(&got);
}

/* ---- a page from the input's bytes ---- */

typedef struct recipe
{
	const uint8_t *p;
	const uint8_t *end;
	cbuf		out;
} recipe;

/* The next byte of the recipe; zeros once it is used up */
static unsigned
next(recipe *r)
{
	return r->p < r->end ? *r->p++ : 0;
}

static void
put(recipe *r, const char *s)
{
	cbuf_append(&r->out, s);
}

/* Bytes of text: mostly plain, sometimes what the scanner checks */
static const char *const text_pieces[] = {
	"a", "Z", "0", "9", "/", "-", ".", "_", "=", "%", "%2F", "%20", "%C3%A9",
	"%2", "%zz", "%00", "+", " ", "  ", "\t", "\n", "\"", "'", ">", "]", "]]",
	"]>", "?", "#", ";", "&amp;", "&lt;", "&gt;", "&apos;", "&quot;", "&#34;",
	"&#39;", "&#x20;", "&#13;", "&#xD;", "&#9;", "&#10;", "&#233;", "&#xe9;",
	"&#x1F600;", "&#65;", "&#x10FFFF;", "&#xFFFD;", "\xc3\xa9", "\xe6\x97\xa5",
	"\xf0\x9f\x98\x80", "\xc2\x80", "\x7f", "\xef\xbf\xbd",
	/* beyond the subset, or not XML */
	"\r", "\r\n", "]]>", "&nbsp;", "&#0;", "&#xD800;", "&#xFFFE;", "&#X41;",
	"&#65", "&", "<", "\x80", "\xc3", "\xed\xa0\x80", "\xef\xbf\xbe", "\x01",
	"<![CDATA[c]]>", "<!--c-->", "<?pi?>", "<b/>", "\xc0\x80",
};

#define N_PLAIN_PIECES	54		/* the first ones, within the subset */

static void
put_text(recipe *r, unsigned maxlen)
{
	unsigned	n = next(r) % (maxlen + 1);
	unsigned	i;

	for (i = 0; i < n; i++)
	{
		unsigned	c = next(r);

		/* one piece in eight may be beyond the subset */
		if ((c & 7) == 7)
			put(r, text_pieces[(c >> 3) % (sizeof(text_pieces) / sizeof(text_pieces[0]))]);
		else
			put(r, text_pieces[(c >> 3) % N_PLAIN_PIECES]);
	}
}

static const char *const blanks[] = {"", "", "", " ", "\n", "\t", "\n  ", " \t\n "};

static void
put_blank(recipe *r)
{
	put(r, blanks[next(r) % (sizeof(blanks) / sizeof(blanks[0]))]);
}

/* Some attributes, now and then */
static void
put_attributes(recipe *r)
{
	static const char *const attrs[] = {
		"", "", "", "", "", " a=\"1\"", " a='x y'", " b=\"\" c='2'",
		" xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"", " a=\"1\" a=\"2\"",
		" x:y=\"1\"", " a=\"&amp;\"", " a=\"<\"", " a = \"\xc3\xa9\" ", " a", " \n",
	};

	put(r, attrs[next(r) % (sizeof(attrs) / sizeof(attrs[0]))]);
}

/* <name attrs>text</name>, or <name/>, with odd forms now and then */
static void
put_value(recipe *r, const char *name, unsigned maxlen)
{
	unsigned	form = next(r);

	put(r, "<");
	put(r, name);
	put_attributes(r);
	if ((form & 15) == 0)
	{
		put(r, "/>");
		return;
	}
	put(r, ">");
	put_text(r, maxlen);
	put(r, "</");
	put(r, name);
	if ((form & 15) == 1)
		put(r, " ");
	put(r, ">");
}

/* Numbers and words of the values that are parsed */
static void
put_word(recipe *r, const char *name, const char *const *words, size_t n)
{
	unsigned	c = next(r);

	if ((c & 3) == 0)
	{
		put_value(r, name, 6);
		return;
	}
	put(r, "<");
	put(r, name);
	put(r, ">");
	put(r, words[(c >> 2) % n]);
	put(r, "</");
	put(r, name);
	put(r, ">");
}

static const char *const sizes[] = {
	"0", "1", "42", " 7 ", "\n3\t", "&#32;5", "&#13;6", "&#x31;", "9223372036854775807",
	"9223372036854775808", "-1", "+1", "", "1 2", "x", "007",
};
static const char *const counts[] = {
	"0", "1", "1000", " 2 ", "2147483647", "2147483648", "-1", "", "x", "&#x33;",
};
static const char *const booleans[] = {
	"true", "false", " true ", "\nfalse\t", "&#32;true", "True", "yes", "", "true false",
};
static const char *const encodings[] = {
	"url", " url ", "\turl\n", "URL", "base64", "", "u&#114;l",
};

/* Something that is not read: another element, text, nesting */
static void
put_other(recipe *r, int depth)
{
	static const char *const names[] = {
		"Owner", "ID", "DisplayName", "ChecksumAlgorithm", "RestoreStatus", "Name",
		"Prefix", "MaxKeys", "Key", "Size", "Contents", "Other", "x-y.z_1", "A",
	};
	const char *name = names[next(r) % (sizeof(names) / sizeof(names[0]))];
	unsigned	n = next(r) % 4;
	unsigned	i;

	put(r, "<");
	put(r, name);
	put_attributes(r);
	if (n == 0)
	{
		put(r, "/>");
		return;
	}
	put(r, ">");
	for (i = 0; i < n; i++)
	{
		if (depth < 6 && (next(r) & 1))
			put_other(r, depth + 1);
		else
			put_text(r, 4);
	}
	put(r, "</");
	put(r, name);
	put(r, ">");
}

static void
put_contents(recipe *r)
{
	unsigned	n = next(r) % 8;
	unsigned	i;

	put(r, "<Contents");
	put_attributes(r);
	put(r, ">");
	for (i = 0; i < n; i++)
	{
		put_blank(r);
		switch (next(r) % 10)
		{
			case 0:
			case 1:
			case 2:
				put_value(r, "Key", 12);
				break;
			case 3:
				put_word(r, "Size", sizes, sizeof(sizes) / sizeof(sizes[0]));
				break;
			case 4:
				put_value(r, "ETag", 6);
				break;
			case 5:
				put_value(r, "LastModified", 4);
				break;
			case 6:
				put_value(r, "StorageClass", 3);
				break;
			default:
				put_other(r, 3);
				break;
		}
	}
	put_blank(r);
	put(r, "</Contents>");
}

static void
put_prefixes(recipe *r)
{
	unsigned	n = next(r) % 3;
	unsigned	i;

	put(r, "<CommonPrefixes>");
	for (i = 0; i < n; i++)
	{
		if (next(r) % 4 != 0)
			put_value(r, "Prefix", 8);
		else
			put_other(r, 3);
	}
	put(r, "</CommonPrefixes>");
}

static const char *const declarations[] = {
	"", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "<?xml version=\"1.0\"?>",
	"<?xml version='1.0' encoding='utf-8' standalone='yes'?>",
	"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>", "<?xml version=\"1.1\"?>",
	"\xef\xbb\xbf", " ", "<!-- c -->", "<?xml version=\"1.0\" ?>\n\n",
};

/* Builds a page from the bytes of data */
static char *
build_page(const uint8_t *data, size_t size, size_t *len)
{
	recipe		r;
	unsigned	n;
	unsigned	i;

	r.p = data;
	r.end = data + size;
	cbuf_init(&r.out);
	put(&r, declarations[next(&r) % (sizeof(declarations) / sizeof(declarations[0]))]);
	put(&r, "<ListBucketResult");
	put_attributes(&r);
	put(&r, ">");
	n = next(&r) % 24;
	for (i = 0; i < n && r.p < r.end; i++)
	{
		put_blank(&r);
		switch (next(&r) % 16)
		{
			case 0:
			case 1:
			case 2:
			case 3:
			case 4:
				put_contents(&r);
				break;
			case 5:
			case 6:
				put_prefixes(&r);
				break;
			case 7:
				put_word(&r, "IsTruncated", booleans, sizeof(booleans) / sizeof(booleans[0]));
				break;
			case 8:
				put_value(&r, "NextContinuationToken", 8);
				break;
			case 9:
				put_word(&r, "KeyCount", counts, sizeof(counts) / sizeof(counts[0]));
				break;
			case 10:
			case 11:
				put_word(&r, "EncodingType", encodings, sizeof(encodings) / sizeof(encodings[0]));
				break;
			case 12:
				put_text(&r, 3);
				break;
			default:
				put_other(&r, 2);
				break;
		}
	}
	put_blank(&r);
	put(&r, "</ListBucketResult>");
	put_blank(&r);
	*len = r.out.len;
	return cbuf_finish(&r.out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *page;
	size_t		len;

	check((const char *) data, size);

	page = build_page(data, size, &len);
	if (page == NULL)
		abort();
	/* now and then a byte of the page changed, as the last input byte says */
	if (size >= 2 && len > 0 && (data[size - 1] & 3) == 0)
		page[(data[size - 2] * 131u) % len] = (char) (data[size - 1] >> 2);
	check(page, len);
	free(page);
	return 0;
}
