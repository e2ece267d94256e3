/*-------------------------------------------------------------------------
 *
 * fdw_utility.h
 *		ANALYZE and IMPORT FOREIGN SCHEMA for s3_fdw's foreign tables
 *		(fdw_utility.c), as the handler in fdw.c hands them to PostgreSQL.
 *
 *-------------------------------------------------------------------------
 */
#ifndef S3FDW_FDW_UTILITY_H
#define S3FDW_FDW_UTILITY_H

#include "foreign/fdwapi.h"

extern bool s3AnalyzeForeignTable(Relation relation, AcquireSampleRowsFunc *func,
								  BlockNumber *totalpages);
extern List *s3ImportForeignSchema(ImportForeignSchemaStmt *stmt, Oid serverOid);

#endif							/* S3FDW_FDW_UTILITY_H */
