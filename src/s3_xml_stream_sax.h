/*-------------------------------------------------------------------------
 *
 * s3_xml_stream_sax.h
 *		What the streaming ListObjectsV2 parser's two files share: the
 *		stream's state, kept by the interface and push parser
 *		(s3_xml_stream.c) and filled in by the SAX2 callbacks
 *		(s3_xml_stream_sax.c), with the helpers that record a failure,
 *		which live in the latter.  libc and libxml2 only.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_S3_XML_STREAM_SAX_H
#define S3FDW_S3_XML_STREAM_SAX_H

#include <stdbool.h>
#include <stddef.h>

#include <string.h>

#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/xmlstring.h>

/* libxml2 2.12 made the structured error handler's error const */
#if LIBXML_VERSION >= 21200
#define S3X_ERROR_CONST const
#else
#define S3X_ERROR_CONST
#endif

#include "core.h"
#include "s3_xml.h"

/* What the messages call the page */
#define LIST_WHAT			"ListObjectsV2 response"

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

/* s3_xml_stream.c */
extern void s3x_stream_fail(s3_list_stream *s, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
extern void s3x_stream_oom(s3_list_stream *s);
extern void s3x_stream_use_tree(s3_list_stream *s);
extern size_t s3x_stream_contents_limit(const s3_list_stream *s);

/* s3_xml_stream_sax.c */
extern bool s3x_stream_start_parser(s3_list_stream *s);
extern void s3x_stream_on_error(void *ctx, S3X_ERROR_CONST xmlError *error);

/*
 * What the parser context says, through the accessors of libxml2 2.14 and
 * later (which deprecated the context's members): has an encoding the
 * document declares replaced UTF-8, the one the parser was told?  Has the
 * parser stopped?
 */
static inline bool
s3x_encoding_replaced(xmlParserCtxtPtr ctxt)
{
#if LIBXML_VERSION >= 21400
	const xmlChar *declared = xmlCtxtGetDeclaredEncoding(ctxt);

	return declared != NULL && xmlStrcasecmp(declared, BAD_CAST "UTF-8") != 0;
#else
	xmlCharEncodingHandlerPtr enc = ctxt->input != NULL && ctxt->input->buf != NULL ?
		ctxt->input->buf->encoder : NULL;

	return enc == NULL || strcmp(enc->name, "UTF-8") != 0;
#endif
}

static inline bool
s3x_parser_stopped(xmlParserCtxtPtr ctxt)
{
#if LIBXML_VERSION >= 21400
	return xmlCtxtIsStopped(ctxt) != 0;
#else
	return ctxt->instate == XML_PARSER_EOF;
#endif
}

/* Are the callbacks to be ignored? */
static inline bool
stream_idle(const s3_list_stream *s)
{
	return s->failed || s->use_tree || s->root_bad;
}

#endif							/* S3FDW_S3_XML_STREAM_SAX_H */
