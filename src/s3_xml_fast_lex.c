/*-------------------------------------------------------------------------
 *
 * s3_xml_fast_lex.c
 *		The XML side of the fast ListObjectsV2 scanner (s3_xml_fast.c): the
 *		subset of XML it reads, scanned a byte class at a time.  Text and
 *		the references in it, UTF-8 checks, attributes, elements passed
 *		over whole, the XML declaration; and the blocks the page's strings
 *		are copied to.
 *
 * Which subset, and why, is told in s3_xml_fast.c, which takes the page's
 * fields from what is read here; the start and end tags, read at every
 * element, are inlined from s3_xml_fast_lex.h.  Each function returns
 * FAST_OK, FAST_OTHER (beyond the subset: libxml2 decides) or FAST_OOM.
 * libc only, like the other cores.
 *
 * IDENTIFICATION
 *	  src/s3_xml_fast_lex.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "s3_xml_fast_lex.h"

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

const uchar s3x_fast_name_class[256] = {
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

/* The first byte at q or after, before lim, that is not plain text */
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
int
s3x_fast_skip_text(fast_scan *s)
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

/*
 * n bytes for the page's strings, from its blocks (s3_object_list.arena):
 * no malloc for each string, one free for them all.  NULL when out of
 * memory.
 */
char *
s3x_fast_alloc(fast_scan *s, size_t n)
{
	fast_block *b = (fast_block *) s->res.arena;
	char	   *r;

	if (b == NULL || b->cap - b->used < n)
	{
		size_t		cap = s->arena_next > n ? s->arena_next : n;

		if (cap > SIZE_MAX - sizeof(fast_block) ||
			(b = malloc(sizeof(fast_block) + cap)) == NULL)
			return NULL;
		b->next = s->res.arena;
		b->used = 0;
		b->cap = cap;
		s->res.arena = b;
		if (s->arena_next < ARENA_MOST)
			s->arena_next *= 2;
	}
	r = b->data + b->used;
	b->used += n;
	return r;
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
int
s3x_fast_read_text(fast_scan *s, const char **val, size_t *vlen)
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
int
s3x_fast_read_attributes(fast_scan *s, const uchar *q, bool *empty)
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
 * Passes over the content and end tag of an element that is not read (its
 * start tag, not an empty one, just read), at depth.
 */
int
s3x_fast_skip_element(fast_scan *s, const uchar *name, size_t nlen, int depth)
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

/* The XML declaration, s->p at its "<?xml" */
int
s3x_fast_read_declaration(fast_scan *s)
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
