/*-------------------------------------------------------------------------
 *
 * s3_xml_fast.c
 *		A scanner for S3's ListObjectsV2 page (ListBucketResult) that reads
 *		the XML S3 and the common S3-compatible stores send without libxml2,
 *		several times faster than s3_xml_parse_list_objects() (s3_xml_list.c),
 *		whose answer it gives.
 *
 * The page is read in one pass, skipping to the next '<' or '&' a table
 * lookup at a time, and only the strings the page keeps are allocated.
 * It reads a subset of XML: where the page holds anything beyond it, the
 * scanner gives up without a result (returns 1) and the caller hands the
 * page to libxml2, which decides.  The rule is that whatever the scanner
 * accepts, s3_xml_parse_list_objects() accepts with the same result; so the
 * subset leaves out whatever libxml2 might treat otherwise, or that would
 * need its heuristics (XML_PARSE_NOBLANKS drops blank text next to
 * comments, CDATA sections and processing instructions):
 *
 *	- the page is UTF-8 (valid, no character XML forbids, no byte order
 *	  mark, no carriage return anywhere), at most FAST_MAX_INPUT bytes;
 *	- an optional XML declaration first, version 1.0, encoding (if given)
 *	  UTF-8, standalone yes or no;
 *	- then elements, text and blanks only: no DOCTYPE, comment, processing
 *	  instruction or CDATA section;
 *	- names in ASCII ([A-Za-z_][A-Za-z0-9._-]*, no namespace prefix), at
 *	  most FAST_MAX_NAME bytes, FAST_MAX_ATTRS attributes to an element,
 *	  none twice, their values without '<' or '&', nesting at most
 *	  FAST_MAX_DEPTH deep;
 *	- in text, references to the five predefined entities and character
 *	  references (at most 7 decimal or 6 hexadecimal digits) to characters
 *	  XML allows, and no "]]>";
 *	- an element whose text is read (Key, Size, ... see below) holds text
 *	  and references only, no element.
 *
 * In such an element libxml2 keeps all of the text, blanks included (its
 * blank heuristic never drops text that has no markup but the end tag
 * next to it), so the text read here is the text of its tree.  Then the
 * tree parser's rules, as s3_xml_list.c has them: the root must be
 * ListBucketResult; of its children Contents, CommonPrefixes, IsTruncated,
 * NextContinuationToken, KeyCount and EncodingType are read, of Contents'
 * Key, Size, LastModified, ETag and StorageClass, of CommonPrefixes' the
 * Prefix; the first of each counts; a Contents needs a non-empty Key, a
 * CommonPrefixes a Prefix; numbers and booleans may have blanks around
 * them; ETag loses one pair of quotes; when the first EncodingType says
 * "url" (wherever it stands) keys and prefixes are URL-decoded; any value
 * the tree parser refuses makes the scanner give up (returning 1), and
 * libxml2 then tells why.
 *
 * Like the other cores it uses libc only: no libxml2, no PostgreSQL.
 *
 * IDENTIFICATION
 *	  src/s3_xml_fast.c
 *
 *-------------------------------------------------------------------------
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "s3_xml.h"
#include "s3_xml_fast.h"

typedef unsigned char uchar;

/* What the scanner's functions return */
#define FAST_OK		0
#define FAST_OTHER	1			/* beyond the subset: libxml2 decides */
#define FAST_OOM	(-1)

/*
 * The largest page read: below libxml2's limit on a text node (10,000,000
 * bytes without XML_PARSE_HUGE), so that no text here can reach it.
 */
#define FAST_MAX_INPUT	((size_t) 8 * 1024 * 1024)

/* The deepest nesting read (the root is 1; S3 goes to 4, libxml2 to 256) */
#define FAST_MAX_DEPTH	32

/* The longest element or attribute name read */
#define FAST_MAX_NAME	128

/* The most attributes an element may have */
#define FAST_MAX_ATTRS	8

/* What a byte is in text */
#define P	0					/* plain: taken as it is */
#define L	1					/* '<': the end of the text */
#define A	2					/* '&': a reference */
#define R	3					/* ']': plain unless "]]>" */
#define H	4					/* non-ASCII: a UTF-8 sequence to check */
#define B	5					/* forbidden here: controls, CR */

static const uchar text_class[256] = {
	B, B, B, B, B, B, B, B, B, P, P, B, B, B, B, B,	/* 00 */
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,	/* 10 */
	P, P, P, P, P, P, A, P, P, P, P, P, P, P, P, P,	/* 20 */
	P, P, P, P, P, P, P, P, P, P, P, P, L, P, P, P,	/* 30 */
	P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,	/* 40 */
	P, P, P, P, P, P, P, P, P, P, P, P, P, R, P, P,	/* 50 */
	P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,	/* 60 */
	P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,	/* 70 */
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,	/* 80 */
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,	/* 90 */
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,	/* a0 */
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,	/* b0 */
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,	/* c0 */
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,	/* d0 */
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,	/* e0 */
	H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,	/* f0 */
};

#undef P
#undef L
#undef A
#undef R
#undef H
#undef B

#define T_PLAIN		0
#define T_LT		1
#define T_AMP		2
#define T_RBRACKET	3
#define T_HIGH		4

/* What a byte is in a name: S may start one, S and C continue it */
#define S	3
#define C	2

static const uchar name_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 10 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, C, C, 0,	/* 20 */
	C, C, C, C, C, C, C, C, C, C, 0, 0, 0, 0, 0, 0,	/* 30 */
	0, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S,	/* 40 */
	S, S, S, S, S, S, S, S, S, S, S, 0, 0, 0, 0, S,	/* 50 */
	0, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S,	/* 60 */
	S, S, S, S, S, S, S, S, S, S, S, 0, 0, 0, 0, 0,	/* 70 */
	/* non-ASCII: 0 */
};

#undef S
#undef C

#define NAME_START(c)	(name_class[(uchar) (c)] == 3)
#define NAME_CHAR(c)	(name_class[(uchar) (c)] != 0)

/* XML's blanks, but the carriage return, which the subset leaves out */
#define IS_BLANK(c)		((c) == ' ' || (c) == '\n' || (c) == '\t')

/* What s3x_parse_nonneg() and s3x_equals_trimmed() trim (CR may come from &#13;) */
#define IS_XML_SPACE(c)	((c) == ' ' || (c) == '\n' || (c) == '\t' || (c) == '\r')

/* The elements read */
typedef enum fast_field
{
	F_OTHER = 0,
	/* children of the root */
	F_CONTENTS,
	F_PREFIXES,
	F_IS_TRUNCATED,
	F_TOKEN,
	F_KEY_COUNT,
	F_ENCODING_TYPE,
	/* children of Contents */
	F_KEY,
	F_SIZE,
	F_LAST_MODIFIED,
	F_ETAG,
	F_STORAGE_CLASS,
	/* child of CommonPrefixes */
	F_PREFIX
} fast_field;

typedef struct fast_scan
{
	const uchar *p;				/* the next byte to read */
	const uchar *end;
	s3_object_list res;
	size_t		cap;			/* of res.items */
	size_t		pcap;			/* of res.common_prefixes */
	bool		have_truncated;
	bool		have_encoding;	/* the first EncodingType has been read */
	bool		url_encoded;	/* and said "url" */
	size_t		raw_items;		/* keys stored before it, still encoded */
	size_t		raw_prefixes;	/* likewise prefixes */
	char	   *scratch;		/* a value whose references are replaced */
	size_t		scratch_cap;
	char		small[256];		/* the scratch buffer, until it grows */
} fast_scan;

static inline const uchar *
plain_run(const uchar *q, const uchar *lim)
{
	while (lim - q >= 4)
	{
		if (text_class[q[0]] != T_PLAIN)
			return q;
		if (text_class[q[1]] != T_PLAIN)
			return q + 1;
		if (text_class[q[2]] != T_PLAIN)
			return q + 2;
		if (text_class[q[3]] != T_PLAIN)
			return q + 3;
		q += 4;
	}
	while (q < lim && text_class[*q] == T_PLAIN)
		q++;
	return q;
}
/* The first byte at q or after, before lim, that cannot be in a name */
static inline const uchar *
name_run(const uchar *q, const uchar *lim)
{
	while (lim - q >= 4)
	{
		if (!NAME_CHAR(q[0]))
			return q;
		if (!NAME_CHAR(q[1]))
			return q + 1;
		if (!NAME_CHAR(q[2]))
			return q + 2;
		if (!NAME_CHAR(q[3]))
			return q + 3;
		q += 4;
	}
	while (q < lim && NAME_CHAR(*q))
		q++;
	return q;
}

/*
 * The length of the UTF-8 sequence at q (a byte of 0x80 or more), within
 * lim, or 0 when it is not the shortest encoding of a character XML allows
 * (surrogates, U+FFFE and U+FFFF, beyond U+10FFFF are not).
 */
static inline size_t
utf8_length(const uchar *q, const uchar *lim)
{
	uchar		c = q[0];
	size_t		left = (size_t) (lim - q);

	if (c < 0xC2)
		return 0;
	if (c < 0xE0)
		return left >= 2 && (q[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c < 0xF0)
	{
		if (left < 3 || (q[1] & 0xC0) != 0x80 || (q[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && q[1] < 0xA0) ||	/* overlong */
			(c == 0xED && q[1] >= 0xA0) ||	/* surrogates */
			(c == 0xEF && q[1] == 0xBF && q[2] >= 0xBE))	/* U+FFFE, U+FFFF */
			return 0;
		return 3;
	}
	if (c < 0xF5)
	{
		if (left < 4 || (q[1] & 0xC0) != 0x80 || (q[2] & 0xC0) != 0x80 ||
			(q[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && q[1] < 0x90) ||	/* overlong */
			(c == 0xF4 && q[1] >= 0x90))	/* beyond U+10FFFF */
			return 0;
		return 4;
	}
	return 0;
}

/* Are the n bytes at a and b the same?  (memcmp, inlined: names are short) */
static inline bool
same_bytes(const uchar *a, const uchar *b, size_t n)
{
	while (n >= 8)
	{
		uint64_t	x;
		uint64_t	y;

		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return false;
		a += 8;
		b += 8;
		n -= 8;
	}
	while (n > 0)
	{
		if (*a++ != *b++)
			return false;
		n--;
	}
	return true;
}

#define SAME(n, str)	same_bytes((n), (const uchar *) (str), sizeof(str) - 1)

/* Is v a character XML 1.0 allows? */
static inline bool
xml_char(uint32_t v)
{
	return v == 0x9 || v == 0xA || v == 0xD ||
		(v >= 0x20 && v <= 0xD7FF) ||
		(v >= 0xE000 && v <= 0xFFFD) ||
		(v >= 0x10000 && v <= 0x10FFFF);
}

/*
 * Reads the reference at q (its '&'), within lim: one of the five
 * predefined entities, or a character reference to a character XML
 * allows.  Writes what it stands for, in UTF-8, to out (when not NULL; it
 * is never longer than the reference) and its length to *outlen.  Returns
 * the byte after the ';', or NULL for anything else.
 */
static const uchar *
read_reference(const uchar *q, const uchar *lim, uchar *out, size_t *outlen)
{
	size_t		left = (size_t) (lim - q);
	uint32_t	v = 0;

	if (left >= 4 && q[1] == '#')
	{
		const uchar *d;
		size_t		n = 0;
		size_t		max;

		if (q[2] == 'x')
		{
			max = 6;
			for (d = q + 3; d < lim && n <= max; d++, n++)
			{
				uchar		c = *d;

				if (c >= '0' && c <= '9')
					v = v * 16 + (uint32_t) (c - '0');
				else if (c >= 'a' && c <= 'f')
					v = v * 16 + (uint32_t) (c - 'a' + 10);
				else if (c >= 'A' && c <= 'F')
					v = v * 16 + (uint32_t) (c - 'A' + 10);
				else
					break;
			}
		}
		else
		{
			max = 7;
			for (d = q + 2; d < lim && n <= max; d++, n++)
			{
				uchar		c = *d;

				if (c >= '0' && c <= '9')
					v = v * 10 + (uint32_t) (c - '0');
				else
					break;
			}
		}
		if (n == 0 || n > max || d >= lim || *d != ';' || !xml_char(v))
			return NULL;
		if (out != NULL)
		{
			if (v < 0x80)
			{
				out[0] = (uchar) v;
				*outlen = 1;
			}
			else if (v < 0x800)
			{
				out[0] = (uchar) (0xC0 | (v >> 6));
				out[1] = (uchar) (0x80 | (v & 0x3F));
				*outlen = 2;
			}
			else if (v < 0x10000)
			{
				out[0] = (uchar) (0xE0 | (v >> 12));
				out[1] = (uchar) (0x80 | ((v >> 6) & 0x3F));
				out[2] = (uchar) (0x80 | (v & 0x3F));
				*outlen = 3;
			}
			else
			{
				out[0] = (uchar) (0xF0 | (v >> 18));
				out[1] = (uchar) (0x80 | ((v >> 12) & 0x3F));
				out[2] = (uchar) (0x80 | ((v >> 6) & 0x3F));
				out[3] = (uchar) (0x80 | (v & 0x3F));
				*outlen = 4;
			}
		}
		return d + 1;
	}

	/* &lt; &gt; &amp; &apos; &quot; */
	if (left >= 4 && q[2] == 't' && q[3] == ';' && (q[1] == 'l' || q[1] == 'g'))
		v = q[1] == 'l' ? '<' : '>';
	else if (left >= 5 && memcmp(q + 1, "amp;", 4) == 0)
		v = '&';
	else if (left >= 6 && memcmp(q + 1, "apos;", 5) == 0)
		v = '\'';
	else if (left >= 6 && memcmp(q + 1, "quot;", 5) == 0)
		v = '"';
	else
		return NULL;
	if (out != NULL)
	{
		out[0] = (uchar) v;
		*outlen = 1;
	}
	return q + (v == '<' || v == '>' ? 4 : v == '&' ? 5 : 6);
}

/*
 * Text nothing is kept of (between elements, in elements not read): checked
 * up to the '<' that ends it, where s->p is left.
 */
static int
skip_text(fast_scan *s)
{
	const uchar *q = s->p;
	const uchar *end = s->end;
	size_t		n;

	for (;;)
	{
		q = plain_run(q, end);
		if (q >= end)
			return FAST_OTHER;
		switch (text_class[*q])
		{
			case T_LT:
				s->p = q;
				return FAST_OK;
			case T_AMP:
				q = read_reference(q, end, NULL, NULL);
				if (q == NULL)
					return FAST_OTHER;
				break;
			case T_RBRACKET:
				if (end - q >= 3 && q[1] == ']' && q[2] == '>')
					return FAST_OTHER;
				q++;
				break;
			case T_HIGH:
				n = utf8_length(q, end);
				if (n == 0)
					return FAST_OTHER;
				q += n;
				break;
			default:
				return FAST_OTHER;
		}
	}
}

/* Makes the scratch buffer hold at least need bytes; false when out of memory */
static bool
scratch_reserve(fast_scan *s, size_t need)
{
	size_t		cap = s->scratch_cap * 2;
	char	   *p;

	if (need <= s->scratch_cap)
		return true;
	if (cap < need)
		cap = need;
	p = malloc(cap);
	if (p == NULL)
		return false;
	if (s->scratch != s->small)
		free(s->scratch);
	s->scratch = p;
	s->scratch_cap = cap;
	return true;
}

/*
 * The text of an element whose value is read, up to the '<' that ends it
 * (where s->p is left): *val points into the page, or into the scratch
 * buffer when references had to be replaced.
 */
static int
read_text(fast_scan *s, const char **val, size_t *vlen)
{
	const uchar *start = s->p;
	const uchar *q = start;
	const uchar *end = s->end;
	const uchar *lt;
	uchar	   *o;
	size_t		n;

	for (;;)
	{
		q = plain_run(q, end);
		if (q >= end)
			return FAST_OTHER;
		switch (text_class[*q])
		{
			case T_LT:
				s->p = q;
				*val = (const char *) start;
				*vlen = (size_t) (q - start);
				return FAST_OK;
			case T_AMP:
				goto references;
			case T_RBRACKET:
				if (end - q >= 3 && q[1] == ']' && q[2] == '>')
					return FAST_OTHER;
				q++;
				break;
			case T_HIGH:
				n = utf8_length(q, end);
				if (n == 0)
					return FAST_OTHER;
				q += n;
				break;
			default:
				return FAST_OTHER;
		}
	}

references:
	/* the value ends at the next '<'; replaced, it is no longer */
	lt = memchr(q, '<', (size_t) (end - q));
	if (lt == NULL)
		return FAST_OTHER;
	if (!scratch_reserve(s, (size_t) (lt - start)))
		return FAST_OOM;
	o = (uchar *) s->scratch;
	memcpy(o, start, (size_t) (q - start));
	o += q - start;
	while (q < lt)
	{
		const uchar *r = plain_run(q, lt);

		memcpy(o, q, (size_t) (r - q));
		o += r - q;
		q = r;
		if (q >= lt)
			break;
		switch (text_class[*q])
		{
			case T_AMP:
				q = read_reference(q, lt, o, &n);
				if (q == NULL)
					return FAST_OTHER;
				o += n;
				break;
			case T_RBRACKET:
				if (lt - q >= 3 && q[1] == ']' && q[2] == '>')
					return FAST_OTHER;
				*o++ = *q++;
				break;
			case T_HIGH:
				n = utf8_length(q, lt);
				if (n == 0)
					return FAST_OTHER;
				memcpy(o, q, n);
				o += n;
				q += n;
				break;
			default:
				return FAST_OTHER;
		}
	}
	s->p = lt;
	*val = s->scratch;
	*vlen = (size_t) (o - (uchar *) s->scratch);
	return FAST_OK;
}

/* Does [v, lim) hold "www.w3.org" (the XML and XMLNS namespace names do)? */
static bool
has_w3_org(const uchar *v, const uchar *lim)
{
	for (; lim - v >= 10; v++)
		if (*v == 'w' && memcmp(v, "www.w3.org", 10) == 0)
			return true;
	return false;
}

/*
 * The attributes of a start tag, from q (the byte after its name) to its
 * end, checked and passed over; *empty tells "/>" from ">".
 */
static int
read_attributes(fast_scan *s, const uchar *q, bool *empty)
{
	const uchar *end = s->end;
	const uchar *names[FAST_MAX_ATTRS];
	size_t		lens[FAST_MAX_ATTRS];
	int			nattrs = 0;

	for (;;)
	{
		bool		blank = false;
		const uchar *a;
		const uchar *v;
		const uchar *close;
		size_t		alen;
		int			i;

		while (q < end && IS_BLANK(*q))
		{
			q++;
			blank = true;
		}
		if (q >= end)
			return FAST_OTHER;
		if (*q == '>')
		{
			s->p = q + 1;
			*empty = false;
			return FAST_OK;
		}
		if (*q == '/')
		{
			if (end - q < 2 || q[1] != '>')
				return FAST_OTHER;
			s->p = q + 2;
			*empty = true;
			return FAST_OK;
		}
		if (!blank || nattrs == FAST_MAX_ATTRS || !NAME_START(*q))
			return FAST_OTHER;

		/* name = "value" */
		a = q;
		q = name_run(q + 1, end);
		alen = (size_t) (q - a);
		if (alen > FAST_MAX_NAME)
			return FAST_OTHER;
		for (i = 0; i < nattrs; i++)
			if (lens[i] == alen && memcmp(names[i], a, alen) == 0)
				return FAST_OTHER;
		names[nattrs] = a;
		lens[nattrs++] = alen;
		while (q < end && IS_BLANK(*q))
			q++;
		if (q >= end || *q != '=')
			return FAST_OTHER;
		q++;
		while (q < end && IS_BLANK(*q))
			q++;
		if (q >= end || (*q != '"' && *q != '\''))
			return FAST_OTHER;
		v = q + 1;
		close = memchr(v, *q, (size_t) (end - v));
		if (close == NULL)
			return FAST_OTHER;

		/* the value: no '<', no reference, characters XML allows */
		for (q = v; q < close;)
		{
			size_t		n;

			q = plain_run(q, close);
			if (q >= close)
				break;
			if (text_class[*q] == T_RBRACKET)
				q++;
			else if (text_class[*q] == T_HIGH && (n = utf8_length(q, close)) != 0)
				q += n;
			else
				return FAST_OTHER;
		}

		/* namespace names libxml2 complains about (not fatally, but still) */
		if (alen == 5 && memcmp(a, "xmlns", 5) == 0 && has_w3_org(v, close))
			return FAST_OTHER;
		q = close + 1;
	}
}

/*
 * A start tag, s->p at its '<': its name, then s->p after its end; *empty
 * when it is "<name/>".
 */
static inline int
read_start_tag(fast_scan *s, const uchar **name, size_t *nlen, bool *empty)
{
	const uchar *q = s->p + 1;
	const uchar *end = s->end;
	const uchar *n0 = q;

	if (q >= end || !NAME_START(*q))
		return FAST_OTHER;
	q = name_run(q + 1, end);
	if (q >= end || (size_t) (q - n0) > FAST_MAX_NAME)
		return FAST_OTHER;
	*name = n0;
	*nlen = (size_t) (q - n0);
	if (*q == '>')
	{
		s->p = q + 1;
		*empty = false;
		return FAST_OK;
	}
	return read_attributes(s, q, empty);
}

/* The end tag of name, s->p at its '<'; s->p after it */
static inline int
read_end_tag(fast_scan *s, const uchar *name, size_t nlen)
{
	const uchar *q = s->p;
	const uchar *end = s->end;

	if ((size_t) (end - q) < nlen + 3 || q[1] != '/' || !same_bytes(q + 2, name, nlen))
		return FAST_OTHER;
	q += nlen + 2;
	if (*q != '>')
	{
		while (q < end && IS_BLANK(*q))
			q++;
		if (q >= end || *q != '>')
			return FAST_OTHER;
	}
	s->p = q + 1;
	return FAST_OK;
}

/*
 * Moves s->p to the next markup of an element's content: past text, which
 * is checked, to a '<' with a byte after it.
 */
static inline int
next_markup(fast_scan *s)
{
	if (s->p < s->end && *s->p != '<')
	{
		int			rc = skip_text(s);

		if (rc != FAST_OK)
			return rc;
	}
	return s->end - s->p >= 2 ? FAST_OK : FAST_OTHER;
}

/*
 * Passes over the content and end tag of an element that is not read (its
 * start tag, not an empty one, just read), at depth.
 */
static int
skip_element(fast_scan *s, const uchar *name, size_t nlen, int depth)
{
	const uchar *names[FAST_MAX_DEPTH];
	size_t		lens[FAST_MAX_DEPTH];
	int			top = 0;
	int			rc;

	names[0] = name;
	lens[0] = nlen;
	for (;;)
	{
		const uchar *n;
		size_t		l;
		bool		empty;

		if ((rc = next_markup(s)) != FAST_OK)
			return rc;
		if (s->p[1] == '/')
		{
			if ((rc = read_end_tag(s, names[top], lens[top])) != FAST_OK)
				return rc;
			if (top == 0)
				return FAST_OK;
			top--;
			continue;
		}
		if ((rc = read_start_tag(s, &n, &l, &empty)) != FAST_OK)
			return rc;
		if (empty)
			continue;
		if (depth + top + 1 >= FAST_MAX_DEPTH)
			return FAST_OTHER;
		top++;
		names[top] = n;
		lens[top] = l;
	}
}

/*
 * The value of an element read (its start tag just read): text and
 * references only, then its end tag.  *val is valid until the next value
 * is read.
 */
static int
read_value(fast_scan *s, const uchar *name, size_t nlen, bool empty,
		   const char **val, size_t *vlen)
{
	int			rc;

	if (empty)
	{
		*val = "";
		*vlen = 0;
		return FAST_OK;
	}
	if ((rc = read_text(s, val, vlen)) != FAST_OK)
		return rc;
	return read_end_tag(s, name, nlen);
}

/* A malloc'd copy of a value, or NULL */
static char *
copy_value(const char *val, size_t vlen)
{
	char	   *r = malloc(vlen + 1);

	if (r != NULL)
	{
		memcpy(r, val, vlen);
		r[vlen] = '\0';
	}
	return r;
}

/* s3x_parse_nonneg() on a value: a number, blanks around it, at most max */
static bool
parse_nonneg(const char *t, size_t len, long long max, long long *result)
{
	const char *end = t + len;
	long long	v = 0;
	bool		digits = false;

	while (t < end && IS_XML_SPACE(*t))
		t++;
	while (t < end && *t >= '0' && *t <= '9')
	{
		int			d = *t - '0';

		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
		digits = true;
		t++;
	}
	while (t < end && IS_XML_SPACE(*t))
		t++;
	if (!digits || t != end)
		return false;
	*result = v;
	return true;
}

/* s3x_equals_trimmed() on a value */
static bool
equals_trimmed(const char *t, size_t len, const char *word, size_t wlen)
{
	const char *end = t + len;

	while (t < end && IS_XML_SPACE(*t))
		t++;
	if ((size_t) (end - t) < wlen || memcmp(t, word, wlen) != 0)
		return false;
	t += wlen;
	while (t < end && IS_XML_SPACE(*t))
		t++;
	return t == end;
}

/* Which element of the root an element is */
static inline fast_field
root_field(const uchar *n, size_t len)
{
	switch (len)
	{
		case 8:
			if (SAME(n, "Contents"))
				return F_CONTENTS;
			if (SAME(n, "KeyCount"))
				return F_KEY_COUNT;
			break;
		case 11:
			if (SAME(n, "IsTruncated"))
				return F_IS_TRUNCATED;
			break;
		case 12:
			if (SAME(n, "EncodingType"))
				return F_ENCODING_TYPE;
			break;
		case 14:
			if (SAME(n, "CommonPrefixes"))
				return F_PREFIXES;
			break;
		case 21:
			if (SAME(n, "NextContinuationToken"))
				return F_TOKEN;
			break;
	}
	return F_OTHER;
}

/* Which element of Contents an element is */
static inline fast_field
contents_field(const uchar *n, size_t len)
{
	switch (len)
	{
		case 3:
			if (SAME(n, "Key"))
				return F_KEY;
			break;
		case 4:
			if (SAME(n, "Size"))
				return F_SIZE;
			if (SAME(n, "ETag"))
				return F_ETAG;
			break;
		case 12:
			if (SAME(n, "LastModified"))
				return F_LAST_MODIFIED;
			if (SAME(n, "StorageClass"))
				return F_STORAGE_CLASS;
			break;
	}
	return F_OTHER;
}

/* Is the start tag at n (after its '<') "<name>", no attribute, not empty? */
static inline bool
tag_is(const uchar *n, const uchar *end, const char *name, size_t len)
{
	return (size_t) (end - n) > len && same_bytes(n, (const uchar *) name, len) &&
		n[len] == '>';
}

/* Sets f and l when the start tag at n is "<name>" */
#define GUESS(n, name, field) \
	do { \
		if (tag_is((n), s->end, name, sizeof(name) - 1)) \
		{ \
			f = (field); \
			l = sizeof(name) - 1; \
		} \
	} while (0)

/* Takes a value into *field unless one is there (the first wins) */
static inline int
take_value(char **field, const char *val, size_t vlen)
{
	if (*field != NULL)
		return FAST_OK;
	*field = copy_value(val, vlen);
	return *field != NULL ? FAST_OK : FAST_OOM;
}

/* A hexadecimal digit's value, or -1 */
static inline int
hex_digit(char h)
{
	if (h >= '0' && h <= '9')
		return h - '0';
	if (h >= 'a' && h <= 'f')
		return h - 'a' + 10;
	if (h >= 'A' && h <= 'F')
		return h - 'A' + 10;
	return -1;
}

/*
 * Takes a key or prefix into *field unless one is there: URL-decoded when
 * the EncodingType read so far says so (the others are decoded at the
 * end), as s3_uri_decode_status() does it: %XX escapes, '+' as a space, no
 * NUL.  FAST_OTHER for a malformed escape.
 */
static int
take_name(fast_scan *s, char **field, const char *val, size_t vlen)
{
	const char *end = val + vlen;
	char	   *o;

	if (!s->url_encoded || *field != NULL)
		return take_value(field, val, vlen);
	o = malloc(vlen + 1);
	if (o == NULL)
		return FAST_OOM;
	*field = o;
	for (; val < end; val++)
	{
		char		c = *val;
		int			hi,
					lo;

		if (c == '+')
			c = ' ';
		else if (c == '%')
		{
			if (end - val < 3 || (hi = hex_digit(val[1])) < 0 ||
				(lo = hex_digit(val[2])) < 0 || (hi | lo) == 0)
				return FAST_OTHER;	/* the caller frees *field */
			c = (char) (hi * 16 + lo);
			val += 2;
		}
		*o++ = c;
	}
	*o = '\0';
	return FAST_OK;
}

/* A key or prefix read before the first EncodingType: take_name() in place */
static bool
url_decode_in_place(char *str)
{
	char	   *in = strpbrk(str, "%+");
	char	   *o = in;

	if (in == NULL)
		return true;
	while (*in != '\0')
	{
		int			hi,
					lo;

		if (*in == '+')
		{
			*o++ = ' ';
			in++;
			continue;
		}
		if (*in != '%')
		{
			*o++ = *in++;
			continue;
		}
		/* a NUL, the end, is no digit */
		if ((hi = hex_digit(in[1])) < 0 || (lo = hex_digit(in[2])) < 0 || (hi | lo) == 0)
			return false;
		*o++ = (char) (hi * 16 + lo);
		in += 3;
	}
	*o = '\0';
	return true;
}

/* The children of a Contents (its start tag, not an empty one, just read) */
static int
read_contents_fields(fast_scan *s, s3_object_entry *e)
{
	bool		have_size = false;
	int			rc;

	for (;;)
	{
		const uchar *n;
		size_t		l;
		bool		empty;
		const char *val;
		size_t		vlen;
		fast_field	f;

		if ((rc = next_markup(s)) != FAST_OK)
			return rc;
		n = s->p + 1;
		if (*n == '/')
			return read_end_tag(s, (const uchar *) "Contents", 8);

		/* S3's elements, without attributes, are known at a glance */
		f = F_OTHER;
		switch (*n)
		{
			case 'K':
				GUESS(n, "Key", F_KEY);
				break;
			case 'L':
				GUESS(n, "LastModified", F_LAST_MODIFIED);
				break;
			case 'E':
				GUESS(n, "ETag", F_ETAG);
				break;
			case 'S':
				GUESS(n, "Size", F_SIZE);
				if (f == F_OTHER)
					GUESS(n, "StorageClass", F_STORAGE_CLASS);
				break;
		}
		if (f != F_OTHER)
		{
			s->p = n + l + 1;
			empty = false;
		}
		else
		{
			if ((rc = read_start_tag(s, &n, &l, &empty)) != FAST_OK)
				return rc;
			f = contents_field(n, l);
		}
		if (f == F_OTHER)
		{
			if (!empty && (rc = skip_element(s, n, l, 3)) != FAST_OK)
				return rc;
			continue;
		}
		if ((rc = read_value(s, n, l, empty, &val, &vlen)) != FAST_OK)
			return rc;
		switch (f)
		{
			case F_KEY:
				rc = take_name(s, &e->key, val, vlen);
				break;
			case F_SIZE:
				if (!have_size)
				{
					long long	v;

					if (!parse_nonneg(val, vlen, LLONG_MAX, &v))
						return FAST_OTHER;
					e->size = v;
					have_size = true;
				}
				break;
			case F_LAST_MODIFIED:
				rc = take_value(&e->last_modified, val, vlen);
				break;
			case F_ETAG:
				/* without one pair of surrounding quotes */
				if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"')
					rc = take_value(&e->etag, val + 1, vlen - 2);
				else
					rc = take_value(&e->etag, val, vlen);
				break;
			case F_STORAGE_CLASS:
				rc = take_value(&e->storage_class, val, vlen);
				break;
			default:
				break;
		}
		if (rc != FAST_OK)
			return rc;
	}
}

/* One Contents (its start tag just read): an object */
static int
read_contents(fast_scan *s, bool empty)
{
	s3_object_entry e;
	void	   *p;
	int			rc;

	memset(&e, 0, sizeof(e));
	e.size = -1;
	if (empty)
		return FAST_OTHER;		/* Contents without Key */
	rc = read_contents_fields(s, &e);
	if (rc == FAST_OK && (e.key == NULL || e.key[0] == '\0'))
		rc = FAST_OTHER;		/* no Key, or an empty one (decoding keeps it so) */
	if (rc == FAST_OK && s->res.n == s->cap)
	{
		size_t		cap = s->cap == 0 ? 64 : s->cap * 2;

		if (cap > SIZE_MAX / sizeof(*s->res.items) ||
			(p = realloc(s->res.items, cap * sizeof(*s->res.items))) == NULL)
			rc = FAST_OOM;
		else
		{
			s->res.items = p;
			s->cap = cap;
		}
	}
	if (rc != FAST_OK)
	{
		free(e.key);
		free(e.last_modified);
		free(e.etag);
		free(e.storage_class);
		return rc;
	}
	s->res.items[s->res.n++] = e;
	return FAST_OK;
}

/* One CommonPrefixes (its start tag just read): its Prefix */
static int
read_prefixes(fast_scan *s, bool empty)
{
	char	   *prefix = NULL;
	void	   *p;
	int			rc = FAST_OK;

	if (empty)
		return FAST_OTHER;		/* CommonPrefixes without Prefix */
	for (;;)
	{
		const uchar *n;
		size_t		l;
		bool		e;
		const char *val;
		size_t		vlen;

		if ((rc = next_markup(s)) != FAST_OK)
			break;
		if (s->p[1] == '/')
		{
			rc = read_end_tag(s, (const uchar *) "CommonPrefixes", 14);
			break;
		}
		if ((rc = read_start_tag(s, &n, &l, &e)) != FAST_OK)
			break;
		if (l == 6 && SAME(n, "Prefix"))
		{
			if ((rc = read_value(s, n, l, e, &val, &vlen)) != FAST_OK ||
				(rc = take_name(s, &prefix, val, vlen)) != FAST_OK)
				break;
		}
		else if (!e && (rc = skip_element(s, n, l, 3)) != FAST_OK)
			break;
	}
	if (rc == FAST_OK && prefix == NULL)
		rc = FAST_OTHER;
	if (rc == FAST_OK && s->res.n_prefixes == s->pcap)
	{
		size_t		cap = s->pcap == 0 ? 16 : s->pcap * 2;

		if (cap > SIZE_MAX / sizeof(*s->res.common_prefixes) ||
			(p = realloc(s->res.common_prefixes,
						 cap * sizeof(*s->res.common_prefixes))) == NULL)
			rc = FAST_OOM;
		else
		{
			s->res.common_prefixes = p;
			s->pcap = cap;
		}
	}
	if (rc != FAST_OK)
	{
		free(prefix);
		return rc;
	}
	s->res.common_prefixes[s->res.n_prefixes++] = prefix;
	return FAST_OK;
}

/* A child of the root that holds a value (its start tag just read) */
static int
read_root_value(fast_scan *s, fast_field f, const uchar *n, size_t l, bool empty)
{
	const char *val;
	size_t		vlen;
	long long	v;
	int			rc;

	if ((rc = read_value(s, n, l, empty, &val, &vlen)) != FAST_OK)
		return rc;
	switch (f)
	{
		case F_IS_TRUNCATED:
			if (s->have_truncated)
				break;
			if (equals_trimmed(val, vlen, "true", 4))
				s->res.is_truncated = true;
			else if (!equals_trimmed(val, vlen, "false", 5))
				return FAST_OTHER;
			s->have_truncated = true;
			break;
		case F_TOKEN:
			return take_value(&s->res.next_continuation_token, val, vlen);
		case F_KEY_COUNT:
			if (s->res.key_count >= 0)
				break;
			if (!parse_nonneg(val, vlen, INT_MAX, &v))
				return FAST_OTHER;
			s->res.key_count = (int) v;
			break;
		case F_ENCODING_TYPE:
			if (s->have_encoding)
				break;
			if (!equals_trimmed(val, vlen, "url", 3))
				return FAST_OTHER;
			s->have_encoding = true;
			s->url_encoded = true;
			/* those read so far are decoded at the end */
			s->raw_items = s->res.n;
			s->raw_prefixes = s->res.n_prefixes;
			break;
		default:
			break;
	}
	return FAST_OK;
}

/* The XML declaration, s->p at its "<?xml" */
static int
read_declaration(fast_scan *s)
{
	const uchar *q = s->p + 5;
	const uchar *end = s->end;
	bool		have_encoding = false;
	bool		have_standalone = false;
	uchar		quote;

#define SKIP_BLANKS() do { while (q < end && IS_BLANK(*q)) q++; } while (0)
#define HAS(str) ((size_t) (end - q) >= sizeof(str) - 1 && memcmp(q, str, sizeof(str) - 1) == 0)
#define EQ_QUOTE() \
	do { \
		SKIP_BLANKS(); \
		if (q >= end || *q != '=') \
			return FAST_OTHER; \
		q++; \
		SKIP_BLANKS(); \
		if (q >= end || (*q != '"' && *q != '\'')) \
			return FAST_OTHER; \
		quote = *q++; \
	} while (0)

	if (q >= end || !IS_BLANK(*q))
		return FAST_OTHER;
	SKIP_BLANKS();
	if (!HAS("version"))
		return FAST_OTHER;
	q += 7;
	EQ_QUOTE();
	if (!HAS("1.0") || end - q < 4 || q[3] != quote)
		return FAST_OTHER;
	q += 4;
	for (;;)
	{
		const uchar *before = q;

		SKIP_BLANKS();
		if (HAS("?>"))
		{
			s->p = q + 2;
			return FAST_OK;
		}
		if (q == before)
			return FAST_OTHER;
		if (!have_encoding && !have_standalone && HAS("encoding"))
		{
			q += 8;
			EQ_QUOTE();
			if (end - q < 6 || (q[0] | 0x20) != 'u' || (q[1] | 0x20) != 't' ||
				(q[2] | 0x20) != 'f' || q[3] != '-' || q[4] != '8' || q[5] != quote)
				return FAST_OTHER;
			q += 6;
			have_encoding = true;
		}
		else if (!have_standalone && HAS("standalone"))
		{
			q += 10;
			EQ_QUOTE();
			if (HAS("yes"))
				q += 3;
			else if (HAS("no"))
				q += 2;
			else
				return FAST_OTHER;
			if (q >= end || *q != quote)
				return FAST_OTHER;
			q++;
			have_standalone = true;
		}
		else
			return FAST_OTHER;
	}
#undef SKIP_BLANKS
#undef HAS
#undef EQ_QUOTE
}

/* The whole page */
static int
read_page(fast_scan *s)
{
	const uchar *n;
	size_t		l;
	bool		empty;
	size_t		i;
	int			rc;

	if (s->end - s->p >= 5 && memcmp(s->p, "<?xml", 5) == 0 &&
		(rc = read_declaration(s)) != FAST_OK)
		return rc;
	while (s->p < s->end && IS_BLANK(*s->p))
		s->p++;
	if (s->p >= s->end || *s->p != '<' ||
		(rc = read_start_tag(s, &n, &l, &empty)) != FAST_OK)
		return FAST_OTHER;
	if (l != 16 || memcmp(n, "ListBucketResult", 16) != 0)
		return FAST_OTHER;

	while (!empty)
	{
		fast_field	f;
		const uchar *cn;
		size_t		cl;
		bool		cempty;

		if ((rc = next_markup(s)) != FAST_OK)
			return rc;
		if (s->p[1] == '/')
		{
			if ((rc = read_end_tag(s, n, l)) != FAST_OK)
				return rc;
			break;
		}
		if ((rc = read_start_tag(s, &cn, &cl, &cempty)) != FAST_OK)
			return rc;
		f = root_field(cn, cl);
		if (f == F_CONTENTS)
			rc = read_contents(s, cempty);
		else if (f == F_PREFIXES)
			rc = read_prefixes(s, cempty);
		else if (f != F_OTHER)
			rc = read_root_value(s, f, cn, cl, cempty);
		else if (!cempty)
			rc = skip_element(s, cn, cl, 2);
		if (rc != FAST_OK)
			return rc;
	}

	/* nothing but blanks after the root */
	while (s->p < s->end && IS_BLANK(*s->p))
		s->p++;
	if (s->p != s->end)
		return FAST_OTHER;

	/* what came before the first EncodingType is decoded now */
	if (s->url_encoded)
	{
		for (i = 0; i < s->raw_items; i++)
			if (!url_decode_in_place(s->res.items[i].key))
				return FAST_OTHER;
		for (i = 0; i < s->raw_prefixes; i++)
			if (!url_decode_in_place(s->res.common_prefixes[i]))
				return FAST_OTHER;
	}
	return FAST_OK;
}

int
s3_xml_fast_list_objects(const char *buf, size_t len, s3_object_list *out)
{
	fast_scan	s;
	int			rc;

	if (out == NULL)
		return FAST_OTHER;
	memset(out, 0, sizeof(*out));
	if (buf == NULL || len == 0 || len > FAST_MAX_INPUT)
		return FAST_OTHER;

	s.p = (const uchar *) buf;
	s.end = s.p + len;
	memset(&s.res, 0, sizeof(s.res));
	s.res.key_count = -1;
	s.cap = 0;
	s.pcap = 0;
	s.have_truncated = false;
	s.have_encoding = false;
	s.url_encoded = false;
	s.raw_items = 0;
	s.raw_prefixes = 0;
	s.scratch = s.small;
	s.scratch_cap = sizeof(s.small);

	rc = read_page(&s);
	if (s.scratch != s.small)
		free(s.scratch);
	if (rc != FAST_OK)
	{
		s3_object_list_free(&s.res);
		return rc;
	}
	*out = s.res;
	return FAST_OK;
}
