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

#endif							/* S3FDW_S3_XML_FAST_H */
