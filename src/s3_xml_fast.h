/*-------------------------------------------------------------------------
 *
 * s3_xml_fast.h
 *		A fast scanner for the common ListObjectsV2 page (s3_xml_fast.c):
 *		the XML S3 and S3-compatible stores send, read without libxml2,
 *		with s3_xml_parse_list_objects() taking over for anything else;
 *		and a peek at the head of a page still arriving, for its
 *		continuation token (s3_xml_peek.c).
 *
 * libc only, like the other cores, so that it can be unit-tested and
 * fuzzed against the libxml2 parser on its own.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_S3_XML_FAST_H
#define S3FDW_S3_XML_FAST_H

#include <stdbool.h>
#include <stddef.h>

#include "s3_xml.h"

/*
 * Parse a whole ListObjectsV2 page when it lies within the subset of XML this
 * scanner reads (what S3 and common S3-compatible stores send).  Returns
 *   0  with *out filled (free with s3_object_list_free), exactly what
 *      s3_xml_parse_list_objects() would give for the same bytes;
 *   1  when the page holds anything outside the subset (nothing allocated,
 *      *out zeroed): the caller then uses libxml2 (which also reports errors);
 *  -1  out of memory.
 */
extern int	s3_xml_fast_list_objects(const char *buf, size_t len, s3_object_list *out);

/*
 * s3_xml_fast_list_objects(), keeping only the fields in want (S3_WANT_*,
 * s3_xml.h).  Those it leaves out are checked as they are read (so that
 * the answer, 0 or 1, is the same) but not kept: they stay NULL.  A caller
 * that merges objects with common prefixes needs the keys.
 */
extern int	s3_xml_fast_list_objects_want(const char *buf, size_t len, unsigned want,
										  s3_object_list *out);

/*
 * The peek: what the head of a ListObjectsV2 page says of the page's
 * continuation token, while the page arrives.  S3 sends IsTruncated and
 * NextContinuationToken before the first Contents, so that the next page
 * can be asked for before this one has come.  The peek reads the prolog,
 * the root and the root's children before the first Contents or
 * CommonPrefixes, within the scanner's subset, with its rules.
 */
typedef enum s3_peek_answer
{
	S3_PEEK_MORE = 0,			/* not yet: call again with more of the page */
	S3_PEEK_KNOWN,				/* is_truncated and token are the page's */
	S3_PEEK_UNKNOWN				/* not before the end: the whole page tells */
} s3_peek_answer;

/* The most of a page's head the peek reads before it gives up */
#define S3_PEEK_MAX_HEAD	((size_t) 64 * 1024)

/*
 * A peek at one page: zeroed (memset) to start.  Only answer, is_truncated
 * and token are the caller's to read; the rest is where the reading stands.
 */
typedef struct s3_list_peek
{
	s3_peek_answer answer;
	bool		is_truncated;	/* when KNOWN: the page's IsTruncated */
	char	   *token;			/* when KNOWN and truncated: its
								 * NextContinuationToken (malloc'd), or NULL
								 * when the page has none */
	size_t		split;			/* bytes the markup has been followed to */
	size_t		read;			/* bytes read: the head up to a whole child */
	int			depth;			/* elements open at split */
	char		mode;			/* in text, a start tag, an end tag, ... */
	char		quote;			/* in a start tag: the open quote, or 0 */
	size_t		tag;			/* in a start tag: where its name begins */
	bool		in_root;		/* the root's start tag has been read */
	bool		have_truncated; /* the first IsTruncated has been read */
	bool		have_token;		/* and the first NextContinuationToken */
} s3_list_peek;

/*
 * Reads on in the first len bytes of a page (buf may have moved since the
 * last call, and grown: the bytes read before must be the same).  Cheap to
 * call as each piece arrives: each byte of the head is gone over about
 * twice in all, and nothing is read once the answer is not MORE, which it
 * then stays.  The answer is KNOWN only with the values the whole page
 * would give, read by the scanner or by s3_xml_parse_list_objects(), if it
 * parses.  Anything outside the subset, or out of memory, or a head longer
 * than S3_PEEK_MAX_HEAD, is UNKNOWN.  malloc only, nothing jumps: it may run
 * inside a libcurl callback.
 */
extern s3_peek_answer s3_xml_fast_list_peek(s3_list_peek *peek, const char *buf, size_t len);

/* Frees the token and zeroes the peek, to start again; NULL is fine */
extern void s3_xml_fast_list_peek_reset(s3_list_peek *peek);

#endif							/* S3FDW_S3_XML_FAST_H */
