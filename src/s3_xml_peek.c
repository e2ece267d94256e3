/*-------------------------------------------------------------------------
 *
 * s3_xml_peek.c
 *		The peek at a ListObjectsV2 page's head as its bytes arrive: whether
 *		it is truncated, and its continuation token, known before the keys
 *		when the store sends them first (as AWS does), so that the next page
 *		can be asked for while this one is still coming.
 *
 * Its answer is the fast scanner's (s3_xml_fast.c), whose lexer and root
 * reading it uses, on the head alone: KNOWN, MORE (not enough bytes yet),
 * or UNKNOWN (the keys come first, as moto and Ceph RGW send them;
 * anything beyond the scanner's subset; a head over S3_PEEK_MAX_HEAD).
 * Like the other cores it uses libc only.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "s3_xml.h"
#include "s3_xml_fast.h"
#include "s3_xml_fast_lex.h"

/*
 * The peek goes over the bytes as they come in two steps.  First it follows
 * the markup (s3_list_peek.split, mode, quote, depth): the next '<' in text,
 * the '>' that ends a tag (outside the quotes of its attributes in a start
 * tag), counting the elements open, so that it knows where each child of
 * the root ends without reading it.  Then, each time the prolog and the
 * root's start tag, or one child of the root, lie whole in the bytes, the
 * scanner reads them (from s3_list_peek.read) as read_page() would: any
 * reading of the scanner that succeeds does not depend on the bytes after
 * it, so what it reads in the head is what it, or the tree parser, reads
 * in the whole page.  Following the markup lets the scanner tell "beyond
 * the subset" from "not all there yet", and neither step goes over a byte
 * twice, however small the pieces.
 */
#define PEEK_TEXT	0			/* in text: up to the next '<' */
#define PEEK_START	1			/* in a start tag: up to its '>' */
#define PEEK_END	2			/* in an end tag: up to its '>' */
#define PEEK_DECL	3			/* in the XML declaration: up to its '>' */

/* The answer is the page's: the token only when it is truncated */
static void
peek_known(s3_list_peek *pk, bool truncated)
{
	pk->answer = S3_PEEK_KNOWN;
	pk->is_truncated = truncated;
	if (!truncated)
	{
		free(pk->token);
		pk->token = NULL;
	}
}

/* The head cannot tell: the whole page will */
static void
peek_unknown(s3_list_peek *pk)
{
	pk->answer = S3_PEEK_UNKNOWN;
	pk->is_truncated = false;
	free(pk->token);
	pk->token = NULL;
}

/*
 * Children of the root, whole, from s->p to s->end (or its end tag): the
 * first IsTruncated and NextContinuationToken, read as read_root_value()
 * reads them, until both are known, or IsTruncated is false.  A Contents
 * or CommonPrefixes first is FAST_OTHER, as is anything beyond the subset.
 */
static int
peek_children(s3_list_peek *pk, fast_scan *s)
{
	while (s->p < s->end && pk->answer == S3_PEEK_MORE)
	{
		const uchar *n;
		size_t		l;
		bool		empty;
		const char *val;
		size_t		vlen;
		fast_field	f;
		int			rc;

		if ((rc = next_markup(s)) != FAST_OK)
			return rc;
		if (s->p[1] == '/')
		{
			/* the root's end: what has not come, the page does not have */
			if ((rc = read_end_tag(s, (const uchar *) "ListBucketResult", 16)) != FAST_OK)
				return rc;
			peek_known(pk, pk->have_truncated && pk->is_truncated);
			return FAST_OK;
		}
		if ((rc = read_start_tag(s, &n, &l, &empty)) != FAST_OK)
			return rc;
		f = s3x_fast_root_field(n, l);
		if (f == F_CONTENTS || f == F_PREFIXES)
			return FAST_OTHER;
		if (f != F_IS_TRUNCATED && f != F_TOKEN)
		{
			if (!empty && (rc = s3x_fast_skip_element(s, n, l, 2)) != FAST_OK)
				return rc;
			continue;
		}
		if ((rc = read_value(s, n, l, empty, &val, &vlen)) != FAST_OK)
			return rc;
		if (f == F_IS_TRUNCATED && !pk->have_truncated)
		{
			if (s3x_fast_equals_trimmed(val, vlen, "true", 4))
				pk->is_truncated = true;
			else if (!s3x_fast_equals_trimmed(val, vlen, "false", 5))
				return FAST_OTHER;
			pk->have_truncated = true;
		}
		else if (f == F_TOKEN && !pk->have_token)
		{
			if ((pk->token = malloc(vlen + 1)) == NULL)
				return FAST_OOM;
			memcpy(pk->token, val, vlen);
			pk->token[vlen] = '\0';
			pk->have_token = true;
		}
		if (pk->have_truncated && (!pk->is_truncated || pk->have_token))
			peek_known(pk, pk->is_truncated);
	}
	return FAST_OK;
}

/*
 * The scanner reads the head from pk->read to to, where the markup
 * followed says that the root's start tag, or a child of the root, ends.
 */
static void
peek_read(s3_list_peek *pk, const uchar *buf, size_t to)
{
	fast_scan	s;
	int			rc;

	s3x_fast_scan_start(&s, buf + pk->read, buf + to, 0);
	if (pk->in_root)
		rc = peek_children(pk, &s);
	else
	{
		const uchar *n;
		size_t		l;
		bool		empty;

		rc = s3x_fast_read_root_start(&s, &n, &l, &empty);
		if (rc == FAST_OK && s.p != s.end)
			rc = FAST_OTHER;
		if (rc == FAST_OK)
		{
			pk->in_root = true;
			if (empty)
				peek_known(pk, false);
		}
	}
	if (s.scratch != s.small)
		free(s.scratch);
	if (rc != FAST_OK)
		peek_unknown(pk);
	pk->read = to;
}

/* Does the start tag whose name is at n (before its end, gt) open the keys? */
static bool
opens_keys(const uchar *n, const uchar *gt)
{
	fast_field	f = s3x_fast_root_field(n, (size_t) (name_run(n + 1, gt) - n));

	return f == F_CONTENTS || f == F_PREFIXES;
}

s3_peek_answer
s3_xml_fast_list_peek(s3_list_peek *pk, const char *buf, size_t len)
{
	const uchar *base = (const uchar *) buf;
	const uchar *end;
	const uchar *q;
	const uchar *t;

	if (pk->answer != S3_PEEK_MORE || buf == NULL || len <= pk->split)
		return pk->answer;
	end = base + (len < S3_PEEK_MAX_HEAD ? len : S3_PEEK_MAX_HEAD);
	q = base + pk->split;
	while (q < end && pk->answer == S3_PEEK_MORE)
	{
		switch (pk->mode)
		{
			case PEEK_TEXT:
				t = memchr(q, '<', (size_t) (end - q));
				if (t == NULL)
				{
					q = end;
					break;
				}
				if (end - t < 2)
				{
					q = t;		/* what follows the '<' decides */
					goto out;
				}
				q = t + 2;
				if (t[1] == '/')
					pk->mode = PEEK_END;
				else if (t[1] == '?' && t == base)
					pk->mode = PEEK_DECL;
				else if (NAME_START(t[1]))
				{
					pk->mode = PEEK_START;
					pk->tag = (size_t) (t + 1 - base);
				}
				else
					peek_unknown(pk);	/* a comment, CDATA, DOCTYPE, PI ... */
				break;
			case PEEK_START:
				for (; q < end; q++)
				{
					if (pk->quote != 0)
					{
						if (*q == (uchar) pk->quote)
							pk->quote = 0;
					}
					else if (*q == '"' || *q == '\'')
						pk->quote = (char) *q;
					else if (*q == '>')
						break;
				}
				if (q >= end)
					break;
				pk->mode = PEEK_TEXT;
				/* the keys before the token: no need to read on */
				if (pk->depth == 1 && opens_keys(base + pk->tag, q))
				{
					peek_unknown(pk);
					break;
				}
				q++;
				/* "<name .../>" opens nothing; the root is depth 1 */
				if (q[-2] != '/' && ++pk->depth > FAST_MAX_DEPTH)
					peek_unknown(pk);
				else if (pk->depth <= 1)
					peek_read(pk, base, (size_t) (q - base));
				break;
			default:			/* PEEK_END, PEEK_DECL */
				t = memchr(q, '>', (size_t) (end - q));
				if (t == NULL)
				{
					q = end;
					break;
				}
				q = t + 1;
				if (pk->mode == PEEK_END)
				{
					if (pk->depth == 0)
					{
						peek_unknown(pk);
						break;
					}
					if (--pk->depth <= 1)
						peek_read(pk, base, (size_t) (q - base));
				}
				pk->mode = PEEK_TEXT;
				break;
		}
	}
out:
	pk->split = (size_t) (q - base);
	if (pk->answer == S3_PEEK_MORE && len >= S3_PEEK_MAX_HEAD)
		peek_unknown(pk);
	return pk->answer;
}

void
s3_xml_fast_list_peek_reset(s3_list_peek *pk)
{
	if (pk == NULL)
		return;
	free(pk->token);
	memset(pk, 0, sizeof(*pk));
}
