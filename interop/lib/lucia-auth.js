// The lucia_auth SQL functions for the cases, through the Node client (clients/node, package
// lucia_auth): one method per function, with the rows as lucia_auth returns them (camelCase), called
// through Drizzle's db.execute as an application using Drizzle calls them. Works with
// drizzle-orm/node-postgres and drizzle-orm/postgres-js, on a database or a transaction.
//
// Failed calls reject with the client's LuciaError (message = Lucia's error code, code = SQLSTATE)
// or DatabaseError (code = SQLSTATE); neither holds the call's parameters.

import { createClient } from "lucia_auth";
import { drizzle } from "lucia_auth/drizzle";

/** @typedef {import("lucia_auth").UserRecord} AuthUser */
/** @typedef {import("lucia_auth").KeyRecord} AuthKey */
/** @typedef {import("lucia_auth").SessionRecord} AuthSession */
/** @typedef {import("lucia_auth").LuciaAuthClient} LuciaAuth */

/**
 * @param {any} db a Drizzle database (node-postgres or postgres-js) or transaction
 * @returns {LuciaAuth}
 */
export const luciaAuth = (db) => createClient(drizzle(db));
