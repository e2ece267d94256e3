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
 * IDENTIFICATION
 *	  src/s3_xml_stream.c
 *
 *-------------------------------------------------------------------------
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
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

/* The tree parser's options, but NOBLANKS, whose effect is seen to here */
#define LIST_PARSE_OPTIONS	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* The most handed to libxml2 at once: it refuses 10 MB waiting unparsed */
#define LIST_PUSH_PIECE		((size_t) 1024 * 1024)

static const char what[] = "ListObjectsV2 response";

/* The values, the elements whose text is read */
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

#define N_FIELDS (FIELD_ENCODING_TYPE + 1)

/* Where an element stands: in the root, or in which child of it */
typedef enum list_child
{
	CHILD_OTHER = 0,
	CHILD_CONTENTS,
	CHILD_PREFIXES,
	CHILD_ROOT
} list_child;

struct s3_list_stream
{
	xmlParserCtxtPtr ctxt;		/* NULL until the first bytes are parsed */
	cbuf		body;			/* every byte fed */
	size_t		pushed;			/* bytes of body handed to libxml2 */
	size_t		max_keys;		/* 0: S3_LIST_STREAM_MAX_ENTRIES */
	bool		use_tree;		/* the tree parser reads the page, at the end */
	bool		failed;
	bool		finished;
	char		err[256];		/* why it failed */

	int			depth;			/* open elements; the root is 1 */
	bool		root_done;		/* the root has closed */
	bool		root_bad;		/* a wrong root, told once libxml2 is back */
	list_child	child;			/* the open child of the root */
	list_field	field;			/* the value being read, at depth field_depth */
	int			field_depth;
	cbuf		text;			/* its text so far */
	bool		seen[N_FIELDS];	/* in the root or the open child: the first counts */
	size_t		run;			/* character data since other markup */
	size_t		cdata_run;		/* CDATA since other markup */

	s3_object_entry entry;		/* the open Contents */
	char	   *prefix;			/* the open CommonPrefixes' Prefix */

	s3_object_list res;			/* the page */
	size_t		cap;
	size_t		pcap;
	bool		url_encoded;
};

/* Each value: its name, its parent, and where its string goes (if one) */
#define AT(member) offsetof(s3_list_stream, member)
static const struct
{
	const char *name;
	list_child	parent;
	size_t		string;
}			fields[N_FIELDS] = {
	[FIELD_KEY] = {"Key", CHILD_CONTENTS, AT(entry.key)},
	[FIELD_SIZE] = {"Size", CHILD_CONTENTS, 0},
	[FIELD_LAST_MODIFIED] = {"LastModified", CHILD_CONTENTS, AT(entry.last_modified)},
	[FIELD_ETAG] = {"ETag", CHILD_CONTENTS, AT(entry.etag)},
	[FIELD_STORAGE_CLASS] = {"StorageClass", CHILD_CONTENTS, AT(entry.storage_class)},
	[FIELD_PREFIX] = {"Prefix", CHILD_PREFIXES, AT(prefix)},
	[FIELD_IS_TRUNCATED] = {"IsTruncated", CHILD_ROOT, 0},
	[FIELD_TOKEN] = {"NextContinuationToken", CHILD_ROOT, AT(res.next_continuation_token)},
	[FIELD_KEY_COUNT] = {"KeyCount", CHILD_ROOT, 0},
	[FIELD_ENCODING_TYPE] = {"EncodingType", CHILD_ROOT, 0},
};
#undef AT

static void stream_fail(s3_list_stream *s, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));

/*
 * Records the first failure and stops the parser (xmlStopParser is how
 * libxml2 wants to be stopped from inside its callbacks).
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

/* From here on the stream only keeps the body, for the tree parser */
static void
stream_use_tree(s3_list_stream *s)
{
	if (s->use_tree || s->failed)
		return;
	s->use_tree = true;
	if (s->ctxt != NULL)
		xmlStopParser(s->ctxt);
}

/* Are the callbacks to be ignored? */
static inline bool
stream_idle(const s3_list_stream *s)
{
	return s->failed || s->use_tree || s->root_bad;
}

/* The most Contents the page may hold */
static size_t
contents_limit(const s3_list_stream *s)
{
	if (s->max_keys > 0 && s->max_keys < S3_LIST_STREAM_MAX_ENTRIES)
		return s->max_keys;
	return S3_LIST_STREAM_MAX_ENTRIES;
}

/*
 * Checks the root element with the tree parser's own check and message,
 * on a node holding what s3x_check_root() looks at.  A wrong root fails
 * the stream once libxml2 is through with the piece at hand: if the body
 * ends inside the start tag, libxml2 reports the part of the name it has
 * and the tree parser's "malformed XML" is the better message.
 */
static void
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
	if (!s3x_check_root(&node, "ListBucketResult", what, s->err, sizeof(s->err)))
		s->root_bad = true;
}

/* Which value, not seen yet, an element in the root or in its open child is */
static list_field
find_field(const s3_list_stream *s, const char *name)
{
	list_child	parent = s->depth == 2 ? CHILD_ROOT : s->child;
	int			f;

	for (f = FIELD_KEY; f < N_FIELDS; f++)
		if (fields[f].parent == parent && fields[f].name[0] == name[0] &&
			!s->seen[f] && strcmp(fields[f].name, name) == 0)
			return (list_field) f;
	return FIELD_NONE;
}

/* URL-decodes a key or prefix in place; false, failing the stream, if not */
static bool
decode_value(s3_list_stream *s, char **field, const char *name)
{
	int			rc = s3x_url_decode_field(field);

	if (rc == URLDEC_OOM)
		stream_oom(s);
	else if (rc != URLDEC_OK)
		stream_fail(s, "invalid URL encoding of %s in %s", name, what);
	return rc == URLDEC_OK;
}

/* A Contents has closed: the tree parser's checks, then into the page */
static void
contents_close(s3_list_stream *s)
{
	void	   *p;

	if (s->entry.key == NULL)
		stream_fail(s, "Contents without Key in %s", what);
	/* decoding leaves a key as empty as it finds it, or fails */
	else if (s->entry.key[0] == '\0')
		stream_fail(s, "empty Key in %s", what);
	else if (!s->url_encoded || decode_value(s, &s->entry.key, "Key"))
	{
		p = s3x_array_reserve(s->res.items, s->res.n, &s->cap, sizeof(*s->res.items));
		if (p == NULL)
			stream_oom(s);
		else
		{
			s->res.items = p;
			s->res.items[s->res.n++] = s->entry;
			memset(&s->entry, 0, sizeof(s->entry));
		}
	}
}

/* A CommonPrefixes has closed */
static void
prefixes_close(s3_list_stream *s)
{
	void	   *p;

	if (s->prefix == NULL)
		stream_fail(s, "CommonPrefixes without Prefix in %s", what);
	else if (s->res.n_prefixes >= S3_LIST_STREAM_MAX_ENTRIES)
		stream_fail(s, "more than %d CommonPrefixes in %s",
					S3_LIST_STREAM_MAX_ENTRIES, what);
	else if (!s->url_encoded || decode_value(s, &s->prefix, "CommonPrefixes"))
	{
		p = s3x_array_reserve(s->res.common_prefixes, s->res.n_prefixes, &s->pcap,
							  sizeof(*s->res.common_prefixes));
		if (p == NULL)
			stream_oom(s);
		else
		{
			s->res.common_prefixes = p;
			s->res.common_prefixes[s->res.n_prefixes++] = s->prefix;
			s->prefix = NULL;
		}
	}
}

/* EncodingType says "url": the keys and prefixes before it are decoded now */
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

/* A value has been read whole: checked and stored as the tree parser does */
static void
field_close(s3_list_stream *s)
{
	const char *t = s->text.data != NULL ? s->text.data : "";
	char	  **dst = fields[s->field].string == 0 ? NULL :
		(char **) ((char *) s + fields[s->field].string);
	long long	v = 0;

	s->seen[s->field] = true;
	if (s->text.failed)
		stream_oom(s);
	else if (dst != NULL)
	{
		/* text holds no NUL: the body has none, and no reference makes one */
		if ((*dst = strdup(t)) == NULL)
			stream_oom(s);
		else if (s->field == FIELD_ETAG)
			s3x_strip_quotes(*dst);
	}
	else if (s->field == FIELD_SIZE)
	{
		if (!s3x_parse_nonneg(t, LLONG_MAX, &v))
			stream_fail(s, "invalid Size in %s", what);
		s->entry.size = v;
	}
	else if (s->field == FIELD_IS_TRUNCATED)
	{
		if (s3x_equals_trimmed(t, "true"))
			s->res.is_truncated = true;
		else if (!s3x_equals_trimmed(t, "false"))
			stream_fail(s, "invalid IsTruncated in %s", what);
	}
	else if (s->field == FIELD_KEY_COUNT)
	{
		if (!s3x_parse_nonneg(t, INT_MAX, &v))
			stream_fail(s, "invalid KeyCount in %s", what);
		s->res.key_count = (int) v;
	}
	else if (s->field == FIELD_ENCODING_TYPE)
	{
		if (!s3x_equals_trimmed(t, "url"))
			stream_fail(s, "unsupported EncodingType in %s", what);
		else
		{
			s->url_encoded = true;
			decode_earlier(s);
		}
	}
	s->field = FIELD_NONE;
}

/* ---- SAX callbacks, ctx being the stream ---- */

static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		 const xmlChar *URI, int nb_namespaces, const xmlChar **namespaces,
		 int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	s3_list_stream *s = ctx;
	const char *name = (const char *) localname;

	(void) nb_namespaces;
	(void) namespaces;
	(void) nb_attributes;
	(void) nb_defaulted;
	(void) attributes;
	if (stream_idle(s))
		return;
	s->run = s->cdata_run = 0;
	/* an element inside a value: the tree's rules for blanks apply */
	if (s->field != FIELD_NONE)
	{
		stream_use_tree(s);
		return;
	}
	if (++s->depth == 1)
	{
		xmlParserInputPtr in = s->ctxt->input;
		xmlCharEncodingHandlerPtr enc = in != NULL && in->buf != NULL ? in->buf->encoder : NULL;

		/* an encoding the document declares has replaced UTF-8 */
		if (enc == NULL || strcmp(enc->name, "UTF-8") != 0)
			stream_use_tree(s);
		else
			check_root(s, localname, prefix, URI);
		return;
	}
	/* the tree names an element with an unbound prefix "prefix:name" */
	if ((prefix != NULL && URI == NULL) || s->depth > 3)
		return;
	if (s->depth == 2 && strcmp(name, "Contents") == 0)
	{
		if (s->res.n >= contents_limit(s))
		{
			stream_fail(s, "more than %zu Contents in %s", contents_limit(s), what);
			return;
		}
		memset(&s->entry, 0, sizeof(s->entry));
		s->entry.size = -1;
		memset(s->seen + FIELD_KEY, 0, FIELD_STORAGE_CLASS - FIELD_KEY + 1);
		s->child = CHILD_CONTENTS;
	}
	else if (s->depth == 2 && strcmp(name, "CommonPrefixes") == 0)
	{
		s->seen[FIELD_PREFIX] = false;
		s->child = CHILD_PREFIXES;
	}
	else if ((s->field = find_field(s, name)) != FIELD_NONE)
	{
		s->field_depth = s->depth;
		s->text.len = 0;
		if (s->text.data != NULL)
			s->text.data[0] = '\0';
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
	s->run = s->cdata_run = 0;
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
	if (--s->depth == 0)
		s->root_done = true;
}

static void
on_characters(void *ctx, const xmlChar *ch, int len)
{
	s3_list_stream *s = ctx;

	if (stream_idle(s) || len <= 0)
		return;
	s->cdata_run = 0;
	/* libxml2's tree adds no more to a text node */
	if ((s->run += (size_t) len) > S3_LIST_STREAM_MAX_TEXT)
		stream_fail(s, "character data longer than %d bytes in %s",
					S3_LIST_STREAM_MAX_TEXT, what);
	else if (s->field == FIELD_NONE)
		return;
	else if (s->text.len + (size_t) len > S3_LIST_STREAM_MAX_VALUE)
		stream_fail(s, "<%s> longer than %d bytes in %s", fields[s->field].name,
					S3_LIST_STREAM_MAX_VALUE, what);
	else
		cbuf_append_len(&s->text, (const char *) ch, (size_t) len);
}

/* CDATA (len >= 0 bytes of it), or a comment or processing instruction (-1) */
static void
on_markup(s3_list_stream *s, int len)
{
	if (stream_idle(s))
		return;
	s->run = 0;
	s->cdata_run = len < 0 ? 0 : s->cdata_run + (size_t) len;
	/* the tree parser refuses a larger CDATA section, or stops adding */
	if (s->cdata_run > S3_LIST_STREAM_MAX_TEXT)
		stream_fail(s, "CDATA longer than %d bytes in %s",
					S3_LIST_STREAM_MAX_TEXT, what);
	else if (s->field != FIELD_NONE)
		stream_use_tree(s);
}

static void
on_cdata(void *ctx, const xmlChar *value, int len)
{
	(void) value;
	on_markup(ctx, len < 0 ? 0 : len);
}

static void
on_comment(void *ctx, const xmlChar *value)
{
	(void) value;
	on_markup(ctx, -1);
}

static void
on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	(void) target;
	(void) data;
	on_markup(ctx, -1);
}

static void
on_doctype(void *ctx, const xmlChar *name, const xmlChar *ExternalID,
		   const xmlChar *SystemID)
{
	(void) name;
	(void) ExternalID;
	(void) SystemID;
	if (!stream_idle(ctx))
		stream_fail(ctx, "%s contains a DOCTYPE declaration", what);
}

/* libxml2 counts its errors in the context; they are shown nowhere */
static void
on_error(void *ctx, xmlErrorPtr error)
{
	(void) ctx;
	(void) error;
}

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

	xmlSetStructuredErrorFunc(NULL, on_error);
	return h;
}

static void
restore_errors(saved_handler h)
{
	xmlSetStructuredErrorFunc(h.ctx, h.fn);
}

/*
 * Creates the push parser: the callbacks above, none that builds a tree,
 * and the body read as UTF-8 whatever its first bytes, as the tree parser
 * reads it.
 */
static bool
stream_start_parser(s3_list_stream *s)
{
	xmlSAXHandler sax;
	unsigned int magic;
	xmlCharEncodingHandlerPtr utf8;

	memset(&sax, 0, sizeof(sax));
	xmlSAXVersion(&sax, 2);
	magic = sax.initialized;
	memset(&sax, 0, sizeof(sax));
	sax.initialized = magic;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_characters;
	/* the same function, so that libxml2 never sorts out blanks */
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
	xmlCharEncodingHandlerPtr enc;

	xmlParseChunk(ctxt, data, (int) n, terminate ? 1 : 0);
	restore_errors(h);
	if (s->root_bad && !s->failed)
	{
		s->root_bad = false;
		if (ctxt->wellFormed)
			s->failed = true;	/* s->err says why */
		else
			stream_fail(s, "malformed XML in %s", what);
	}
	if (stream_idle(s))
		return;
	enc = ctxt->input != NULL && ctxt->input->buf != NULL ? ctxt->input->buf->encoder : NULL;
	if (enc == NULL || strcmp(enc->name, "UTF-8") != 0)
		stream_use_tree(s);
	else if (ctxt->errNo == XML_ERR_NO_MEMORY)
		stream_oom(s);
	else if (!ctxt->wellFormed || (!terminate && ctxt->instate == XML_PARSER_EOF) ||
			 (terminate && !s->root_done))
		stream_fail(s, "malformed XML in %s", what);
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
		ok = stream_start_parser(s);
		restore_errors(h);
		if (!ok)
		{
			stream_oom(s);
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
		stream_fail(s, "%s fed after its end", what);
	else if (len > 0 && buf == NULL)
		stream_fail(s, "no buffer for %s", what);
	else if (len > LIST_MAX_INPUT - s->body.len)
		stream_fail(s, "%s larger than %zu bytes", what, LIST_MAX_INPUT);
	else if (len > 0 && memchr(buf, '\0', len) != NULL)
		stream_fail(s, "%s contains a NUL byte", what);
	if (s->failed)
		return stream_error(s, errbuf, errlen);
	if (len == 0)
		return 0;

	old = s->body.len;
	cbuf_append_len(&s->body, buf, len);
	if (s->body.failed)
		stream_oom(s);
	else if (doctype_from(&s->body, old >= 8 ? old - 8 : 0))
		stream_fail(s, "%s contains a DOCTYPE declaration", what);
	/* a carriage return changes which blanks the tree keeps */
	else if (memchr(buf, '\r', len) != NULL)
		stream_use_tree(s);
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
	stream_fail(s, "<%s> longer than %d bytes in %s", name,
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
	if (out->n > contents_limit(s))
		stream_fail(s, "more than %zu Contents in %s", contents_limit(s), what);
	else if (out->n_prefixes > S3_LIST_STREAM_MAX_ENTRIES)
		stream_fail(s, "more than %d CommonPrefixes in %s",
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
		stream_fail(s, "%s finished twice", what);
	else if (out == NULL)
		stream_fail(s, "no result structure for %s", what);
	else if (s->body.len == 0)
		stream_fail(s, "empty %s", what);
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
