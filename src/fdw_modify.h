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

/* fill the write callbacks of the handler's FdwRoutine (planning them is fdw.c's) */
extern void s3_modify_routines(FdwRoutine *routine);

#endif							/* S3FDW_FDW_MODIFY_H */
