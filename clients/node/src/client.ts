// The lucia_auth functions, one method each, with the row shapes the functions return (camelCase).
// This is the layer under `lucia()`; use it directly for what Lucia v2's Auth has no method for, or
// to see the rows as lucia_auth returns them.

import type { Driver, Row, Statement } from "./driver.js";
import { toClientError } from "./errors.js";
import { statements } from "./statements.js";

export type Attributes = Record<string, unknown>;

/** lucia_auth.user_record */
export type UserRecord = {
	userId: string;
	/** every user column but id */
	attributes: Attributes;
};

/** lucia_auth.key_record */
export type KeyRecord = {
	providerId: string;
	providerUserId: string;
	userId: string;
	passwordDefined: boolean;
};

/** lucia_auth.session_record */
export type SessionRecord = {
	/** The token the client holds (with hashed session ids too), except in getAllUserSessions: see there. */
	sessionId: string;
	userId: string;
	/** milliseconds since the Unix epoch */
	activeExpires: number;
	/** milliseconds since the Unix epoch */
	idleExpires: number;
	state: "active" | "idle";
	/** true when this call renewed the session: send the client a new cookie */
	fresh: boolean;
	userAttributes: Attributes;
	/** every session column but id, user_id, active_expires and idle_expires */
	sessionAttributes: Attributes;
};

export type TableNames = { userTable: string; keyTable: string; sessionTable: string };

export type CreateUserOptions = {
	/** 15 random a-z0-9 characters when omitted */
	userId?: string | null;
	key?: { providerId: string; providerUserId: string; password: string | null } | null;
	attributes?: Attributes;
};

export type CreateKeyOptions = {
	userId: string;
	providerId: string;
	providerUserId: string;
	password: string | null;
};

export type CreateSessionOptions = {
	userId: string;
	attributes?: Attributes;
	/** 40 random a-z0-9 characters when omitted */
	sessionId?: string | null;
};

export type CookieOptions = {
	/** adds Secure (default true) */
	secure?: boolean;
	/** the cookie's name (default auth_session) */
	name?: string;
};

export type LogoutOptions = {
	/**
	 * Commit with synchronous_commit = remote_apply: the call returns once the synchronous standbys
	 * that synchronous_standby_names counts have applied the logout, and those no longer validate the
	 * session. Without synchronous standbys it changes nothing.
	 */
	remoteApply?: boolean;
};

const toNumber = (value: unknown): number => Number(value);

const toUser = (row: Row): UserRecord => ({
	userId: row.user_id as string,
	attributes: row.attributes as Attributes
});

const toKey = (row: Row): KeyRecord => ({
	providerId: row.provider_id as string,
	providerUserId: row.provider_user_id as string,
	userId: row.user_id as string,
	passwordDefined: row.password_defined as boolean
});

const toSession = (row: Row): SessionRecord => ({
	sessionId: row.session_id as string,
	userId: row.user_id as string,
	activeExpires: toNumber(row.active_expires),
	idleExpires: toNumber(row.idle_expires),
	state: row.state as "active" | "idle",
	fresh: row.fresh as boolean,
	userAttributes: row.user_attributes as Attributes,
	sessionAttributes: row.session_attributes as Attributes
});

const json = (value: Attributes | null | undefined): string => JSON.stringify(value ?? {});

/** bigint results (counts) arrive as strings from node-postgres and postgres.js. */
const count = (value: unknown): number => Number(value);

/** The lucia_auth functions, one method each (see createClient). */
export interface LuciaAuthClient {
	readonly driver: Driver;
	transaction<T>(run: (client: LuciaAuthClient, raw: unknown) => Promise<T>): Promise<T>;
	hashPassword(password: string): Promise<string>;
	verifyPassword(password: string, hash: string): Promise<boolean>;
	passwordNeedsRehash(hash: string): Promise<boolean>;
	generateRandomString(length: number, alphabet?: string): Promise<string>;
	createUser(options: CreateUserOptions): Promise<UserRecord>;
	getUser(userId: string): Promise<UserRecord>;
	updateUserAttributes(userId: string, attributes: Attributes): Promise<UserRecord>;
	deleteUser(userId: string, options?: LogoutOptions): Promise<void>;
	createKey(options: CreateKeyOptions): Promise<KeyRecord>;
	useKey(providerId: string, providerUserId: string, password: string | null, client?: string | null): Promise<KeyRecord>;
	getKey(providerId: string, providerUserId: string): Promise<KeyRecord>;
	getAllUserKeys(userId: string): Promise<KeyRecord[]>;
	updateKeyPassword(providerId: string, providerUserId: string, password: string | null): Promise<KeyRecord>;
	deleteKey(providerId: string, providerUserId: string): Promise<void>;
	createSession(options: CreateSessionOptions): Promise<SessionRecord>;
	validateSession(sessionId: string | null): Promise<SessionRecord>;
	getSession(sessionId: string | null): Promise<SessionRecord>;
	getAllUserSessions(userId: string): Promise<SessionRecord[]>;
	updateSessionAttributes(sessionId: string, attributes: Attributes): Promise<SessionRecord>;
	invalidateSession(sessionId: string | null, options?: LogoutOptions): Promise<void>;
	invalidateAllUserSessions(userId: string, options?: LogoutOptions): Promise<void>;
	invalidateOtherSessions(sessionId: string, options?: LogoutOptions): Promise<number>;
	deleteDeadUserSessions(userId: string): Promise<void>;
	deleteExpiredSessions(batchSize?: number): Promise<number>;
	hashSessionIds(batchSize?: number): Promise<number>;
	authenticate(sessionId: string | null): Promise<SessionRecord>;
	currentUserId(): Promise<string | null>;
	readSessionCookie(cookieHeader: string | null | undefined, name?: string): Promise<string | null>;
	readBearerToken(authorizationHeader: string | null | undefined): Promise<string | null>;
	createSessionCookie(session: { sessionId: string; idleExpires: number } | null, options?: CookieOptions): Promise<string>;
	tableNames(): Promise<TableNames>;
	createTables(): Promise<void>;
}

/** The lucia_auth functions over one driver (a pool, a connection or a transaction). */
export const createClient = (driver: Driver): LuciaAuthClient => {
	const rows = async (statement: Statement, params: readonly unknown[]): Promise<Row[]> => {
		try {
			return await driver.query(statement, params);
		} catch (error) {
			throw toClientError(error, statement.name);
		}
	};
	const one = async (statement: Statement, params: readonly unknown[]): Promise<Row> => {
		const result = await rows(statement, params);
		if (result.length !== 1) throw toClientError(new Error(`expected one row, got ${result.length}`), statement.name);
		return result[0]!;
	};
	const value = async (statement: Statement, params: readonly unknown[]): Promise<unknown> =>
		(await one(statement, params)).value;

	return {
		driver,

		/** Runs `run` in one transaction, with a client for it and the driver's own transaction object. */
		transaction: <T>(run: (client: LuciaAuthClient, raw: unknown) => Promise<T>): Promise<T> =>
			driver.transaction((transactionDriver, raw) => run(createClient(transactionDriver), raw)),

		// Passwords and ids

		hashPassword: async (password: string): Promise<string> =>
			(await value(statements.hashPassword, [password])) as string,

		verifyPassword: async (password: string, hash: string): Promise<boolean> =>
			(await value(statements.verifyPassword, [password, hash])) as boolean,

		passwordNeedsRehash: async (hash: string): Promise<boolean> =>
			(await value(statements.passwordNeedsRehash, [hash])) as boolean,

		generateRandomString: async (length: number, alphabet?: string): Promise<string> =>
			(alphabet === undefined
				? await value(statements.generateRandomString, [length])
				: await value(statements.generateRandomStringFrom, [length, alphabet])) as string,

		// Users

		createUser: async ({ userId = null, key = null, attributes = {} }: CreateUserOptions): Promise<UserRecord> =>
			toUser(
				await one(statements.createUser, [
					userId,
					key?.providerId ?? null,
					key?.providerUserId ?? null,
					key?.password ?? null,
					json(attributes)
				])
			),

		getUser: async (userId: string): Promise<UserRecord> => toUser(await one(statements.getUser, [userId])),

		updateUserAttributes: async (userId: string, attributes: Attributes): Promise<UserRecord> =>
			toUser(await one(statements.updateUserAttributes, [userId, json(attributes)])),

		deleteUser: async (userId: string, { remoteApply = false }: LogoutOptions = {}): Promise<void> => {
			await rows(remoteApply ? statements.deleteUserApplied : statements.deleteUser, [userId]);
		},

		// Keys

		createKey: async ({ userId, providerId, providerUserId, password }: CreateKeyOptions): Promise<KeyRecord> =>
			toKey(await one(statements.createKey, [userId, providerId, providerUserId, password])),

		/**
		 * Logs in. With `client` (an IP address, say), lucia_auth's throttling counts failures per client
		 * too; throttled, the call fails with AUTH_TOO_MANY_ATTEMPTS.
		 */
		useKey: async (
			providerId: string,
			providerUserId: string,
			password: string | null,
			client?: string | null
		): Promise<KeyRecord> =>
			toKey(
				client === undefined || client === null
					? await one(statements.useKey, [providerId, providerUserId, password])
					: await one(statements.useKeyFromClient, [providerId, providerUserId, password, client])
			),

		getKey: async (providerId: string, providerUserId: string): Promise<KeyRecord> =>
			toKey(await one(statements.getKey, [providerId, providerUserId])),

		getAllUserKeys: async (userId: string): Promise<KeyRecord[]> =>
			(await rows(statements.getAllUserKeys, [userId])).map(toKey),

		updateKeyPassword: async (providerId: string, providerUserId: string, password: string | null): Promise<KeyRecord> =>
			toKey(await one(statements.updateKeyPassword, [providerId, providerUserId, password])),

		deleteKey: async (providerId: string, providerUserId: string): Promise<void> => {
			await rows(statements.deleteKey, [providerId, providerUserId]);
		},

		// Sessions

		createSession: async ({ userId, attributes = {}, sessionId = null }: CreateSessionOptions): Promise<SessionRecord> =>
			toSession(await one(statements.createSession, [userId, json(attributes), sessionId])),

		validateSession: async (sessionId: string | null): Promise<SessionRecord> =>
			toSession(await one(statements.validateSession, [sessionId])),

		getSession: async (sessionId: string | null): Promise<SessionRecord> =>
			toSession(await one(statements.getSession, [sessionId])),

		/**
		 * The user's sessions that are not dead. A session stored hashed (session_id_storage = sha256) is
		 * listed by its stored id, which never validates but signs that one session out
		 * (invalidateSession); sessionIdMatches() tells whether it is the one a token names.
		 */
		getAllUserSessions: async (userId: string): Promise<SessionRecord[]> =>
			(await rows(statements.getAllUserSessions, [userId])).map(toSession),

		updateSessionAttributes: async (sessionId: string, attributes: Attributes): Promise<SessionRecord> =>
			toSession(await one(statements.updateSessionAttributes, [sessionId, json(attributes)])),

		invalidateSession: async (sessionId: string | null, { remoteApply = false }: LogoutOptions = {}): Promise<void> => {
			await rows(remoteApply ? statements.invalidateSessionApplied : statements.invalidateSession, [sessionId]);
		},

		invalidateAllUserSessions: async (userId: string, { remoteApply = false }: LogoutOptions = {}): Promise<void> => {
			await rows(remoteApply ? statements.invalidateAllUserSessionsApplied : statements.invalidateAllUserSessions, [
				userId
			]);
		},

		/** Deletes every other session of this (valid) session's user; returns how many. */
		invalidateOtherSessions: async (sessionId: string, { remoteApply = false }: LogoutOptions = {}): Promise<number> =>
			count(
				await value(remoteApply ? statements.invalidateOtherSessionsApplied : statements.invalidateOtherSessions, [
					sessionId
				])
			),

		deleteDeadUserSessions: async (userId: string): Promise<void> => {
			await rows(statements.deleteDeadUserSessions, [userId]);
		},

		/** Deletes up to `batchSize` (default 1000) dead sessions of all users; returns how many. */
		deleteExpiredSessions: async (batchSize?: number): Promise<number> =>
			count(
				batchSize === undefined
					? await value(statements.deleteExpiredSessions, [])
					: await value(statements.deleteExpiredSessionsBatch, [batchSize])
			),

		/** Converts up to `batchSize` (default 1000) plain-stored sessions to digests; returns how many. */
		hashSessionIds: async (batchSize?: number): Promise<number> =>
			count(
				batchSize === undefined
					? await value(statements.hashSessionIds, [])
					: await value(statements.hashSessionIdsBatch, [batchSize])
			),

		// Identity

		/**
		 * validateSession, and the session's user becomes the identity of the current transaction
		 * (currentUserId(), row-level security). Call it in a transaction: see transaction().
		 */
		authenticate: async (sessionId: string | null): Promise<SessionRecord> =>
			toSession(await one(statements.authenticate, [sessionId])),

		/** The identity set by authenticate() in the current transaction, or null. */
		currentUserId: async (): Promise<string | null> => (await value(statements.currentUserId, [])) as string | null,

		// Requests

		readSessionCookie: async (cookieHeader: string | null | undefined, name?: string): Promise<string | null> =>
			(name === undefined
				? await value(statements.readSessionCookie, [cookieHeader ?? null])
				: await value(statements.readSessionCookieNamed, [cookieHeader ?? null, name])) as string | null,

		readBearerToken: async (authorizationHeader: string | null | undefined): Promise<string | null> =>
			(await value(statements.readBearerToken, [authorizationHeader ?? null])) as string | null,

		/** The Set-Cookie value for a session, or the blank cookie for null. */
		createSessionCookie: async (
			session: { sessionId: string; idleExpires: number } | null,
			{ secure = true, name }: CookieOptions = {}
		): Promise<string> => {
			const id = session?.sessionId ?? null;
			const expires = session === null ? null : String(session.idleExpires);
			return (
				name === undefined
					? await value(statements.createSessionCookie, [id, expires, secure])
					: await value(statements.createSessionCookieNamed, [id, expires, secure, name])
			) as string;
		},

		// Tables

		tableNames: async (): Promise<TableNames> => {
			const row = await one(statements.tableNames, []);
			return {
				userTable: row.user_table as string,
				keyTable: row.key_table as string,
				sessionTable: row.session_table as string
			};
		},

		/** Creates the tables named by the settings, owned by the caller (a migration, as their owner). */
		createTables: async (): Promise<void> => {
			await rows(statements.createTables, []);
		}
	};
};
