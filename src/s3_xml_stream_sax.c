/*-------------------------------------------------------------------------
 *
 * s3_xml_stream_sax.c
 *		The SAX2 side of the streaming ListObjectsV2 parser
 *		(s3_xml_stream.c): the callbacks libxml2's push parser makes as it
 *		reads the body, which pick out the page's values and build the page
 *		as s3_xml_parse_list_objects() would, and the parser they are set
 *		on.
 *
 * The rules they follow, and when they hand the body to the tree parser
 * instead, are told in s3_xml_stream.c.  They never jump: a failure is
 * recorded in the stream, which stops the parser.  libc and libxml2 only.
 *
 * IDENTIFICATION
 *	  src/s3_xml_stream_sax.c
 *
 *-------------------------------------------------------------------------
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include "core.h"
#include "s3_xml.h"
#include "s3_xml_internal.h"
#include "s3_xml_stream_sax.h"

/* The tree parser's options, but NOBLANKS, whose effect is seen to here */
#define LIST_PARSE_OPTIONS	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

static const char what[] = LIST_WHAT;

/* ---- The stream's state, which the callbacks share ---- */

/*
 * Records the first failure and stops the parser (xmlStopParser is how
 * libxml2 wants to be stopped from inside its callbacks).
 */
void
s3x_stream_fail(s3_list_stream *s, const char *fmt,...)
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

void
s3x_stream_oom(s3_list_stream *s)
{
	s3x_stream_fail(s, "out of memory parsing %s", what);
}

/* From here on the stream only keeps the body, for the tree parser */
void
s3x_stream_use_tree(s3_list_stream *s)
{
	if (s->use_tree || s->failed)
		return;
	s->use_tree = true;
	if (s->ctxt != NULL)
		xmlStopParser(s->ctxt);
}

/* The most Contents the page may hold */
size_t
s3x_stream_contents_limit(const s3_list_stream *s)
{
	if (s->max_keys > 0 && s->max_keys < S3_LIST_STREAM_MAX_ENTRIES)
		return s->max_keys;
	return S3_LIST_STREAM_MAX_ENTRIES;
}

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
		s3x_stream_oom(s);
	else if (rc != URLDEC_OK)
		s3x_stream_fail(s, "invalid URL encoding of %s in %s", name, what);
	return rc == URLDEC_OK;
}

/* A Contents has closed: the tree parser's checks, then into the page */
static void
contents_close(s3_list_stream *s)
{
	void	   *p;

	if (s->entry.key == NULL)
		s3x_stream_fail(s, "Contents without Key in %s", what);
	/* decoding leaves a key as empty as it finds it, or fails */
	else if (s->entry.key[0] == '\0')
		s3x_stream_fail(s, "empty Key in %s", what);
	else if (!s->url_encoded || decode_value(s, &s->entry.key, "Key"))
	{
		p = s3x_array_reserve(s->res.items, s->res.n, &s->cap, sizeof(*s->res.items));
		if (p == NULL)
			s3x_stream_oom(s);
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
		s3x_stream_fail(s, "CommonPrefixes without Prefix in %s", what);
	else if (s->res.n_prefixes >= S3_LIST_STREAM_MAX_ENTRIES)
		s3x_stream_fail(s, "more than %d CommonPrefixes in %s",
						S3_LIST_STREAM_MAX_ENTRIES, what);
	else if (!s->url_encoded || decode_value(s, &s->prefix, "CommonPrefixes"))
	{
		p = s3x_array_reserve(s->res.common_prefixes, s->res.n_prefixes, &s->pcap,
							  sizeof(*s->res.common_prefixes));
		if (p == NULL)
			s3x_stream_oom(s);
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
		s3x_stream_oom(s);
	else if (dst != NULL)
	{
		/* text holds no NUL: the body has none, and no reference makes one */
		if ((*dst = strdup(t)) == NULL)
			s3x_stream_oom(s);
		else if (s->field == FIELD_ETAG)
			s3x_strip_quotes(*dst);
	}
	else if (s->field == FIELD_SIZE)
	{
		if (!s3x_parse_nonneg(t, LLONG_MAX, &v))
			s3x_stream_fail(s, "invalid Size in %s", what);
		s->entry.size = v;
	}
	else if (s->field == FIELD_IS_TRUNCATED)
	{
		if (s3x_equals_trimmed(t, "true"))
			s->res.is_truncated = true;
		else if (!s3x_equals_trimmed(t, "false"))
			s3x_stream_fail(s, "invalid IsTruncated in %s", what);
	}
	else if (s->field == FIELD_KEY_COUNT)
	{
		if (!s3x_parse_nonneg(t, INT_MAX, &v))
			s3x_stream_fail(s, "invalid KeyCount in %s", what);
		s->res.key_count = (int) v;
	}
	else if (s->field == FIELD_ENCODING_TYPE)
	{
		if (!s3x_equals_trimmed(t, "url"))
			s3x_stream_fail(s, "unsupported EncodingType in %s", what);
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
		s3x_stream_use_tree(s);
		return;
	}
	if (++s->depth == 1)
	{
		/* an encoding the document declares has replaced UTF-8 */
		if (s3x_encoding_replaced(s->ctxt))
			s3x_stream_use_tree(s);
		else
			check_root(s, localname, prefix, URI);
		return;
	}
	/* the tree names an element with an unbound prefix "prefix:name" */
	if ((prefix != NULL && URI == NULL) || s->depth > 3)
		return;
	if (s->depth == 2 && strcmp(name, "Contents") == 0)
	{
		if (s->res.n >= s3x_stream_contents_limit(s))
		{
			s3x_stream_fail(s, "more than %zu Contents in %s",
							s3x_stream_contents_limit(s), what);
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
		s3x_stream_fail(s, "character data longer than %d bytes in %s",
						S3_LIST_STREAM_MAX_TEXT, what);
	else if (s->field == FIELD_NONE)
		return;
	else if (s->text.len + (size_t) len > S3_LIST_STREAM_MAX_VALUE)
		s3x_stream_fail(s, "<%s> longer than %d bytes in %s",
						fields[s->field].name, S3_LIST_STREAM_MAX_VALUE, what);
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
		s3x_stream_fail(s, "CDATA longer than %d bytes in %s",
						S3_LIST_STREAM_MAX_TEXT, what);
	else if (s->field != FIELD_NONE)
		s3x_stream_use_tree(s);
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
		s3x_stream_fail(ctx, "%s contains a DOCTYPE declaration", what);
}

/* libxml2 counts its errors in the context; they are shown nowhere */
void
s3x_stream_on_error(void *ctx, S3X_ERROR_CONST xmlError *error)
{
	(void) ctx;
	(void) error;
}

/*
 * Creates the push parser: the callbacks above, none that builds a tree,
 * and the body read as UTF-8 whatever its first bytes, as the tree parser
 * reads it.
 */
bool
s3x_stream_start_parser(s3_list_stream *s)
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
	sax.serror = s3x_stream_on_error;

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
