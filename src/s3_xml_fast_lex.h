/*-------------------------------------------------------------------------
 *
 * s3_xml_fast_lex.h
 *		What the fast ListObjectsV2 scanner's two files share: the scan's
 *		state, the limits of the XML subset it reads, and the tag reading
 *		done at every element, inlined where the page's fields are taken
 *		(s3_xml_fast.c) from the XML side (s3_xml_fast_lex.c).  libc only.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_S3_XML_FAST_LEX_H
#define S3FDW_S3_XML_FAST_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "s3_xml.h"

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

/*
 * What a byte is in a name (the table is in s3_xml_fast_lex.c): 3 may start
 * one, any but 0 continue it
 */
extern const uchar s3x_fast_name_class[256];

#define NAME_START(c)	(s3x_fast_name_class[(uchar) (c)] == 3)
#define NAME_CHAR(c)	(s3x_fast_name_class[(uchar) (c)] != 0)

/* XML's blanks, but the carriage return, which the subset leaves out */
#define IS_BLANK(c)		((c) == ' ' || (c) == '\n' || (c) == '\t')

/* The first block of a page's strings; the next ones double, up to the most */
#define ARENA_FIRST		((size_t) 8 * 1024)
#define ARENA_MOST		((size_t) 256 * 1024)

/* A block of the page's strings (s3_object_list.arena) */
typedef struct fast_block
{
	void	   *next;			/* first: s3_object_list_free() walks it */
	size_t		used;
	size_t		cap;			/* bytes of data */
	char		data[];
} fast_block;

/* One scan of a page */
typedef struct fast_scan
{
	const uchar *p;				/* the next byte to read */
	const uchar *end;
	unsigned	want;			/* S3_WANT_* */
	s3_object_list res;			/* res.arena: the blocks strings go to */
	size_t		arena_next;		/* the size of the next block */
	bool		raw_bad_escape; /* a key not kept, read before the first
								 * EncodingType, that URL decoding refuses */
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

/* s3_xml_fast_lex.c */
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

/*
 * s3_xml_fast.c: the page's root, as the peek (s3_xml_peek.c) reads it
 * too: the scan of a piece of the page, the prolog and the root's start
 * tag, which child of the root an element is, a boolean's word.
 */
extern void s3x_fast_scan_start(fast_scan *s, const uchar *p, const uchar *end, unsigned want);
extern int	s3x_fast_read_root_start(fast_scan *s, const uchar **n, size_t *l, bool *empty);
extern fast_field s3x_fast_root_field(const uchar *n, size_t len);
extern bool s3x_fast_equals_trimmed(const char *t, size_t len, const char *word, size_t wlen);

/* s3_xml_fast_lex.c */
extern char *s3x_fast_alloc(fast_scan *s, size_t n);
extern int	s3x_fast_skip_text(fast_scan *s);
extern int	s3x_fast_read_text(fast_scan *s, const char **val, size_t *vlen);
extern int	s3x_fast_read_attributes(fast_scan *s, const uchar *q, bool *empty);
extern int	s3x_fast_skip_element(fast_scan *s, const uchar *name, size_t nlen, int depth);
extern int	s3x_fast_read_declaration(fast_scan *s);

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
 * Are the n bytes at a and b the same?  (memcmp, inlined: names are short;
 * a word at a time, the last one overlapping the one before)
 */
static inline bool
same_bytes(const uchar *a, const uchar *b, size_t n)
{
	uint64_t	x,
				y;
	uint32_t	u,
				v;

	if (n >= 8)
	{
		while (n > 8)
		{
			memcpy(&x, a, 8);
			memcpy(&y, b, 8);
			if (x != y)
				return false;
			a += 8;
			b += 8;
			n -= 8;
		}
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x == y;
	}
	if (n >= 4)
	{
		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		if (u != v)
			return false;
		memcpy(&u, a + n - 4, 4);
		memcpy(&v, b + n - 4, 4);
		return u == v;
	}
	while (n > 0)
	{
		if (*a++ != *b++)
			return false;
		n--;
	}
	return true;
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
	return s3x_fast_read_attributes(s, q, empty);
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
		int			rc = s3x_fast_skip_text(s);

		if (rc != FAST_OK)
			return rc;
	}
	return s->end - s->p >= 2 ? FAST_OK : FAST_OTHER;
}

/*
 * The value of an element read (its start tag just read): text and
 * references only, then its end tag.  *val is valid until the next value
 * is read.
 */
static inline int
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
	if ((rc = s3x_fast_read_text(s, val, vlen)) != FAST_OK)
		return rc;
	return read_end_tag(s, name, nlen);
}

#endif							/* S3FDW_S3_XML_FAST_LEX_H */
