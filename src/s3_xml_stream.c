/*-------------------------------------------------------------------------
 *
 * s3_xml_stream.c
 *		A streaming parser for S3's ListObjectsV2 answer (ListBucketResult):
 *		the body is handed over in pieces as they arrive from the network
 *		and parsed by libxml2's SAX2 push parser, without building a tree.
 *
 * The page is the one s3_xml_parse_list_objects() (s3_xml_list.c) makes of
 * the whole body, field by field, and the stream fails when that parser
 * fails, within limits of its own (s3_xml.h): the same elements are read,
 * the children of the root and those of Contents and CommonPrefixes,
 * matched by the name the tree gives them (the local name, "prefix:name"
 * for a prefix bound to no namespace); the first of each counts; values
 * are checked alike; keys and prefixes are URL-decoded when the first
 * EncodingType, wherever it stands, says "url".
 *
 * The tree parser reads the text of an element as libxml2's tree has it,
 * and with XML_PARSE_NOBLANKS that tree drops blank text by a heuristic
 * that looks at the comments, processing instructions, CDATA sections and
 * elements around it, at xml:space and at carriage returns.  Rather than
 * copy the heuristic, the stream hands the documents where it could
 * matter to the tree parser, at the end: a value (an element whose text
 * is read) holding anything but text and references, a carriage return
 * anywhere, an encoding other than UTF-8 declared.  S3 sends none of
 * these.  So the stream keeps a copy of the body (which also serves the
 * DOCTYPE check across pieces).  A value read by the stream is the tree
 * parser's, whatever comes after it: what s3_list_stream_token_known()
 * says stays true.
 *
 * Like s3_xml.c it leaves libxml2's global state as it finds it (it runs
 * in a PostgreSQL backend, inside a libcurl write callback): errors go to
 * handlers that drop them, no network, no entity substitution, and a
 * DOCTYPE is refused.  libc and libxml2 only, everything malloc'd,
 * nothing jumps; messages name at most an element, never body text.
 *
 * This file holds the interface, the stream's state and the push parser
 * that is fed the body; the SAX2 callbacks, which read the values and
 * build the page, are in s3_xml_stream_sax.c.
 *
 * IDENTIFICATION
 *	  src/s3_xml_stream.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/encoding.h>
#include <libxml/parser.h>

#include "core.h"
#include "s3_xml.h"
#include "s3_xml_stream_sax.h"

/* The tree parser's limit on a body (S3_XML_MAX_INPUT in s3_xml.c) */
#define LIST_MAX_INPUT		((size_t) 64 * 1024 * 1024)

/* The most handed to libxml2 at once: it refuses 10 MB waiting unparsed */
#define LIST_PUSH_PIECE		((size_t) 1024 * 1024)

static const char what[] = LIST_WHAT;

/* ---- The push parser ---- */

/*
 * libxml2 sends the errors it raises without a parser context (its
 * encoders') to a global handler, stderr by default.  For the length of
 * one call into libxml2 a handler that drops them is set, and the one
 * found (PostgreSQL's, if any) put back after it; nothing in between
 * jumps.
 */
typedef struct saved_handler
{
	xmlStructuredErrorFunc fn;
	void	   *ctx;
} saved_handler;

static saved_handler
quiet_errors(void)
{
	saved_handler h = {xmlStructuredError, xmlStructuredErrorContext};

	xmlSetStructuredErrorFunc(NULL, s3x_stream_on_error);
	return h;
}

static void
restore_errors(saved_handler h)
{
	xmlSetStructuredErrorFunc(h.ctx, h.fn);
}

/*
 * One call of xmlParseChunk, and what it says: a parser libxml2 stopped
 * without a well-formedness error (lack of memory, input it could not
 * decode) has not read the document either; a document whose declared
 * encoding replaced UTF-8 goes to the tree parser.
 */
static void
stream_parse(s3_list_stream *s, const char *data, size_t n, bool terminate)
{
	saved_handler h = quiet_errors();
	xmlParserCtxtPtr ctxt = s->ctxt;

	xmlParseChunk(ctxt, data, (int) n, terminate ? 1 : 0);
	restore_errors(h);
	if (s->root_bad && !s->failed)
	{
		s->root_bad = false;
		if (ctxt->wellFormed)
			s->failed = true;	/* s->err says why */
		else
			s3x_stream_fail(s, "malformed XML in %s", what);
	}
	if (stream_idle(s))
		return;
	if (s3x_encoding_replaced(ctxt))
		s3x_stream_use_tree(s);
	else if (ctxt->errNo == XML_ERR_NO_MEMORY)
		s3x_stream_oom(s);
	else if (!ctxt->wellFormed || (!terminate && s3x_parser_stopped(ctxt)) ||
			 (terminate && !s->root_done))
		s3x_stream_fail(s, "malformed XML in %s", what);
}

/*
 * Hands the body from s->pushed on to libxml2.  The tree parser, told the
 * encoding, skips a UTF-8 byte order mark, which the push parser would
 * not: it is skipped here.
 */
static void
stream_push(s3_list_stream *s, bool terminate)
{
	if (stream_idle(s))
		return;
	if (s->ctxt == NULL)
	{
		saved_handler h;
		bool		ok;

		if (!terminate && s->body.len < 3)
			return;
		h = quiet_errors();
		ok = s3x_stream_start_parser(s);
		restore_errors(h);
		if (!ok)
		{
			s3x_stream_oom(s);
			return;
		}
		if (s->body.len >= 3 && memcmp(s->body.data, "\xEF\xBB\xBF", 3) == 0)
			s->pushed = 3;
	}
	while (s->pushed < s->body.len && !stream_idle(s))
	{
		size_t		n = s->body.len - s->pushed;

		if (n > LIST_PUSH_PIECE)
			n = LIST_PUSH_PIECE;
		stream_parse(s, s->body.data + s->pushed, n, false);
		s->pushed += n;
	}
	if (terminate && !stream_idle(s))
		stream_parse(s, NULL, 0, true);
	if (s->use_tree && s->ctxt != NULL)
	{
		xmlFreeParserCtxt(s->ctxt);
		s->ctxt = NULL;
	}
}

/*
 * Is "<!DOCTYPE" written in ASCII in the body from offset from?  (The
 * tree parser's check before it parses.)  Sought by its '!', far rarer
 * than '<' in a listing.
 */
static bool
doctype_from(const cbuf *b, size_t from)
{
	const char *end = b->data + b->len;
	const char *p = b->data + from + 1;

	while (p < end && (size_t) (end - p) >= 8)
	{
		p = memchr(p, '!', (size_t) (end - p) - 7);
		if (p == NULL)
			return false;
		if (p[-1] == '<' && memcmp(p + 1, "DOCTYPE", 7) == 0)
			return true;
		p++;
	}
	return false;
}

/* ---- The interface ---- */

s3_list_stream *
s3_list_stream_new(void)
{
	s3_list_stream *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	cbuf_init(&s->body);
	cbuf_init(&s->text);
	s->res.key_count = -1;
	return s;
}

void
s3_list_stream_set_max_keys(s3_list_stream *s, size_t max_keys)
{
	if (s != NULL)
		s->max_keys = max_keys;
}

/* The message of a failed stream, again */
static int
stream_error(const s3_list_stream *s, char *errbuf, size_t errlen)
{
	core_set_error(errbuf, errlen, "%s", s->err);
	return -1;
}

int
s3_list_stream_feed(s3_list_stream *s, const char *buf, size_t len,
					char *errbuf, size_t errlen)
{
	size_t		old;

	if (s == NULL)
	{
		core_set_error(errbuf, errlen, "no stream for %s", what);
		return -1;
	}
	if (s->finished)
		s3x_stream_fail(s, "%s fed after its end", what);
	else if (len > 0 && buf == NULL)
		s3x_stream_fail(s, "no buffer for %s", what);
	else if (len > LIST_MAX_INPUT - s->body.len)
		s3x_stream_fail(s, "%s larger than %zu bytes", what, LIST_MAX_INPUT);
	else if (len > 0 && memchr(buf, '\0', len) != NULL)
		s3x_stream_fail(s, "%s contains a NUL byte", what);
	if (s->failed)
		return stream_error(s, errbuf, errlen);
	if (len == 0)
		return 0;

	old = s->body.len;
	cbuf_append_len(&s->body, buf, len);
	if (s->body.failed)
		s3x_stream_oom(s);
	else if (doctype_from(&s->body, old >= 8 ? old - 8 : 0))
		s3x_stream_fail(s, "%s contains a DOCTYPE declaration", what);
	/* a carriage return changes which blanks the tree keeps */
	else if (memchr(buf, '\r', len) != NULL)
		s3x_stream_use_tree(s);
	stream_push(s, false);
	return s->failed ? stream_error(s, errbuf, errlen) : 0;
}

bool
s3_list_stream_token_known(const s3_list_stream *s, bool *is_truncated,
						   const char **token)
{
	bool		known;

	known = s != NULL && !s->failed && !s->finished && s->seen[FIELD_IS_TRUNCATED] &&
		(!s->res.is_truncated || s->res.next_continuation_token != NULL);
	if (is_truncated != NULL)
		*is_truncated = known && s->res.is_truncated;
	if (token != NULL)
		*token = known ? s->res.next_continuation_token : NULL;
	return known;
}

/* Is a value the tree parser read longer than the stream allows? */
static bool
too_long(s3_list_stream *s, const char *value, const char *name)
{
	if (value == NULL || strlen(value) <= S3_LIST_STREAM_MAX_VALUE)
		return false;
	s3x_stream_fail(s, "<%s> longer than %d bytes in %s", name,
					S3_LIST_STREAM_MAX_VALUE, what);
	return true;
}

/* The page of the tree parser, within the stream's limits, into out */
static void
tree_page(s3_list_stream *s, s3_object_list *out)
{
	saved_handler h = quiet_errors();
	int			rc = s3_xml_parse_list_objects(s->body.data, s->body.len, out,
											   s->err, sizeof(s->err));
	size_t		i;

	restore_errors(h);
	if (rc != 0)
	{
		s->failed = true;		/* s->err says why */
		return;
	}
	if (out->n > s3x_stream_contents_limit(s))
		s3x_stream_fail(s, "more than %zu Contents in %s",
						s3x_stream_contents_limit(s), what);
	else if (out->n_prefixes > S3_LIST_STREAM_MAX_ENTRIES)
		s3x_stream_fail(s, "more than %d CommonPrefixes in %s",
						S3_LIST_STREAM_MAX_ENTRIES, what);
	for (i = 0; i < out->n && !s->failed; i++)
		if (too_long(s, out->items[i].key, "Key") ||
			too_long(s, out->items[i].last_modified, "LastModified") ||
			too_long(s, out->items[i].etag, "ETag") ||
			too_long(s, out->items[i].storage_class, "StorageClass"))
			break;
	for (i = 0; i < out->n_prefixes && !s->failed; i++)
		if (too_long(s, out->common_prefixes[i], "Prefix"))
			break;
	if (!s->failed)
		too_long(s, out->next_continuation_token, "NextContinuationToken");
	if (s->failed)
		s3_object_list_free(out);
}

int
s3_list_stream_finish(s3_list_stream *s, s3_object_list *out,
					  char *errbuf, size_t errlen)
{
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (s == NULL)
	{
		core_set_error(errbuf, errlen, "no stream for %s", what);
		return -1;
	}
	if (s->finished)
		s3x_stream_fail(s, "%s finished twice", what);
	else if (out == NULL)
		s3x_stream_fail(s, "no result structure for %s", what);
	else if (s->body.len == 0)
		s3x_stream_fail(s, "empty %s", what);
	s->finished = true;
	stream_push(s, true);
	if (!s->failed && s->use_tree)
		tree_page(s, out);
	else if (!s->failed)
	{
		xmlFreeParserCtxt(s->ctxt);
		s->ctxt = NULL;
		*out = s->res;
		memset(&s->res, 0, sizeof(s->res));
	}
	return s->failed ? stream_error(s, errbuf, errlen) : 0;
}

void
s3_list_stream_free(s3_list_stream *s)
{
	if (s == NULL)
		return;
	xmlFreeParserCtxt(s->ctxt);
	free(s->body.data);
	free(s->text.data);
	free(s->entry.key);
	free(s->entry.last_modified);
	free(s->entry.etag);
	free(s->entry.storage_class);
	free(s->prefix);
	s3_object_list_free(&s->res);
	free(s);
}
