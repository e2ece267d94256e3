/*-------------------------------------------------------------------------
 *
 * s3_fdw.c
 *		Module entry points of s3_fdw and the lookup of the foreign server a
 *		SQL-callable function names.
 *
 * A function's "server" argument must name a foreign server of this
 * wrapper on which the caller has USAGE; the caller's credentials then come
 * from its own user mapping (or PUBLIC's), exactly as for a foreign table.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_foreign_server.h"
#include "foreign/foreign.h"
#include "miscadmin.h"
#include "utils/acl.h"

#include "s3_fdw.h"

PG_MODULE_MAGIC;

extern Datum s3_fdw_validator(PG_FUNCTION_ARGS);

/*
 * Resolve a server name for the current user: it must exist, belong to
 * s3_fdw, and be usable by the caller.
 */
S3Server *
s3_lookup_server(const char *servername)
{
	ForeignServer *fs = GetForeignServerByName(servername, false);
	ForeignDataWrapper *fdw = GetForeignDataWrapper(fs->fdwid);
	AclResult	aclresult;
	FmgrInfo	flinfo;

	if (!OidIsValid(fdw->fdwvalidator) ||
		(fmgr_info(fdw->fdwvalidator, &flinfo), flinfo.fn_addr != s3_fdw_validator))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("server \"%s\" is not an s3_fdw server", servername),
				 errdetail("It uses the foreign-data wrapper \"%s\".", fdw->fdwname)));

#if PG_VERSION_NUM >= 160000
	aclresult = object_aclcheck(ForeignServerRelationId, fs->serverid,
								GetUserId(), ACL_USAGE);
#else
	aclresult = pg_foreign_server_aclcheck(fs->serverid, GetUserId(), ACL_USAGE);
#endif
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, OBJECT_FOREIGN_SERVER, fs->servername);

	return s3_server_from_oid(fs->serverid);
}
