/*-------------------------------------------------------------------------
 *
 * s3_xml_fast.h
 *		A fast scanner for the common ListObjectsV2 page (s3_xml_fast.c):
 *		the XML S3 and S3-compatible stores send, read without libxml2,
 *		with s3_xml_parse_list_objects() taking over for anything else.
 *
 * libc only, like the other cores, so that it can be unit-tested and
 * fuzzed against the libxml2 parser on its own.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_S3_XML_FAST_H
#define S3FDW_S3_XML_FAST_H

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
 * The fields of a Contents a caller reads.  Those it leaves out are checked
 * as they are read (so that the answer, 0 or 1, is the same) but not kept:
 * they stay NULL.  Sizes, common prefixes and the page's own fields are
 * always kept.  A caller that merges objects with common prefixes needs
 * the keys.
 */
#define S3X_WANT_KEY			0x01
#define S3X_WANT_LAST_MODIFIED	0x02
#define S3X_WANT_ETAG			0x04
#define S3X_WANT_STORAGE_CLASS	0x08
#define S3X_WANT_ALL			0x0F

/* s3_xml_fast_list_objects(), keeping only the fields in want */
extern int	s3_xml_fast_list_objects_want(const char *buf, size_t len, unsigned want,
										  s3_object_list *out);

#endif							/* S3FDW_S3_XML_FAST_H */
