/*-------------------------------------------------------------------------
 *
 * functions.h
 *		What the SQL-callable functions (functions_bucket.c,
 *		functions_object.c, functions_copy.c, functions_tags.c) share
 *		(functions.c): their argument checks and the start of a
 *		materialized result set.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_FUNCTIONS_H
#define S3FDW_FUNCTIONS_H

#include "access/tupdesc.h"
#include "fmgr.h"
#include "utils/tuplestore.h"

#include "s3_ops.h"
#include "s3_values.h"

extern void s3_check_not_null(FunctionCallInfo fcinfo, int argno, const char *name);
extern S3Server *s3_target_args(FunctionCallInfo fcinfo, int nargs, const char *const *names,
								char **bucket, char **key);
extern Tuplestorestate *s3_begin_result(FunctionCallInfo fcinfo, TupleDesc *desc);

#endif							/* S3FDW_FUNCTIONS_H */
