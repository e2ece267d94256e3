/*-------------------------------------------------------------------------
 *
 * fdw_modify.h
 *		Writes through s3_fdw's foreign tables (fdw_modify.c): INSERT
 *		uploads, UPDATE uploads again or copies, DELETE removes in batches.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_FDW_MODIFY_H
#define S3FDW_FDW_MODIFY_H

#include "foreign/fdwapi.h"
#include "nodes/execnodes.h"
#include "nodes/pathnodes.h"

/* fill the write callbacks of the handler's FdwRoutine */
extern void s3_modify_routines(FdwRoutine *routine);

/* whether baserel is the table an UPDATE or DELETE writes to */
extern bool s3_is_modify_target(PlannerInfo *root, RelOptInfo *baserel);

/* whether the statement running in estate wrote that object itself */
extern bool s3_written_here(EState *estate, const char *bucket, const char *utf8_key);

#endif							/* S3FDW_FDW_MODIFY_H */
