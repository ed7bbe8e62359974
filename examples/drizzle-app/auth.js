// Typed calls to the lucia_auth SQL functions through Drizzle's db.execute.
// Failed calls reject with the driver's error; for Lucia errors its message
// is the Lucia error code (AUTH_INVALID_PASSWORD, AUTH_INVALID_SESSION_ID, ...).

import { sql } from "drizzle-orm";

/**
 * @typedef {object} AuthUser
 * @property {string} userId
 * @property {{ username: string }} attributes
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
 * @property {boolean} fresh true when this call renewed the session: send a new cookie
 * @property {{ username: string }} userAttributes
 * @property {{ user_agent: string | null }} sessionAttributes
 */

/** Lucia's error codes, as raised by the SQL functions. */
export const LUCIA_ERRORS = new Set([
	"AUTH_INVALID_SESSION_ID",
	"AUTH_INVALID_KEY_ID",
	"AUTH_INVALID_PASSWORD",
	"AUTH_DUPLICATE_KEY_ID",
	"AUTH_INVALID_USER_ID",
	"AUTH_OUTDATED_PASSWORD"
]);

/** The Lucia error code of an error, or null. */
export const luciaErrorCode = (error) => (LUCIA_ERRORS.has(error?.message) ? error.message : null);

/** Drizzle's DrizzleQueryError repeats the parameters in its message; keep the driver's error. */
const unwrap = (error) => {
	let current = error;
	while (current && typeof current.code !== "string" && current.cause) current = current.cause;
	return current && typeof current.code === "string" ? current : error;
};

const toUser = (row) => ({ userId: row.user_id, attributes: row.attributes });

const toKey = (row) => ({
	providerId: row.provider_id,
	providerUserId: row.provider_user_id,
	userId: row.user_id,
	passwordDefined: row.password_defined
});

const toSession = (row) => ({
	sessionId: row.session_id,
	userId: row.user_id,
	activeExpires: Number(row.active_expires),
	idleExpires: Number(row.idle_expires),
	state: row.state,
	fresh: row.fresh,
	userAttributes: row.user_attributes,
	sessionAttributes: row.session_attributes
});

/** @param {import("drizzle-orm/node-postgres").NodePgDatabase} db */
export const luciaAuth = (db) => {
	const rows = async (query) => {
		try {
			const result = await db.execute(query);
			return Array.isArray(result) ? result : result.rows;
		} catch (error) {
			throw unwrap(error);
		}
	};
	const one = async (query) => (await rows(query))[0];
	const scalar = async (query) => Object.values(await one(query))[0];

	return {
		/**
		 * A user with a password key, created atomically.
		 * @param {{ providerId: string, providerUserId: string, password: string | null, attributes: { username: string } }} options
		 * @returns {Promise<AuthUser>}
		 */
		createUser: async ({ providerId, providerUserId, password, attributes }) =>
			toUser(
				await one(sql`select * from lucia_auth.create_user(
					null::text, ${providerId}::text, ${providerUserId}::text, ${password}::text,
					${JSON.stringify(attributes)}::jsonb)`)
			),

		/** @param {string} userId @returns {Promise<AuthUser>} */
		getUser: async (userId) => toUser(await one(sql`select * from lucia_auth.get_user(${userId}::text)`)),

		/** @returns {Promise<AuthKey>} */
		useKey: async (providerId, providerUserId, password) =>
			toKey(
				await one(sql`select * from lucia_auth.use_key(${providerId}::text, ${providerUserId}::text, ${password}::text)`)
			),

		/** @param {string} userId @param {{ user_agent?: string | null }} attributes @returns {Promise<AuthSession>} */
		createSession: async (userId, attributes = {}) =>
			toSession(
				await one(sql`select * from lucia_auth.create_session(${userId}::text, ${JSON.stringify(attributes)}::jsonb)`)
			),

		/** @param {string} sessionId @returns {Promise<AuthSession>} */
		validateSession: async (sessionId) =>
			toSession(await one(sql`select * from lucia_auth.validate_session(${sessionId}::text)`)),

		/** @param {string} sessionId */
		invalidateSession: async (sessionId) => {
			await rows(sql`select lucia_auth.invalidate_session(${sessionId}::text)`);
		},

		/** @param {string | null | undefined} cookieHeader @returns {Promise<string | null>} */
		readSessionCookie: (cookieHeader) =>
			scalar(sql`select lucia_auth.read_session_cookie(${cookieHeader ?? null}::text)`),

		/** @param {string | null | undefined} authorizationHeader @returns {Promise<string | null>} */
		readBearerToken: (authorizationHeader) =>
			scalar(sql`select lucia_auth.read_bearer_token(${authorizationHeader ?? null}::text)`),

		/**
		 * The Set-Cookie value for a session, or the blank cookie for null.
		 * @param {AuthSession | null} session
		 * @param {boolean} secure
		 * @returns {Promise<string>}
		 */
		createSessionCookie: (session, secure) =>
			scalar(sql`select lucia_auth.create_session_cookie(
				${session?.sessionId ?? null}::text,
				${session ? String(session.idleExpires) : null}::bigint,
				${secure}::boolean)`)
	};
};
