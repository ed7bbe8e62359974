// Databases and drivers for the client's tests. Connection parameters come from the libpq variables
// (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE), read by node-postgres and postgres.js alike; the
// role must be a superuser (the tests create databases and set lucia_auth.* settings).

import pgModule from "pg";
import postgresJs from "postgres";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePostgresJs } from "drizzle-orm/postgres-js";
import { pg } from "../dist/pg.js";
import { postgres } from "../dist/postgres.js";
import { drizzle } from "../dist/drizzle.js";

const maintenanceDatabase = () => process.env.PGDATABASE || "postgres";

/** Runs statements as the test role in `database` (or the maintenance database). */
export const admin = async (statements, database = maintenanceDatabase()) => {
	const client = new pgModule.Client({ database });
	await client.connect();
	try {
		const results = [];
		for (const statement of [statements].flat()) results.push(await client.query(statement));
		return results;
	} finally {
		await client.end();
	}
};

/**
 * Drops and re-creates `name` with lucia_auth, its tables (with a username column on auth_user and a
 * country column on user_session), cheap password hashes, and `settings` stored on the database.
 */
export const freshDatabase = async (name, settings = {}) => {
	const quoted = pgModule.escapeIdentifier(name);
	await admin([`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`, `CREATE DATABASE ${quoted}`]);
	const all = {
		"lucia_auth.password_hash": "argon2id",
		"lucia_auth.argon2id_memory": "64kB",
		"lucia_auth.argon2id_iterations": "1",
		...settings
	};
	await admin(
		Object.entries(all).map(([setting, value]) => `ALTER DATABASE ${quoted} SET ${setting} = ${pgModule.escapeLiteral(value)}`)
	);
	await admin(
		[
			"CREATE EXTENSION lucia_auth",
			"SELECT lucia_auth.create_tables()",
			"ALTER TABLE auth_user ADD COLUMN username text",
			"ALTER TABLE user_session ADD COLUMN country text"
		],
		name
	);
};

/** Whether the database has a lucia_auth function with this signature, e.g. 'use_key(text,text,text,text)'. */
export const hasFunction = async (database, signature) =>
	(await admin(`SELECT to_regprocedure('lucia_auth.${signature}') IS NOT NULL AS present`, database))[0].rows[0].present;

/**
 * The four ways to reach the database: node-postgres, postgres.js, and Drizzle over each.
 * open(database) gives { adapter, raw, close }.
 */
export const drivers = {
	pg: (database, options = {}) => {
		const pool = new pgModule.Pool({ database, max: 3, ...options });
		return { adapter: pg(pool), raw: pool, close: () => pool.end() };
	},
	postgres: (database, options = {}) => {
		const sql = postgresJs({ database, max: 3, onnotice: () => {}, ...options });
		return { adapter: postgres(sql), raw: sql, close: () => sql.end({ timeout: 5 }) };
	},
	"drizzle (node-postgres)": (database, options = {}) => {
		const pool = new pgModule.Pool({ database, max: 3, ...options });
		const db = drizzleNodePg(pool);
		return { adapter: drizzle(db), raw: db, close: () => pool.end() };
	},
	"drizzle (postgres.js)": (database, options = {}) => {
		const sql = postgresJs({ database, max: 3, onnotice: () => {}, ...options });
		const db = drizzlePostgresJs(sql);
		return { adapter: drizzle(db), raw: db, close: () => sql.end({ timeout: 5 }) };
	}
};

/** A driver that records every statement and its parameters before passing it on. */
export const recording = (driver) => {
	const calls = [];
	const wrap = (inner) => ({
		kind: inner.kind,
		query: (statement, params) => {
			calls.push({ name: statement.name, text: statement.text, params: [...params] });
			return inner.query(statement, params);
		},
		transaction: (run) => inner.transaction((transactionDriver, raw) => run(wrap(transactionDriver), raw))
	});
	return { driver: wrap(driver), calls };
};

/** Moves a session's active period into the past: it is idle for another minute. */
export const makeIdle = (database, sessionId) =>
	admin(
		`UPDATE user_session SET active_expires = (extract(epoch FROM now()) * 1000)::bigint - 60000,
		   idle_expires = (extract(epoch FROM now()) * 1000)::bigint + 60000
		 WHERE id = ${pgModule.escapeLiteral(sessionId)}
		    OR id = 'sha256$' || encode(sha256(convert_to(${pgModule.escapeLiteral(sessionId)}, 'UTF8')), 'hex')`,
		database
	);

/** Moves a session past its idle period: it is dead. */
export const makeDead = (database, sessionId) =>
	admin(
		`UPDATE user_session SET active_expires = 1000, idle_expires = 2000
		 WHERE id = ${pgModule.escapeLiteral(sessionId)}
		    OR id = 'sha256$' || encode(sha256(convert_to(${pgModule.escapeLiteral(sessionId)}, 'UTF8')), 'hex')`,
		database
	);
