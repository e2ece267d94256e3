/*-------------------------------------------------------------------------
 *
 * s3_values.h
 *		The values that cross between SQL and S3 (s3_values.c): arguments
 *		checked on the way out, answers read on the way back.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_S3_VALUES_H
#define S3FDW_S3_VALUES_H

#include "nodes/pg_list.h"

#include "s3_fdw.h"
#include "s3_names.h"

/* going out: bucket names and keys from SQL, the rules' fragments */
extern char *s3_sentence(const char *fragment);
extern void s3_check_bucket_arg(const char *bucket);
extern char *s3_check_key_arg(const char *key);
extern bool s3_printable_ascii(const char *s);
extern void s3_check_version_id_arg(const char *version_id);
extern char *s3_base64(const void *data, size_t len);
extern char *s3_encryption_context_json(Datum jsonb, const char *name);
extern char *s3_tagging_query(Datum jsonb, const char *name);
extern char *s3_tagging_query_of(List *pairs);
extern List *s3_tag_pairs(Datum jsonb, const char *name);

/* coming back: an answer that does not parse, or that answers another request */
S3_NORETURN_BEGIN extern void s3_report_invalid_response(const char *what, const char *problem) S3_NORETURN_END;
S3_NORETURN_BEGIN extern void s3_report_protocol_violation(const char *what, const char *problem) S3_NORETURN_END;
/* its values: times, text in UTF-8, bytes fit for a message */
extern Datum s3_timestamptz(const char *iso8601, const char *what, const char *field);
extern char *s3_text_from_utf8(const char *s, const char *bucket);
extern char *s3_escape_bytes(const char *s, size_t len);
extern Datum s3_text_datum_or_null(const char *s, bool *isnull);

/* the malloc'd result of a PostgreSQL-free core, taken into palloc'd memory */
typedef void (*s3_core_take) (void *result, void *arg);
typedef void (*s3_core_release) (void *result);
extern void s3_take_core_result(void *result, s3_core_release release, s3_core_take take,
								void *arg);

#endif							/* S3FDW_S3_VALUES_H */
