/*-------------------------------------------------------------------------
 *
 * s3_fdw.h
 *		What every PostgreSQL-facing file of s3_fdw shares: the differences
 *		between the PostgreSQL versions it builds on, and the wrapper's two
 *		entry points.
 *
 * Each layer has its header: s3_values.h (values between SQL and S3),
 * s3_server.h (options and the server record), credentials.h and
 * credential_sources.h, s3_http.h, s3_request.h, s3_call.h (what operation
 * files share) and s3_ops.h (the S3 operations); src/README.md draws them.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3_FDW_H
#define S3_FDW_H

#include "fmgr.h"
#if PG_VERSION_NUM >= 160000
/* 16 moved VARDATA, VARSIZE and SET_VARSIZE out of postgres.h */
#include "varatt.h"
#endif

/*
 * A function that does not return: PostgreSQL 18 replaced
 * pg_attribute_noreturn(), written after the declaration, with pg_noreturn,
 * written before it.
 */
#if PG_VERSION_NUM >= 180000
#define S3_NORETURN_BEGIN pg_noreturn
#define S3_NORETURN_END
#else
#define S3_NORETURN_BEGIN
#define S3_NORETURN_END pg_attribute_noreturn()
#endif

/* fdw.c, options.c */
extern Datum s3_fdw_handler(PG_FUNCTION_ARGS);
extern Datum s3_fdw_validator(PG_FUNCTION_ARGS);

#endif							/* S3_FDW_H */
