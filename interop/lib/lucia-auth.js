// A typed client for the lucia_auth SQL functions, written the way an
// application using Drizzle would: every call is `db.execute(sql`...`)`.
// Works with drizzle-orm/node-postgres and drizzle-orm/postgres-js.
//
// Failed calls reject with the driver's error (node-postgres DatabaseError or
// postgres.js PostgresError); for Lucia errors its `message` is the Lucia
// error code, e.g. "AUTH_INVALID_SESSION_ID".

import { sql } from "drizzle-orm";

/** @typedef {Record<string, unknown>} Attributes */

/**
 * @typedef {object} AuthUser
 * @property {string} userId
 * @property {Attributes} attributes every user column but `id`
 */

/**
 * @typedef {object} AuthKey
 * @property {string} providerId
 * @property {string} providerUserId
 * @property {string} userId
 * @property {boolean} passwordDefined
 */

/**
 * @typedef {object} AuthSession
 * @property {string} sessionId
 * @property {string} userId
 * @property {number} activeExpires milliseconds since the Unix epoch
 * @property {number} idleExpires milliseconds since the Unix epoch
 * @property {"active" | "idle"} state
 * @property {boolean} fresh true when the call renewed the session
 * @property {Attributes} userAttributes
 * @property {Attributes} sessionAttributes
 */

/**
 * @typedef {object} CreateUserOptions
 * @property {string | null} [userId] a random 15-character id when omitted
 * @property {{ providerId: string, providerUserId: string, password: string | null } | null} [key]
 * @property {Attributes} [attributes]
 */

/**
 * @typedef {object} CreateKeyOptions
 * @property {string} userId
 * @property {string} providerId
 * @property {string} providerUserId
 * @property {string | null} password
 */

/**
 * @typedef {object} CreateSessionOptions
 * @property {string} userId
 * @property {Attributes} [attributes]
 * @property {string | null} [sessionId] a random 40-character id when omitted
 */

/**
 * @typedef {object} CookieOptions
 * @property {boolean} [secure] adds `Secure` (default true)
 * @property {string} [name] cookie name (default "auth_session")
 */

/**
 * The rows of a `db.execute` result: node-postgres gives a QueryResult,
 * postgres.js an array-like RowList.
 * @param {any} result
 * @returns {Record<string, any>[]}
 */
export const rowsOf = (result) => (Array.isArray(result) ? result : result.rows);

/**
 * Drizzle wraps driver errors in DrizzleQueryError (whose message repeats the
 * query parameters, passwords included); hand back the driver's own error.
 * @param {any} error
 */
const unwrap = (error) => {
	let current = error;
	while (current && typeof current.code !== "string" && current.cause) {
		current = current.cause;
	}
	return current && typeof current.code === "string" ? current : error;
};

/** bigint columns arrive as strings from both drivers. */
const toNumber = (value) => (value === null || value === undefined ? value : Number(value));

/** @returns {AuthUser} */
const toUser = (row) => ({ userId: row.user_id, attributes: row.attributes });

/** @returns {AuthKey} */
const toKey = (row) => ({
	providerId: row.provider_id,
	providerUserId: row.provider_user_id,
	userId: row.user_id,
	passwordDefined: row.password_defined
});

/** @returns {AuthSession} */
const toSession = (row) => ({
	sessionId: row.session_id,
	userId: row.user_id,
	activeExpires: toNumber(row.active_expires),
	idleExpires: toNumber(row.idle_expires),
	state: row.state,
	fresh: row.fresh,
	userAttributes: row.user_attributes,
	sessionAttributes: row.session_attributes
});

const json = (value) => JSON.stringify(value ?? {});

/**
 * @param {{ execute: (query: import("drizzle-orm").SQL) => Promise<any> }} db
 *   a Drizzle database (node-postgres or postgres-js) or transaction
 */
export const luciaAuth = (db) => {
	/** @param {import("drizzle-orm").SQL} query */
	const rows = async (query) => {
		try {
			return rowsOf(await db.execute(query));
		} catch (error) {
			throw unwrap(error);
		}
	};
	/** @param {import("drizzle-orm").SQL} query */
	const one = async (query) => (await rows(query))[0];
	/** @param {import("drizzle-orm").SQL} query */
	const scalar = async (query) => Object.values(await one(query))[0];

	return {
		/** @param {string} password @returns {Promise<string>} */
		hashPassword: (password) => scalar(sql`select lucia_auth.hash_password(${password}::text)`),

		/** @param {string} password @param {string} hash @returns {Promise<boolean>} */
		verifyPassword: (password, hash) =>
			scalar(sql`select lucia_auth.verify_password(${password}::text, ${hash}::text)`),

		/** @param {string} hash @returns {Promise<boolean>} */
		passwordNeedsRehash: (hash) => scalar(sql`select lucia_auth.password_needs_rehash(${hash}::text)`),

		/** @param {number} length @param {string} [alphabet] @returns {Promise<string>} */
		generateRandomString: (length, alphabet) =>
			alphabet === undefined
				? scalar(sql`select lucia_auth.generate_random_string(${length}::int)`)
				: scalar(sql`select lucia_auth.generate_random_string(${length}::int, ${alphabet}::text)`),

		/** @param {CreateUserOptions} options @returns {Promise<AuthUser>} */
		createUser: async ({ userId = null, key = null, attributes = {} }) =>
			toUser(
				await one(sql`select * from lucia_auth.create_user(
					${userId}::text, ${key?.providerId ?? null}::text, ${key?.providerUserId ?? null}::text,
					${key?.password ?? null}::text, ${json(attributes)}::jsonb)`)
			),

		/** @param {string} userId @returns {Promise<AuthUser>} */
		getUser: async (userId) => toUser(await one(sql`select * from lucia_auth.get_user(${userId}::text)`)),

		/** @param {string} userId @param {Attributes} attributes @returns {Promise<AuthUser>} */
		updateUserAttributes: async (userId, attributes) =>
			toUser(
				await one(sql`select * from lucia_auth.update_user_attributes(${userId}::text, ${json(attributes)}::jsonb)`)
			),

		/** @param {string} userId @returns {Promise<void>} */
		deleteUser: async (userId) => {
			await rows(sql`select lucia_auth.delete_user(${userId}::text)`);
		},

		/** @param {CreateKeyOptions} options @returns {Promise<AuthKey>} */
		createKey: async ({ userId, providerId, providerUserId, password }) =>
			toKey(
				await one(sql`select * from lucia_auth.create_key(
					${userId}::text, ${providerId}::text, ${providerUserId}::text, ${password}::text)`)
			),

		/** @param {string} providerId @param {string} providerUserId @param {string | null} password @returns {Promise<AuthKey>} */
		useKey: async (providerId, providerUserId, password) =>
			toKey(
				await one(sql`select * from lucia_auth.use_key(${providerId}::text, ${providerUserId}::text, ${password}::text)`)
			),

		/** @param {string} providerId @param {string} providerUserId @returns {Promise<AuthKey>} */
		getKey: async (providerId, providerUserId) =>
			toKey(await one(sql`select * from lucia_auth.get_key(${providerId}::text, ${providerUserId}::text)`)),

		/** @param {string} userId @returns {Promise<AuthKey[]>} */
		getAllUserKeys: async (userId) =>
			(await rows(sql`select * from lucia_auth.get_all_user_keys(${userId}::text)`)).map(toKey),

		/** @param {string} providerId @param {string} providerUserId @param {string | null} password @returns {Promise<AuthKey>} */
		updateKeyPassword: async (providerId, providerUserId, password) =>
			toKey(
				await one(sql`select * from lucia_auth.update_key_password(
					${providerId}::text, ${providerUserId}::text, ${password}::text)`)
			),

		/** @param {string} providerId @param {string} providerUserId @returns {Promise<void>} */
		deleteKey: async (providerId, providerUserId) => {
			await rows(sql`select lucia_auth.delete_key(${providerId}::text, ${providerUserId}::text)`);
		},

		/** @param {CreateSessionOptions} options @returns {Promise<AuthSession>} */
		createSession: async ({ userId, attributes = {}, sessionId = null }) =>
			toSession(
				await one(sql`select * from lucia_auth.create_session(
					${userId}::text, ${json(attributes)}::jsonb, ${sessionId}::text)`)
			),

		/** @param {string | null} sessionId @returns {Promise<AuthSession>} */
		validateSession: async (sessionId) =>
			toSession(await one(sql`select * from lucia_auth.validate_session(${sessionId}::text)`)),

		/** @param {string | null} sessionId @returns {Promise<AuthSession>} */
		getSession: async (sessionId) =>
			toSession(await one(sql`select * from lucia_auth.get_session(${sessionId}::text)`)),

		/** @param {string} userId @returns {Promise<AuthSession[]>} */
		getAllUserSessions: async (userId) =>
			(await rows(sql`select * from lucia_auth.get_all_user_sessions(${userId}::text)`)).map(toSession),

		/** @param {string} sessionId @param {Attributes} attributes @returns {Promise<AuthSession>} */
		updateSessionAttributes: async (sessionId, attributes) =>
			toSession(
				await one(sql`select * from lucia_auth.update_session_attributes(
					${sessionId}::text, ${json(attributes)}::jsonb)`)
			),

		/** @param {string | null} sessionId @returns {Promise<void>} */
		invalidateSession: async (sessionId) => {
			await rows(sql`select lucia_auth.invalidate_session(${sessionId}::text)`);
		},

		/** @param {string} userId @returns {Promise<void>} */
		invalidateAllUserSessions: async (userId) => {
			await rows(sql`select lucia_auth.invalidate_all_user_sessions(${userId}::text)`);
		},

		/** @param {string} userId @returns {Promise<void>} */
		deleteDeadUserSessions: async (userId) => {
			await rows(sql`select lucia_auth.delete_dead_user_sessions(${userId}::text)`);
		},

		/** @param {string | null} cookieHeader @param {string} [name] @returns {Promise<string | null>} */
		readSessionCookie: (cookieHeader, name) =>
			name === undefined
				? scalar(sql`select lucia_auth.read_session_cookie(${cookieHeader}::text)`)
				: scalar(sql`select lucia_auth.read_session_cookie(${cookieHeader}::text, ${name}::text)`),

		/** @param {string | null} authorizationHeader @returns {Promise<string | null>} */
		readBearerToken: (authorizationHeader) =>
			scalar(sql`select lucia_auth.read_bearer_token(${authorizationHeader}::text)`),

		/**
		 * The Set-Cookie value for a session, or the blank cookie for `null`.
		 * @param {{ sessionId: string, idleExpires: number } | null} session
		 * @param {CookieOptions} [options]
		 * @returns {Promise<string>}
		 */
		createSessionCookie: (session, { secure = true, name } = {}) => {
			const id = session?.sessionId ?? null;
			const expires = session === null ? null : String(session.idleExpires);
			return name === undefined
				? scalar(sql`select lucia_auth.create_session_cookie(${id}::text, ${expires}::bigint, ${secure}::boolean)`)
				: scalar(sql`select lucia_auth.create_session_cookie(
					${id}::text, ${expires}::bigint, ${secure}::boolean, ${name}::text)`);
		}
	};
};

/** @typedef {ReturnType<typeof luciaAuth>} LuciaAuth */
