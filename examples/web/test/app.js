// Starts the application for a test: a fresh database set up by setup.js as a superuser (the PG*
// variables, as inside pg_virtualenv), the application connected as web_app, listening on a loopback
// port. `sql` runs statements as the superuser in that database, to inspect and age rows.

import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { connect } from "../auth.js";
import { createApp } from "../server.js";
import { setUp } from "../setup.js";

export const startApp = async (database) => {
	const admin = new pg.Client({ database: process.env.PGDATABASE || "postgres" });
	await admin.connect();
	try {
		await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
	} finally {
		await admin.end();
	}
	const password = randomBytes(18).toString("base64url");
	const migrations = await setUp({ database, appPassword: password });
	// Connections as web_app go over TCP where the server asks for passwords (pg_virtualenv), else as
	// the PG* variables say; the role is web_app either way.
	const { pool, db, auth } = connect({ database, password, production: false });
	const server = createApp({ auth, db });
	await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
	const origin = `http://127.0.0.1:${server.address().port}`;
	const superuser = new pg.Client({ database });
	await superuser.connect();
	return {
		origin,
		migrations,
		password,
		pool,
		auth,
		sql: async (text, params = []) => (await superuser.query(text, params)).rows,
		close: async () => {
			await new Promise((resolve) => server.close(resolve));
			server.closeAllConnections?.();
			await pool.end();
			await superuser.end();
		}
	};
};

/** The stored id of a session token: lucia_auth.session_id_storage = sha256 keeps its digest. */
export const digestOf = (token) => `sha256$${createHash("sha256").update(token, "utf8").digest("hex")}`;
