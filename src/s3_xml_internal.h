/*-------------------------------------------------------------------------
 *
 * s3_xml_internal.h
 *		The document walking that s3_xml.c and s3_xml_list.c share: opening
 *		a document safely, matching elements by local name, taking their
 *		text.  libc and libxml2 only, like the parsers.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_S3_XML_INTERNAL_H
#define S3FDW_S3_XML_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

/* Longest element name quoted in an error message. */
#define S3_XML_MAX_NAME		64

/*
 * The opening of every parser: zero the result (out, outsize bytes), parse
 * the buffer, find the root and, when root_name is not NULL, check its
 * name.  The document (freed with xmlFreeDoc) and its root in *root; or
 * NULL with a message in errbuf.  "what" names the answer in messages.
 */
extern xmlDocPtr s3x_open_document(const char *buf, size_t len, void *out, size_t outsize,
								   const char *root_name, const char *what,
								   char *errbuf, size_t errlen, xmlNodePtr *root);
extern bool s3x_check_root(xmlNodePtr root, const char *want, const char *what,
						   char *errbuf, size_t errlen);
extern bool s3x_name_is(xmlNodePtr node, const char *local);
extern char *s3x_node_text(xmlNodePtr node);
extern bool s3x_take_text(xmlNodePtr node, char **field);
extern bool s3x_parse_nonneg(const char *s, long long max, long long *result);
extern bool s3x_equals_trimmed(const char *s, const char *word);
extern bool s3x_array_append(void *arrayp, size_t *n, size_t *cap, size_t elsize, void *elemp);
extern void s3x_strip_quotes(char *s);
extern int	s3x_url_decode_field(char **field);

#endif							/* S3FDW_S3_XML_INTERNAL_H */
