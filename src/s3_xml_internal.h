/*-------------------------------------------------------------------------
 *
 * s3_xml_internal.h
 *		The document walking that the tree parsers (s3_xml.c,
 *		s3_xml_list.c, s3_xml_delete.c) share: the frame that opens a
 *		document safely and hands its root to a reader, matching elements
 *		by local name, taking their text, growing arrays.  libc and libxml2 only, like the parsers.
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
 * What a parser's reader reports: S3X_OK, S3X_FAIL (with a message in
 * errbuf) or S3X_OOM.
 */
#define S3X_OK		0
#define S3X_FAIL	(-1)
#define S3X_OOM		(-2)

/* Reads a document's root into result (zeroed before) */
typedef int (*s3x_reader) (xmlNodePtr root, void *result, const char *what,
						   char *errbuf, size_t errlen);

/*
 * The frame of every parser: zero the result (result_size bytes), parse the
 * buffer, find the root and, when root_name is not NULL, check its name;
 * then read(root, result, ...), and free the document.  Returns 0; or -1
 * with a message in errbuf ("out of memory parsing <what>" for S3X_OOM)
 * and the result freed with free_result and zeroed.  "what" names the
 * answer in messages.
 */
extern int	s3x_parse(const char *buf, size_t len, const char *root_name, const char *what,
					  s3x_reader read, void *result, size_t result_size,
					  void (*free_result) (void *), char *errbuf, size_t errlen);
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
