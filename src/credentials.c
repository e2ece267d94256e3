/*-------------------------------------------------------------------------
 *
 * credentials.c
 *		Where the credentials that sign a request come from.
 *
 * In "keys" mode they come from the calling role's own user mapping for the
 * server, or failing that from the PUBLIC one: never from another role's.
 * The secrets are copied into the current memory context only for as long
 * as the call needs them, and are never put into a message.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_user_mapping.h"
#include "commands/defrem.h"
#include "foreign/foreign.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/syscache.h"

#include "s3_fdw.h"

/* The caller's user mapping, else PUBLIC's, else NULL. */
static UserMapping *
find_user_mapping(Oid userid, Oid serverid)
{
	HeapTuple	tp;

	tp = SearchSysCache2(USERMAPPINGUSERSERVER,
						 ObjectIdGetDatum(userid),
						 ObjectIdGetDatum(serverid));
	if (!HeapTupleIsValid(tp))
		tp = SearchSysCache2(USERMAPPINGUSERSERVER,
							 ObjectIdGetDatum(InvalidOid),
							 ObjectIdGetDatum(serverid));
	if (!HeapTupleIsValid(tp))
		return NULL;
	ReleaseSysCache(tp);

	/* GetUserMapping() applies the same rule and builds the option list */
	return GetUserMapping(userid, serverid);
}

static void
load_keys(S3Server *server, Oid userid)
{
	UserMapping *um = find_user_mapping(userid, server->serverid);
	S3Credentials *creds;
	ListCell   *lc;

	if (um == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("user mapping not found for role \"%s\" on server \"%s\"",
						GetUserNameFromId(userid, false), server->servername),
				 errhint("Create one with CREATE USER MAPPING FOR CURRENT_USER SERVER %s OPTIONS (access_key_id '...', secret_access_key '...').",
						 quote_identifier(server->servername))));

	creds = palloc0(sizeof(S3Credentials));
	foreach(lc, um->options)
	{
		DefElem    *def = (DefElem *) lfirst(lc);

		if (strcmp(def->defname, "access_key_id") == 0)
			creds->access_key_id = defGetString(def);
		else if (strcmp(def->defname, "secret_access_key") == 0)
			creds->secret_access_key = defGetString(def);
		else if (strcmp(def->defname, "session_token") == 0)
			creds->session_token = defGetString(def);
	}
	if (creds->access_key_id == NULL || creds->secret_access_key == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("user mapping for server \"%s\" lacks %s",
						server->servername,
						creds->access_key_id == NULL ? "access_key_id" : "secret_access_key"),
				 errhint("Credentials mode \"keys\" needs both access_key_id and secret_access_key in the user mapping.")));
	server->creds = creds;
}

/*
 * Fill server->creds for the current user.
 */
void
s3_load_credentials(S3Server *server)
{
	s3_load_credentials_for(server, GetUserId());
}

/*
 * Fill server->creds for a given role: a foreign table read through a view
 * uses the view owner's user mapping, as postgres_fdw does.
 */
void
s3_load_credentials_for(S3Server *server, Oid userid)
{
	if (server->creds != NULL)
		return;
	switch (server->cred_mode)
	{
		case S3_CRED_KEYS:
			load_keys(server, userid);
			break;
		case S3_CRED_INSTANCE:
		case S3_CRED_ROLE:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("credentials mode of server \"%s\" is not supported yet",
							server->servername)));
			break;
	}
}
