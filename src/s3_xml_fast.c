/*-------------------------------------------------------------------------
 *
 * s3_xml_fast.c
 *		A scanner for S3's ListObjectsV2 page (ListBucketResult) that reads
 *		the XML S3 and the common S3-compatible stores send without libxml2,
 *		several times faster than s3_xml_parse_list_objects() (s3_xml_list.c),
 *		whose answer it gives.
 *
 * The page is read in one pass, skipping to the next '<' or '&' a table
 * lookup at a time.  Only the strings the page keeps are copied, into a few
 * blocks freed together (s3_object_list.arena), and only the fields the
 * caller reads (s3_xml_fast_list_objects_want()): the others are checked
 * as they are read, so that the answer does not depend on them, and left
 * NULL.
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
 * The XML itself is scanned in s3_xml_fast_lex.c (the tags, read at every
 * element, inlined from s3_xml_fast_lex.h); this file takes the page's
 * fields from it and builds the result.
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

#include "core.h"
#include "s3_xml.h"
#include "s3_xml_fast.h"
#include "s3_xml_fast_lex.h"

/* What s3x_parse_nonneg() and s3x_equals_trimmed() trim (CR may come from &#13;) */
#define IS_XML_SPACE(c)	((c) == ' ' || (c) == '\n' || (c) == '\t' || (c) == '\r')


#define SAME(n, str)	same_bytes((n), (const uchar *) (str), sizeof(str) - 1)

/* A copy of a value among the page's strings, or NULL */
static char *
copy_value(fast_scan *s, const char *val, size_t vlen)
{
	char	   *r = s3x_fast_alloc(s, vlen + 1);

	if (r != NULL)
	{
		memcpy(r, val, vlen);
		r[vlen] = '\0';
	}
	return r;
}

/*
 * s3x_parse_nonneg() on a value: a number, blanks around it, at most max
 * (inlined, so that the bound's divisions are the compiler's)
 */
static inline bool
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

		if (v > max / 10 || (v == max / 10 && d > max % 10))
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
bool
s3x_fast_equals_trimmed(const char *t, size_t len, const char *word, size_t wlen)
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

/*
 * The element names the scanner knows, in the order a page usually has
 * them (the first that matches is taken, lengths compared first).
 */
typedef struct fast_name
{
	const char *name;
	size_t		len;
	fast_field	field;
} fast_name;

#define NAME(str, field)	{(str), sizeof(str) - 1, (field)}

/* the root's children */
static const fast_name root_names[] = {
	NAME("Contents", F_CONTENTS),
	NAME("CommonPrefixes", F_PREFIXES),
	NAME("IsTruncated", F_IS_TRUNCATED),
	NAME("NextContinuationToken", F_TOKEN),
	NAME("KeyCount", F_KEY_COUNT),
	NAME("EncodingType", F_ENCODING_TYPE)
};

/* the children of Contents */
static const fast_name contents_names[] = {
	NAME("Key", F_KEY),
	NAME("LastModified", F_LAST_MODIFIED),
	NAME("ETag", F_ETAG),
	NAME("Size", F_SIZE),
	NAME("StorageClass", F_STORAGE_CLASS)
};

/* Which of names the element named n (len bytes) is, or F_OTHER */
static inline fast_field
lookup_field(const fast_name *names, size_t nnames, const uchar *n, size_t len)
{
	size_t		i;

	for (i = 0; i < nnames; i++)
		if (names[i].len == len && same_bytes(n, (const uchar *) names[i].name, len))
			return names[i].field;
	return F_OTHER;
}

#define contents_field(n, len)	lookup_field(contents_names, sizeof(contents_names) / sizeof(contents_names[0]), (n), (len))

/* Which child of the root an element is */
fast_field
s3x_fast_root_field(const uchar *n, size_t len)
{
	return lookup_field(root_names, sizeof(root_names) / sizeof(root_names[0]), n, len);
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
take_value(fast_scan *s, char **field, const char *val, size_t vlen)
{
	if (*field != NULL)
		return FAST_OK;
	*field = copy_value(s, val, vlen);
	return *field != NULL ? FAST_OK : FAST_OOM;
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
		return take_value(s, field, val, vlen);
	o = s3x_fast_alloc(s, vlen + 1);
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
			if (end - val < 3 || (hi = core_hex_value(val[1])) < 0 ||
				(lo = core_hex_value(val[2])) < 0 || (hi | lo) == 0)
				return FAST_OTHER;
			c = (char) (hi * 16 + lo);
			val += 2;
		}
		*o++ = c;
	}
	*o = '\0';
	return FAST_OK;
}

/* Would take_name() decode the value (when the page is URL-encoded)? */
static bool
decodable(const char *val, size_t vlen)
{
	const char *end = val + vlen;
	int			hi,
				lo;

	while ((val = memchr(val, '%', (size_t) (end - val))) != NULL)
	{
		if (end - val < 3 || (hi = core_hex_value(val[1])) < 0 ||
			(lo = core_hex_value(val[2])) < 0 || (hi | lo) == 0)
			return false;
		val += 3;
	}
	return true;
}

/*
 * The first Key of a Contents whose keys are not kept: checked as
 * take_name() and read_page() would check it.  Empty, it makes the page
 * one the scanner leaves (as an empty key does); read before the first
 * EncodingType, it may still have to be decoded (raw_bad_escape).
 */
static int
check_key(fast_scan *s, const char *val, size_t vlen)
{
	if (vlen == 0)
		return FAST_OTHER;
	if (!decodable(val, vlen))
	{
		if (s->url_encoded)
			return FAST_OTHER;
		s->raw_bad_escape = true;
	}
	return FAST_OK;
}

/*
 * The rest of an element whose value is not kept (its start tag just
 * read): its text checked, as s3x_fast_read_text() checks it, then its end
 * tag.
 */
static inline int
skip_value(fast_scan *s, const uchar *name, size_t nlen, bool empty)
{
	int			rc;

	if (empty)
		return FAST_OK;
	if (s->p < s->end && *s->p != '<' && (rc = s3x_fast_skip_text(s)) != FAST_OK)
		return rc;
	return read_end_tag(s, name, nlen);
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
		if ((hi = core_hex_value(in[1])) < 0 || (lo = core_hex_value(in[2])) < 0 || (hi | lo) == 0)
			return false;
		*o++ = (char) (hi * 16 + lo);
		in += 3;
	}
	*o = '\0';
	return true;
}

/* Is an element of Contents one whose value is not kept? */
static inline bool
not_kept(unsigned want, fast_field f)
{
	switch (f)
	{
		case F_LAST_MODIFIED:
			return (want & S3_WANT_LAST_MODIFIED) == 0;
		case F_ETAG:
			return (want & S3_WANT_ETAG) == 0;
		case F_STORAGE_CLASS:
			return (want & S3_WANT_STORAGE_CLASS) == 0;
		default:
			return false;
	}
}

/*
 * The children of a Contents (its start tag, not an empty one, just read);
 * *have_key once it had a Key, kept or not.
 */
static int
read_contents_fields(fast_scan *s, s3_object_entry *e, bool *have_key)
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
			if (!empty && (rc = s3x_fast_skip_element(s, n, l, 3)) != FAST_OK)
				return rc;
			continue;
		}
		if (not_kept(s->want, f))
		{
			if ((rc = skip_value(s, n, l, empty)) != FAST_OK)
				return rc;
			continue;
		}
		if ((rc = read_value(s, n, l, empty, &val, &vlen)) != FAST_OK)
			return rc;
		switch (f)
		{
			case F_KEY:
				if (s->want & S3_WANT_KEY)
					rc = take_name(s, &e->key, val, vlen);
				else if (!*have_key)
					rc = check_key(s, val, vlen);
				*have_key = true;
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
				rc = take_value(s, &e->last_modified, val, vlen);
				break;
			case F_ETAG:
				/* without one pair of surrounding quotes */
				if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"')
					rc = take_value(s, &e->etag, val + 1, vlen - 2);
				else
					rc = take_value(s, &e->etag, val, vlen);
				break;
			case F_STORAGE_CLASS:
				rc = take_value(s, &e->storage_class, val, vlen);
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
	bool		have_key = false;
	void	   *p;
	int			rc;

	memset(&e, 0, sizeof(e));
	e.size = -1;
	if (empty)
		return FAST_OTHER;		/* Contents without Key */
	/* its strings, if any, are the arena's: nothing to free on failure */
	if ((rc = read_contents_fields(s, &e, &have_key)) != FAST_OK)
		return rc;
	if (!have_key || ((s->want & S3_WANT_KEY) && e.key[0] == '\0'))
		return FAST_OTHER;		/* no Key, or an empty one (decoding keeps it so) */
	if (s->res.n == s->cap)
	{
		size_t		cap = s->cap == 0 ? 64 : s->cap * 2;

		if (cap > SIZE_MAX / sizeof(*s->res.items) ||
			(p = realloc(s->res.items, cap * sizeof(*s->res.items))) == NULL)
			return FAST_OOM;
		s->res.items = p;
		s->cap = cap;
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
		else if (!e && (rc = s3x_fast_skip_element(s, n, l, 3)) != FAST_OK)
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
		return rc;				/* the prefix, if any, is the arena's */
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
			if (s3x_fast_equals_trimmed(val, vlen, "true", 4))
				s->res.is_truncated = true;
			else if (!s3x_fast_equals_trimmed(val, vlen, "false", 5))
				return FAST_OTHER;
			s->have_truncated = true;
			break;
		case F_TOKEN:
			return take_value(s, &s->res.next_continuation_token, val, vlen);
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
			if (!s3x_fast_equals_trimmed(val, vlen, "url", 3))
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

/*
 * The prolog (an XML declaration, blanks) and the root's start tag, which
 * must be ListBucketResult's: its name, then s->p after it; *empty when it
 * is "<ListBucketResult/>".
 */
int
s3x_fast_read_root_start(fast_scan *s, const uchar **n, size_t *l, bool *empty)
{
	int			rc;

	if (s->end - s->p >= 5 && memcmp(s->p, "<?xml", 5) == 0 &&
		(rc = s3x_fast_read_declaration(s)) != FAST_OK)
		return rc;
	while (s->p < s->end && IS_BLANK(*s->p))
		s->p++;
	if (s->p >= s->end || *s->p != '<' ||
		read_start_tag(s, n, l, empty) != FAST_OK)
		return FAST_OTHER;
	if (*l != 16 || memcmp(*n, "ListBucketResult", 16) != 0)
		return FAST_OTHER;
	return FAST_OK;
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

	if ((rc = s3x_fast_read_root_start(s, &n, &l, &empty)) != FAST_OK)
		return rc;

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
		/* S3's Contents, without attributes, at a glance */
		if (tag_is(s->p + 1, s->end, "Contents", 8))
		{
			s->p += 10;
			if ((rc = read_contents(s, false)) != FAST_OK)
				return rc;
			continue;
		}
		if ((rc = read_start_tag(s, &cn, &cl, &cempty)) != FAST_OK)
			return rc;
		f = s3x_fast_root_field(cn, cl);
		if (f == F_CONTENTS)
			rc = read_contents(s, cempty);
		else if (f == F_PREFIXES)
			rc = read_prefixes(s, cempty);
		else if (f != F_OTHER)
			rc = read_root_value(s, f, cn, cl, cempty);
		else if (!cempty)
			rc = s3x_fast_skip_element(s, cn, cl, 2);
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
		if (s->raw_bad_escape)
			return FAST_OTHER;
		for (i = 0; i < s->raw_items && (s->want & S3_WANT_KEY); i++)
			if (!url_decode_in_place(s->res.items[i].key))
				return FAST_OTHER;
		for (i = 0; i < s->raw_prefixes; i++)
			if (!url_decode_in_place(s->res.common_prefixes[i]))
				return FAST_OTHER;
	}
	return FAST_OK;
}

/* A scan of the bytes from p to end, keeping the fields in want */
void
s3x_fast_scan_start(fast_scan *s, const uchar *p, const uchar *end, unsigned want)
{
	s->p = p;
	s->end = end;
	s->want = want;
	memset(&s->res, 0, sizeof(s->res));
	s->arena_next = ARENA_FIRST;
	s->raw_bad_escape = false;
	s->res.key_count = -1;
	s->cap = 0;
	s->pcap = 0;
	s->have_truncated = false;
	s->have_encoding = false;
	s->url_encoded = false;
	s->raw_items = 0;
	s->raw_prefixes = 0;
	s->scratch = s->small;
	s->scratch_cap = sizeof(s->small);
}

int
s3_xml_fast_list_objects(const char *buf, size_t len, s3_object_list *out)
{
	return s3_xml_fast_list_objects_want(buf, len, S3_WANT_ALL, out);
}

int
s3_xml_fast_list_objects_want(const char *buf, size_t len, unsigned want,
							  s3_object_list *out)
{
	fast_scan	s;
	int			rc;

	if (out == NULL)
		return FAST_OTHER;
	memset(out, 0, sizeof(*out));
	if (buf == NULL || len == 0 || len > FAST_MAX_INPUT)
		return FAST_OTHER;

	s3x_fast_scan_start(&s, (const uchar *) buf, (const uchar *) buf + len, want);
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
