/*-------------------------------------------------------------------------
 *
 * s3_xml_stream.c
 *		A streaming parser for S3's ListObjectsV2 answer (ListBucketResult):
 *		the body is handed over piece by piece as it arrives from the
 *		network, parsed with libxml2's SAX2 push parser, and no tree is
 *		built.
 *
 * The result is the one s3_xml_parse_list_objects() (s3_xml_list.c) gives
 * for the whole body, field by field, and the stream fails exactly when
 * that parser fails (except for the limits below, which it does not
 * have): the same elements are read (the children of the root, and those
 * of Contents and CommonPrefixes, matched by the name the tree would give
 * them: the local name, or "prefix:name" for an undeclared prefix), the
 * first of each wins, Size, IsTruncated, KeyCount and EncodingType are
 * checked the same way, and keys and prefixes are URL-decoded when the
 * first EncodingType says "url", wherever it stands.
 *
 * The tree parser reads the text of an element as libxml2's tree has it,
 * and with XML_PARSE_NOBLANKS that tree drops some all-blank pieces of
 * text by a heuristic that depends on the comments, processing
 * instructions, CDATA sections and child elements around them, on
 * xml:space, and on where carriage returns stand.  Rather than copy that
 * heuristic, the stream notices the documents where it could matter and
 * hands them to the tree parser at the end: a value (an element whose
 * text is read) holding anything but text and references, a carriage
 * return anywhere in the body, or an encoding other than UTF-8 declared.
 * S3 sends none of these.  To that end the stream keeps a copy of the
 * body, which also serves the DOCTYPE check across pieces.  A value, once
 * it is read, is the tree parser's: nothing later in the body changes it,
 * so what s3_list_stream_token_known() reports stays true.
 *
 * Like s3_xml.c it leaves libxml2's global state alone (it runs inside a
 * PostgreSQL backend, and inside a libcurl write callback): errors go to a
 * structured handler of the parser context that drops them, no network,
 * no entity substitution, and a DOCTYPE is refused.  Only libc and libxml2
 * are used, everything is malloc'd, nothing jumps; messages name at most
 * an element, never text of the body.
 *
 * IDENTIFICATION
 *	  src/s3_xml_stream.c
 *
 *-------------------------------------------------------------------------
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include "core.h"
#include "s3_xml.h"
#include "s3_xml_internal.h"

/* The tree parser's limit on a body (S3_XML_MAX_INPUT in s3_xml.c) */
#define LIST_MAX_INPUT		((size_t) 64 * 1024 * 1024)

/* The tree parser's options less NOBLANKS, whose effect the stream checks */
#define LIST_PARSE_OPTIONS	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* The most handed to libxml2 at once: it refuses 10 MB waiting unparsed */
#define LIST_PUSH_PIECE		((size_t) 1024 * 1024)

/* Bytes kept before the parser starts: enough to see a byte order mark */
#define LIST_START_BYTES	3

static const char what[] = "ListObjectsV2 response";

/* The elements whose text is read */
typedef enum list_field
{
	FIELD_NONE = 0,
	FIELD_KEY,
	FIELD_SIZE,
	FIELD_LAST_MODIFIED,
	FIELD_ETAG,
	FIELD_STORAGE_CLASS,
	FIELD_PREFIX,
	FIELD_IS_TRUNCATED,
	FIELD_TOKEN,
	FIELD_KEY_COUNT,
	FIELD_ENCODING_TYPE
} list_field;

/* The element names, by list_field, for messages */
static const char *const field_names[] = {
	"", "Key", "Size", "LastModified", "ETag", "StorageClass", "Prefix",
	"IsTruncated", "NextContinuationToken", "KeyCount", "EncodingType"
};

/* What the open child of the root is */
typedef enum list_child
{
	CHILD_OTHER = 0,
	CHILD_CONTENTS,
	CHILD_PREFIXES
} list_child;

struct s3_list_stream
{
	xmlParserCtxtPtr ctxt;		/* NULL before the first bytes are parsed */
	cbuf		body;			/* every byte fed */
	size_t		pushed;			/* bytes of body handed to libxml2 */
	size_t		max_keys;		/* 0: only S3_LIST_STREAM_MAX_ENTRIES */
	bool		use_tree;		/* the tree parser decides, at the end */
	bool		failed;
	bool		finished;
	char		err[256];		/* the message of the failure */

	/* Where the parser is */
	int			depth;			/* open elements; the root is 1 */
	list_child	child;			/* the open child of the root */
	list_field	field;			/* the value being read, at depth field_depth */
	int			field_depth;
	cbuf		text;			/* its text so far */
	size_t		run;			/* character data since the last markup */
	size_t		cdata_run;		/* CDATA since the last other event */

	/* The open Contents and CommonPrefixes */
	s3_object_entry entry;
	bool		have_size;
	char	   *prefix;

	/* The page */
	s3_object_list res;
	size_t		cap;
	size_t		pcap;
	bool		have_truncated;
	bool		have_encoding;
	bool		url_encoded;
};

static void
stream_fail(s3_list_stream *s, const char *fmt,...)
__attribute__((format(printf, 2, 3)));

/*
 * Records the first failure and stops the parser.  Safe inside a SAX
 * callback (xmlStopParser is how libxml2 wants to be stopped there).
 */
static void
stream_fail(s3_list_stream *s, const char *fmt,...)
{
	va_list		ap;

	if (s->failed)
		return;
	s->failed = true;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	if (s->ctxt != NULL)
		xmlStopParser(s->ctxt);
}

static void
stream_oom(s3_list_stream *s)
{
	stream_fail(s, "out of memory parsing %s", what);
}

/*
 * From here on the tree parser decides: the stream only keeps the body.
 * The parser is stopped now and freed once out of its callbacks.
 */
static void
stream_use_tree(s3_list_stream *s)
{
	if (s->use_tree || s->failed)
		return;
	s->use_tree = true;
	if (s->ctxt != NULL)
		xmlStopParser(s->ctxt);
}

/* Ignoring the callbacks that come after a failure or a hand-over */
static inline bool
stream_idle(const s3_list_stream *s)
{
	return s->failed || s->use_tree;
}

/* Empties a cbuf, keeping its memory */
static void
cbuf_clear(cbuf *b)
{
	if (b->failed)
	{
		free(b->data);
		cbuf_init(b);
		return;
	}
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* A malloc'd copy of the text read, or NULL (out of memory) */
static char *
text_copy(const cbuf *b)
{
	char	   *p = malloc(b->len + 1);

	if (p == NULL)
		return NULL;
	if (b->len > 0)
		memcpy(p, b->data, b->len);
	p[b->len] = '\0';
	return p;
}

/*
 * The name the tree gives an element: its local name, but "prefix:local"
 * when the prefix is bound to no namespace.  NULL stands for a qualified
 * name, which matches none of the names looked for.
 */
static const char *
tree_name(const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI)
{
	if (prefix != NULL && URI == NULL)
		return NULL;
	return (const char *) localname;
}

/*
 * Checks the root element with the tree parser's own check (and message),
 * on a node that only has what s3x_check_root() looks at.
 */
static bool
check_root(s3_list_stream *s, const xmlChar *localname, const xmlChar *prefix,
		   const xmlChar *URI)
{
	xmlNode		node;
	char		qname[2 * S3_XML_MAX_NAME + 2];

	memset(&node, 0, sizeof(node));
	node.type = XML_ELEMENT_NODE;
	node.name = localname;
	if (prefix != NULL && URI == NULL)
	{
		snprintf(qname, sizeof(qname), "%.*s:%.*s", S3_XML_MAX_NAME,
				 (const char *) prefix, S3_XML_MAX_NAME, (const char *) localname);
		node.name = (const xmlChar *) qname;
	}
	if (s3x_check_root(&node, "ListBucketResult", what, s->err, sizeof(s->err)))
		return true;
	s->failed = true;
	xmlStopParser(s->ctxt);
	return false;
}

/* Which value a child of the root is, if one not read yet */
static list_field
root_field(const s3_list_stream *s, const char *name)
{
	if (strcmp(name, "IsTruncated") == 0)
		return s->have_truncated ? FIELD_NONE : FIELD_IS_TRUNCATED;
	if (strcmp(name, "NextContinuationToken") == 0)
		return s->res.next_continuation_token != NULL ? FIELD_NONE : FIELD_TOKEN;
	if (strcmp(name, "KeyCount") == 0)
		return s->res.key_count >= 0 ? FIELD_NONE : FIELD_KEY_COUNT;
	if (strcmp(name, "EncodingType") == 0)
		return s->have_encoding ? FIELD_NONE : FIELD_ENCODING_TYPE;
	return FIELD_NONE;
}

/* Which value a child of Contents is, if one not read yet */
static list_field
contents_field(const s3_list_stream *s, const char *name)
{
	switch (name[0])
	{
		case 'K':
			if (strcmp(name, "Key") == 0 && s->entry.key == NULL)
				return FIELD_KEY;
			break;
		case 'S':
			if (strcmp(name, "Size") == 0 && !s->have_size)
				return FIELD_SIZE;
			if (strcmp(name, "StorageClass") == 0 && s->entry.storage_class == NULL)
				return FIELD_STORAGE_CLASS;
			break;
		case 'L':
			if (strcmp(name, "LastModified") == 0 && s->entry.last_modified == NULL)
				return FIELD_LAST_MODIFIED;
			break;
		case 'E':
			if (strcmp(name, "ETag") == 0 && s->entry.etag == NULL)
				return FIELD_ETAG;
			break;
	}
	return FIELD_NONE;
}

/* Opens a Contents, if the page may hold one more */
static void
contents_open(s3_list_stream *s)
{
	size_t		limit = S3_LIST_STREAM_MAX_ENTRIES;

	if (s->max_keys > 0 && s->max_keys < limit)
		limit = s->max_keys;
	if (s->res.n >= limit)
	{
		stream_fail(s, "more than %zu Contents in %s", limit, what);
		return;
	}
	memset(&s->entry, 0, sizeof(s->entry));
	s->entry.size = -1;
	s->have_size = false;
	s->child = CHILD_CONTENTS;
}

/* URL-decodes a key or prefix in place; false (with the message) if it cannot */
static bool
decode_value(s3_list_stream *s, char **field, const char *name)
{
	int			rc = s3x_url_decode_field(field);

	if (rc == URLDEC_OK)
		return true;
	if (rc == URLDEC_OOM)
		stream_oom(s);
	else
		stream_fail(s, "invalid URL encoding of %s in %s", name, what);
	return false;
}

/* Closes a Contents: the checks of the tree parser, then into the page */
static void
contents_close(s3_list_stream *s)
{
	s3_object_entry *e = &s->entry;
	void	   *p;

	if (e->key == NULL)
	{
		stream_fail(s, "Contents without Key in %s", what);
		return;
	}
	/* A URL-encoded key is never shorter than its decoding, nor empty if it is */
	if (e->key[0] == '\0')
	{
		stream_fail(s, "empty Key in %s", what);
		return;
	}
	if (s->url_encoded && !decode_value(s, &e->key, "Key"))
		return;
	p = s3x_array_reserve(s->res.items, s->res.n, &s->cap, sizeof(*s->res.items));
	if (p == NULL)
	{
		stream_oom(s);
		return;
	}
	s->res.items = p;
	s->res.items[s->res.n++] = *e;
	memset(e, 0, sizeof(*e));
}

/* Closes a CommonPrefixes */
static void
prefixes_close(s3_list_stream *s)
{
	void	   *p;

	if (s->prefix == NULL)
	{
		stream_fail(s, "CommonPrefixes without Prefix in %s", what);
		return;
	}
	if (s->res.n_prefixes >= S3_LIST_STREAM_MAX_ENTRIES)
	{
		stream_fail(s, "more than %zu CommonPrefixes in %s",
					(size_t) S3_LIST_STREAM_MAX_ENTRIES, what);
		return;
	}
	if (s->url_encoded && !decode_value(s, &s->prefix, "CommonPrefixes"))
		return;
	p = s3x_array_reserve(s->res.common_prefixes, s->res.n_prefixes, &s->pcap,
						  sizeof(*s->res.common_prefixes));
	if (p == NULL)
	{
		stream_oom(s);
		return;
	}
	s->res.common_prefixes = p;
	s->res.common_prefixes[s->res.n_prefixes++] = s->prefix;
	s->prefix = NULL;
}

/* EncodingType says "url": what came before it is decoded now */
static void
decode_earlier(s3_list_stream *s)
{
	size_t		i;

	for (i = 0; i < s->res.n; i++)
		if (!decode_value(s, &s->res.items[i].key, "Key"))
			return;
	for (i = 0; i < s->res.n_prefixes; i++)
		if (!decode_value(s, &s->res.common_prefixes[i], "CommonPrefixes"))
			return;
}

/* Stores a string value, unless out of memory */
static void
take_string(s3_list_stream *s, char **dst)
{
	if ((*dst = text_copy(&s->text)) == NULL)
		stream_oom(s);
}

/* A value has been read whole: checked and stored as the tree parser does */
static void
field_close(s3_list_stream *s)
{
	const char *t = s->text.data != NULL ? s->text.data : "";
	long long	v = 0;

	if (s->text.failed)
	{
		stream_oom(s);
		return;
	}
	switch (s->field)
	{
		case FIELD_NONE:
			break;
		case FIELD_KEY:
			take_string(s, &s->entry.key);
			break;
		case FIELD_SIZE:
			if (!s3x_parse_nonneg(t, LLONG_MAX, &v))
				stream_fail(s, "invalid Size in %s", what);
			s->entry.size = v;
			s->have_size = true;
			break;
		case FIELD_LAST_MODIFIED:
			take_string(s, &s->entry.last_modified);
			break;
		case FIELD_ETAG:
			take_string(s, &s->entry.etag);
			if (s->entry.etag != NULL)
				s3x_strip_quotes(s->entry.etag);
			break;
		case FIELD_STORAGE_CLASS:
			take_string(s, &s->entry.storage_class);
			break;
		case FIELD_PREFIX:
			take_string(s, &s->prefix);
			break;
		case FIELD_IS_TRUNCATED:
			if (s3x_equals_trimmed(t, "true"))
				s->res.is_truncated = true;
			else if (s3x_equals_trimmed(t, "false"))
				s->res.is_truncated = false;
			else
				stream_fail(s, "invalid IsTruncated in %s", what);
			s->have_truncated = true;
			break;
		case FIELD_TOKEN:
			take_string(s, &s->res.next_continuation_token);
			break;
		case FIELD_KEY_COUNT:
			if (!s3x_parse_nonneg(t, INT_MAX, &v))
				stream_fail(s, "invalid KeyCount in %s", what);
			else
				s->res.key_count = (int) v;
			break;
		case FIELD_ENCODING_TYPE:
			s->have_encoding = true;
			if (!s3x_equals_trimmed(t, "url"))
				stream_fail(s, "unsupported EncodingType in %s", what);
			else
			{
				s->url_encoded = true;
				decode_earlier(s);
			}
			break;
	}
	s->field = FIELD_NONE;
}

/* ---- SAX callbacks: ctx is the stream ---- */

static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		 const xmlChar *URI, int nb_namespaces, const xmlChar **namespaces,
		 int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	s3_list_stream *s = ctx;
	const char *name;

	(void) nb_namespaces;
	(void) namespaces;
	(void) nb_attributes;
	(void) nb_defaulted;
	(void) attributes;

	if (stream_idle(s))
		return;
	s->run = 0;
	s->cdata_run = 0;
	if (s->field != FIELD_NONE)
	{
		/* an element inside a value: the tree's text rules apply */
		stream_use_tree(s);
		return;
	}
	s->depth++;
	name = tree_name(localname, prefix, URI);
	if (s->depth == 1)
	{
		xmlCharEncodingHandlerPtr enc = NULL;

		/* an encoding declared by the document has replaced UTF-8 */
		if (s->ctxt->input != NULL && s->ctxt->input->buf != NULL)
			enc = s->ctxt->input->buf->encoder;
		if (enc == NULL || enc->name == NULL || strcmp(enc->name, "UTF-8") != 0)
			stream_use_tree(s);
		else
			check_root(s, localname, prefix, URI);
		return;
	}
	if (name == NULL)
		return;
	if (s->depth == 2)
	{
		if (strcmp(name, "Contents") == 0)
			contents_open(s);
		else if (strcmp(name, "CommonPrefixes") == 0)
		{
			s->prefix = NULL;
			s->child = CHILD_PREFIXES;
		}
		else
			s->field = root_field(s, name);
	}
	else if (s->depth == 3)
	{
		if (s->child == CHILD_CONTENTS)
			s->field = contents_field(s, name);
		else if (s->child == CHILD_PREFIXES && s->prefix == NULL &&
				 strcmp(name, "Prefix") == 0)
			s->field = FIELD_PREFIX;
	}
	if (s->field != FIELD_NONE)
	{
		s->field_depth = s->depth;
		cbuf_clear(&s->text);
	}
}

static void
on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
	   const xmlChar *URI)
{
	s3_list_stream *s = ctx;

	(void) localname;
	(void) prefix;
	(void) URI;

	if (stream_idle(s))
		return;
	s->run = 0;
	s->cdata_run = 0;
	if (s->field != FIELD_NONE && s->depth == s->field_depth)
		field_close(s);
	if (s->depth == 2 && !s->failed)
	{
		if (s->child == CHILD_CONTENTS)
			contents_close(s);
		else if (s->child == CHILD_PREFIXES)
			prefixes_close(s);
		s->child = CHILD_OTHER;
	}
	s->depth--;
}

static void
on_characters(void *ctx, const xmlChar *ch, int len)
{
	s3_list_stream *s = ctx;

	if (stream_idle(s) || len <= 0)
		return;
	s->cdata_run = 0;
	/* one text node of the tree: libxml2 stops adding to it at 10 MB */
	s->run += (size_t) len;
	if (s->run > S3_LIST_STREAM_MAX_TEXT)
	{
		stream_fail(s, "character data longer than %zu bytes in %s",
					(size_t) S3_LIST_STREAM_MAX_TEXT, what);
		return;
	}
	if (s->field == FIELD_NONE)
		return;
	if (s->text.len + (size_t) len > S3_LIST_STREAM_MAX_VALUE)
	{
		stream_fail(s, "<%s> longer than %zu bytes in %s", field_names[s->field],
					(size_t) S3_LIST_STREAM_MAX_VALUE, what);
		return;
	}
	cbuf_append_len(&s->text, (const char *) ch, (size_t) len);
}

static void
on_cdata(void *ctx, const xmlChar *value, int len)
{
	s3_list_stream *s = ctx;

	(void) value;
	if (stream_idle(s))
		return;
	s->run = 0;
	/* a CDATA section of the tree parser holds at most 10 MB */
	if (len > 0)
		s->cdata_run += (size_t) len;
	if (s->cdata_run > S3_LIST_STREAM_MAX_TEXT)
	{
		stream_fail(s, "CDATA longer than %zu bytes in %s",
					(size_t) S3_LIST_STREAM_MAX_TEXT, what);
		return;
	}
	if (s->field != FIELD_NONE)
		stream_use_tree(s);
}

/* A comment or a processing instruction */
static void
on_other_markup(s3_list_stream *s)
{
	if (stream_idle(s))
		return;
	s->run = 0;
	s->cdata_run = 0;
	if (s->field != FIELD_NONE)
		stream_use_tree(s);
}

static void
on_comment(void *ctx, const xmlChar *value)
{
	(void) value;
	on_other_markup(ctx);
}

static void
on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	(void) target;
	(void) data;
	on_other_markup(ctx);
}

static void
on_doctype(void *ctx, const xmlChar *name, const xmlChar *ExternalID,
		   const xmlChar *SystemID)
{
	s3_list_stream *s = ctx;

	(void) name;
	(void) ExternalID;
	(void) SystemID;
	if (!stream_idle(s))
		stream_fail(s, "%s contains a DOCTYPE declaration", what);
}

/* libxml2's errors are counted in the context, and shown nowhere */
static void
on_error(void *ctx, xmlErrorPtr error)
{
	(void) ctx;
	(void) error;
}

/* ---- The parser ---- */

/*
 * Creates the push parser: the callbacks above, and the input read as
 * UTF-8 whatever its first bytes look like, as the tree parser does.
 */
static bool
stream_start_parser(s3_list_stream *s)
{
	xmlSAXHandler sax;
	unsigned int magic;
	xmlCharEncodingHandlerPtr utf8;

	memset(&sax, 0, sizeof(sax));
	xmlSAXVersion(&sax, 2);
	/* only the magic: the default callbacks would build a tree */
	magic = sax.initialized;
	memset(&sax, 0, sizeof(sax));
	sax.initialized = magic;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_characters;
	/* the same function: libxml2 then never tries to tell blanks apart */
	sax.ignorableWhitespace = on_characters;
	sax.cdataBlock = on_cdata;
	sax.comment = on_comment;
	sax.processingInstruction = on_pi;
	sax.internalSubset = on_doctype;
	sax.serror = on_error;

	s->ctxt = xmlCreatePushParserCtxt(&sax, s, NULL, 0, NULL);
	if (s->ctxt == NULL)
		return false;
	xmlCtxtUseOptions(s->ctxt, LIST_PARSE_OPTIONS);
	utf8 = xmlFindCharEncodingHandler("UTF-8");
	if (utf8 == NULL || xmlSwitchToEncoding(s->ctxt, utf8) != 0)
	{
		xmlFreeParserCtxt(s->ctxt);
		s->ctxt = NULL;
		return false;
	}
	return true;
}

/*
 * Length of a UTF-8 byte order mark at p (n bytes), 0 if none.
 */
static size_t
bom_at(const char *p, size_t n)
{
	return (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
}

/*
 * Hands the body from s->pushed on to libxml2.  The tree parser skips a
 * UTF-8 byte order mark (when it is told the encoding, as it is); so does
 * this, before the push parser, which would not, sees it.
 */
static void
stream_push(s3_list_stream *s, bool terminate)
{
	if (stream_idle(s))
		return;
	if (s->ctxt == NULL)
	{
		if (!terminate && s->body.len < LIST_START_BYTES)
			return;
		if (!stream_start_parser(s))
		{
			stream_oom(s);
			return;
		}
		s->pushed = bom_at(s->body.data, s->body.len);
	}
	while (s->pushed < s->body.len && !stream_idle(s))
	{
		size_t		n = s->body.len - s->pushed;

		if (n > LIST_PUSH_PIECE)
			n = LIST_PUSH_PIECE;
		xmlParseChunk(s->ctxt, s->body.data + s->pushed, (int) n, 0);
		s->pushed += n;
		if (!s->use_tree && !s->ctxt->wellFormed)
			stream_fail(s, "malformed XML in %s", what);
	}
	if (terminate && !stream_idle(s))
	{
		xmlParseChunk(s->ctxt, NULL, 0, 1);
		if (!s->use_tree && !s->ctxt->wellFormed)
			stream_fail(s, "malformed XML in %s", what);
	}
	if (s->use_tree && !s->failed && s->ctxt != NULL)
	{
		xmlFreeParserCtxt(s->ctxt);
		s->ctxt = NULL;
	}
}

/*
 * Looks for "<!DOCTYPE" written in ASCII, as s3_xml.c does before
 * parsing, in the body from offset from.
 */
static bool
doctype_from(const cbuf *b, size_t from)
{
	static const char marker[] = "<!DOCTYPE";
	const size_t mlen = sizeof(marker) - 1;
	const char *p = b->data + from;
	const char *end = b->data + b->len;

	while ((size_t) (end - p) >= mlen)
	{
		p = memchr(p, '<', (size_t) (end - p) - mlen + 1);
		if (p == NULL)
			return false;
		if (memcmp(p, marker, mlen) == 0)
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

/* The stored message of a failed stream */
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
	if (s->finished && !s->failed)
		stream_fail(s, "%s fed after its end", what);
	if (s->failed)
		return stream_error(s, errbuf, errlen);
	if (len == 0)
		return 0;
	if (buf == NULL)
		stream_fail(s, "no buffer for %s", what);
	else if (len > LIST_MAX_INPUT - s->body.len)
		stream_fail(s, "%s larger than %zu bytes", what, LIST_MAX_INPUT);
	else if (memchr(buf, '\0', len) != NULL)
		stream_fail(s, "%s contains a NUL byte", what);
	if (s->failed)
		return stream_error(s, errbuf, errlen);

	old = s->body.len;
	cbuf_append_len(&s->body, buf, len);
	if (s->body.failed)
	{
		stream_oom(s);
		return stream_error(s, errbuf, errlen);
	}
	if (doctype_from(&s->body, old >= 8 ? old - 8 : 0))
	{
		stream_fail(s, "%s contains a DOCTYPE declaration", what);
		return stream_error(s, errbuf, errlen);
	}
	/* a carriage return changes which blanks the tree keeps */
	if (memchr(buf, '\r', len) != NULL)
		stream_use_tree(s);
	stream_push(s, false);
	if (s->failed)
		return stream_error(s, errbuf, errlen);
	return 0;
}

bool
s3_list_stream_token_known(const s3_list_stream *s, bool *is_truncated,
						   const char **token)
{
	bool		known;

	known = s != NULL && !s->failed && !s->finished && s->have_truncated &&
		(!s->res.is_truncated || s->res.next_continuation_token != NULL);
	if (is_truncated != NULL)
		*is_truncated = known && s->res.is_truncated;
	if (token != NULL)
		*token = known ? s->res.next_continuation_token : NULL;
	return known;
}

/*
 * The limits of the stream, applied to a page the tree parser read.
 */
static int
check_tree_page(const s3_list_stream *s, const s3_object_list *l,
				char *errbuf, size_t errlen)
{
	size_t		limit = S3_LIST_STREAM_MAX_ENTRIES;
	size_t		i;

	if (s->max_keys > 0 && s->max_keys < limit)
		limit = s->max_keys;
	if (l->n > limit)
	{
		core_set_error(errbuf, errlen, "more than %zu Contents in %s", limit, what);
		return -1;
	}
	if (l->n_prefixes > S3_LIST_STREAM_MAX_ENTRIES)
	{
		core_set_error(errbuf, errlen, "more than %zu CommonPrefixes in %s",
					   (size_t) S3_LIST_STREAM_MAX_ENTRIES, what);
		return -1;
	}
#define TOO_LONG(str, name) \
	do { \
		if ((str) != NULL && strlen(str) > S3_LIST_STREAM_MAX_VALUE) \
		{ \
			core_set_error(errbuf, errlen, "<%s> longer than %zu bytes in %s", \
						   (name), (size_t) S3_LIST_STREAM_MAX_VALUE, what); \
			return -1; \
		} \
	} while (0)
	for (i = 0; i < l->n; i++)
	{
		TOO_LONG(l->items[i].key, "Key");
		TOO_LONG(l->items[i].last_modified, "LastModified");
		TOO_LONG(l->items[i].etag, "ETag");
		TOO_LONG(l->items[i].storage_class, "StorageClass");
	}
	for (i = 0; i < l->n_prefixes; i++)
		TOO_LONG(l->common_prefixes[i], "Prefix");
	TOO_LONG(l->next_continuation_token, "NextContinuationToken");
#undef TOO_LONG
	return 0;
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
	if (s->finished && !s->failed)
		stream_fail(s, "%s finished twice", what);
	s->finished = true;
	if (out == NULL)
		stream_fail(s, "no result structure for %s", what);
	else if (s->body.len == 0)
		stream_fail(s, "empty %s", what);
	if (s->failed)
		return stream_error(s, errbuf, errlen);

	stream_push(s, true);
	if (s->failed)
		return stream_error(s, errbuf, errlen);

	if (s->use_tree)
	{
		if (s3_xml_parse_list_objects(s->body.data, s->body.len, out,
									  errbuf, errlen) != 0)
			return -1;
		if (check_tree_page(s, out, errbuf, errlen) != 0)
		{
			s3_object_list_free(out);
			return -1;
		}
		return 0;
	}

	xmlFreeParserCtxt(s->ctxt);
	s->ctxt = NULL;
	*out = s->res;
	memset(&s->res, 0, sizeof(s->res));
	s->cap = s->pcap = 0;
	return 0;
}

void
s3_list_stream_free(s3_list_stream *s)
{
	if (s == NULL)
		return;
	if (s->ctxt != NULL)
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
