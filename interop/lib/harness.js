// Databases, connections and Lucia instances for the tests.
//
// Connection parameters come from the libpq environment variables
// (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE), which both node-postgres
// and postgres.js read. The role must be a superuser: the suite creates
// databases and sets lucia_auth.* settings.

import assert from "node:assert/strict";
import pg from "pg";
import postgres from "postgres";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePostgresJs } from "drizzle-orm/postgres-js";
import { lucia } from "lucia";
import { pg as pgAdapter, postgres as postgresAdapter } from "@lucia-auth/adapter-postgresql";
import { citusWorkers, distributeTables, prepareCitusDatabase } from "./citus.js";
import { luciaAuth } from "./lucia-auth.js";
import { lucia as luciaAuthLucia } from "lucia_auth";
import { pg as pgDriver } from "lucia_auth/pg";
import { postgres as postgresDriver } from "lucia_auth/postgres";

export const DAY = 24 * 60 * 60 * 1000;
export const DEFAULT_ACTIVE_PERIOD = DAY;
export const DEFAULT_IDLE_PERIOD = 14 * DAY;

const maintenanceDatabase = () => process.env.PGDATABASE || "postgres";

/**
 * Drops and re-creates `name`, installs lucia_auth, runs the DDL, then stores
 * the settings on the database so that every later connection sees them.
 * @param {string} name
 * @param {{ ddl?: string[], settings?: Record<string, string> }} [options]
 */
export const createDatabase = async (name, { ddl = [], settings = {} } = {}) => {
	const admin = new pg.Client({ database: maintenanceDatabase() });
	await admin.connect();
	try {
		await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
		await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
	} finally {
		await admin.end();
	}
	const citus = citusWorkers().length > 0;
	if (citus) await prepareCitusDatabase(name, maintenanceDatabase());
	const client = new pg.Client({ database: name });
	await client.connect();
	try {
		await client.query("CREATE EXTENSION IF NOT EXISTS lucia_auth");
		for (const statement of ddl) {
			await client.query(statement);
		}
		for (const [setting, value] of Object.entries(settings)) {
			await client.query(
				`ALTER DATABASE ${pg.escapeIdentifier(name)} SET ${setting} = ${pg.escapeLiteral(String(value))}`
			);
		}
	} finally {
		await client.end();
	}
	// The settings name the tables: distributed once a new connection sees them.
	if (citus) await distributeTables(name);
};

/**
 * Strips everything but the column attributes from a database row handed to
 * Lucia's getUserAttributes, so that a Lucia user reads as `{ userId, ...columns }`.
 */
export const userColumns = ({ id, ...attributes }) => attributes;

/** Likewise for getSessionAttributes. */
export const sessionColumns = ({ id, user_id, active_expires, idle_expires, ...attributes }) => attributes;

/**
 * One driver's view of a test database: a pool for Lucia's adapter and a
 * Drizzle database over the same pool for the lucia_auth functions.
 * @typedef {object} Side
 * @property {"pg" | "postgres-js"} driver
 * @property {any} db Drizzle database
 * @property {import("./lucia-auth.js").LuciaAuth} sqlAuth
 * @property {(options?: object) => import("lucia").Auth} makeLucia
 * @property {import("lucia").Auth} auth Lucia with env "DEV"
 * @property {(options?: object) => import("lucia_auth").Auth} makeClientAuth lucia_auth's Auth (the Node
 *   client's lucia()) over the same pool or client, configured as makeLucia configures Lucia
 * @property {() => Promise<void>} close
 */

/**
 * @param {"pg" | "postgres-js"} driver
 * @param {string} database
 * @param {{ user: string, key: string, session: string }} luciaTables
 * @param {{ connectionSettings?: Record<string, string>, max?: number }} [options]
 *   connectionSettings: settings sent in the startup packet of every connection
 * @returns {Side}
 */
export const openSide = (driver, database, luciaTables, { connectionSettings = {}, max = 4 } = {}) => {
	let db;
	let adapter;
	let clientDriver;
	let close;
	if (driver === "pg") {
		const options = Object.entries(connectionSettings)
			.map(([setting, value]) => `-c ${setting}=${String(value).replace(/[\\ ]/g, "\\$&")}`)
			.join(" ");
		const pool = new pg.Pool({ database, max, ...(options ? { options } : {}) });
		db = drizzleNodePg(pool);
		adapter = pgAdapter(pool, luciaTables);
		clientDriver = pgDriver(pool);
		close = () => pool.end();
	} else if (driver === "postgres-js") {
		const client = postgres({
			database,
			max,
			onnotice: () => {},
			connection: connectionSettings
		});
		db = drizzlePostgresJs(client);
		adapter = postgresAdapter(client, luciaTables);
		clientDriver = postgresDriver(client);
		close = () => client.end({ timeout: 5 });
	} else {
		throw new Error(`unknown driver ${driver}`);
	}
	const makeLucia = (options = {}) => {
		const auth = lucia({
			adapter,
			env: "DEV",
			getUserAttributes: userColumns,
			getSessionAttributes: sessionColumns,
			...options
		});
		// getAllUserSessions starts getUser, then awaits another query before
		// passing both to Promise.all: for a missing user the rejection can be
		// reported as unhandled (failing whichever test is running) although
		// Promise.all handles it a moment later. Mark it handled up front; the
		// caller still sees the same rejection.
		const getUser = auth.getUser;
		auth.getUser = (userId) => {
			const promise = getUser(userId);
			promise.catch(() => {});
			return promise;
		};
		return auth;
	};
	const makeClientAuth = (options = {}) =>
		luciaAuthLucia({
			adapter: clientDriver,
			env: "DEV",
			getUserAttributes: userColumns,
			getSessionAttributes: sessionColumns,
			...options
		});
	return { driver, db, sqlAuth: luciaAuth(db), makeLucia, auth: makeLucia(), makeClientAuth, close };
};

/**
 * A Lucia user (`{ userId, ...attributes }`) in the shape of the lucia_auth user row.
 * @returns {import("./lucia-auth.js").AuthUser}
 */
export const fromLuciaUser = ({ userId, ...attributes }) => ({ userId, attributes });

/**
 * A Lucia session in the shape of the lucia_auth session row.
 * @returns {import("./lucia-auth.js").AuthSession}
 */
export const fromLuciaSession = (session) => {
	const { user, sessionId, activePeriodExpiresAt, idlePeriodExpiresAt, state, fresh, ...sessionAttributes } =
		session;
	const { userId, ...userAttributes } = user;
	return {
		sessionId,
		userId,
		activeExpires: activePeriodExpiresAt.getTime(),
		idleExpires: idlePeriodExpiresAt.getTime(),
		state,
		fresh,
		userAttributes,
		sessionAttributes
	};
};

const sqlstates = new Map();

/**
 * Asserts that `promise` rejects with a Lucia error: `message` is the code on
 * both sides. For database errors, the SQLSTATE must be a specific one and
 * the same every time the code is raised.
 * @param {Promise<unknown>} promise
 * @param {string} message
 */
export const rejectsWithLucia = async (promise, message) => {
	await assert.rejects(promise, (error) => {
		assert.equal(error?.message, message, `expected ${message}, got ${error?.stack ?? error}`);
		if (typeof error.code === "string" && error.code !== "ERR_ASSERTION") {
			assert.match(error.code, /^[0-9A-Z]{5}$/);
			assert.notEqual(error.code, "XX000", `${message} raised with internal_error`);
			if (sqlstates.has(message)) {
				assert.equal(error.code, sqlstates.get(message), `${message} raised with two SQLSTATEs`);
			} else {
				sqlstates.set(message, error.code);
			}
		}
		return true;
	});
};

/** The SQLSTATE seen for each Lucia error code so far. */
export const seenSqlstates = () => new Map(sqlstates);

/**
 * Sorts by a string key so that sets from both sides compare in one order.
 * @template T
 * @param {T[]} items
 * @param {(item: T) => string} keyOf
 */
export const sortBy = (items, keyOf) =>
	[...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));

/** Polls `check` until it returns true or `timeoutMs` passes. */
export const eventually = async (check, timeoutMs = 3000) => {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return true;
		if (Date.now() > deadline) return false;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
};

/**
 * Asserts the expiry arithmetic of a session created or renewed between
 * `before` and `after` (Date.now() readings around the call).
 */
export const assertExpiries = (session, before, after, activePeriod, idlePeriod) => {
	assert.ok(
		session.activeExpires >= before + activePeriod && session.activeExpires <= after + activePeriod,
		`active_expires ${session.activeExpires} not within [${before + activePeriod}, ${after + activePeriod}]`
	);
	assert.equal(session.idleExpires - session.activeExpires, idlePeriod, "idle_expires - active_expires");
};
