// Lucia v2's Auth (lucia@2.7.7), method for method, on the lucia_auth functions: what an application
// wrote against `lucia` works after changing its imports. Beyond Lucia v2: the 0.2.0 functions
// (invalidateOtherSessions, deleteExpiredSessions, hashSessionIds, authenticate, currentUserId,
// useKey with a client identifier) and validation on a standby (`replica`).

import { createClient, type Attributes, type KeyRecord, type LuciaAuthClient, type SessionRecord, type UserRecord } from "./client.js";
import {
	Cookie,
	DEFAULT_SESSION_COOKIE_NAME,
	createSessionCookie,
	parseCookie,
	readBearerToken,
	type SessionCookieConfiguration
} from "./cookie.js";
import type { Driver } from "./driver.js";
import { DatabaseError, LuciaError } from "./errors.js";
import { lucia as defaultMiddleware } from "./middleware.js";
import {
	AuthRequest,
	isAllowedOrigin,
	safeParseUrl,
	transformRequestContext,
	type CSRFProtectionConfiguration,
	type Middleware
} from "./request.js";
import { createHash } from "node:crypto";

export type Env = "DEV" | "PROD";

export type UserSchema = { id: string } & Lucia.DatabaseUserAttributes;
export type KeySchema = { id: string; hashed_password: string | null; user_id: string };
export type SessionSchema = {
	id: string;
	active_expires: number;
	idle_expires: number;
	user_id: string;
} & Lucia.DatabaseSessionAttributes;

export type User = { userId: string } & ReturnType<Lucia.Auth["getUserAttributes"]>;
export type Key = Readonly<{ userId: string; providerId: string; providerUserId: string; passwordDefined: boolean }>;
export type Session = Readonly<{
	user: User;
	sessionId: string;
	activePeriodExpiresAt: Date;
	idlePeriodExpiresAt: Date;
	state: "idle" | "active";
	fresh: boolean;
}> &
	ReturnType<Lucia.Auth["getSessionAttributes"]>;

export type Configuration<
	_UserAttributes extends Record<string, any> = {},
	_SessionAttributes extends Record<string, any> = {}
> = {
	/** The database: pg(pool), postgres(sql) or drizzle(db). */
	adapter: Driver;
	/**
	 * A standby (or several, behind postgres.js's target_session_attrs or a router): validateSession
	 * and getSession read there first and ask `adapter` when the standby does not know the session (it
	 * may be newer than the standby's replay), returns an idle session unrenewed (only the primary can
	 * renew), or fails. Every write goes to `adapter`.
	 */
	replica?: Driver | null;
	/**
	 * Logouts (invalidateSession, invalidateOtherSessions, invalidateAllUserSessions, deleteUser) commit
	 * with synchronous_commit = remote_apply, so that they return once the synchronous standbys have
	 * applied them. Default: true when `replica` is given.
	 */
	waitForReplicaOnLogout?: boolean;
	/** Called with an error of the standby before the call is retried on `adapter`. */
	onReplicaError?: (error: Error) => void;
	env: Env;
	middleware?: Middleware;
	csrfProtection?: boolean | CSRFProtectionConfiguration;
	sessionCookie?: SessionCookieConfiguration;
	getSessionAttributes?: (databaseSession: SessionSchema) => _SessionAttributes;
	getUserAttributes?: (databaseUser: UserSchema) => _UserAttributes;
	experimental?: { debugMode?: boolean };
	/** Not here: lucia_auth.active_period and lucia_auth.idle_period, on the server. */
	sessionExpiresIn?: never;
	/** Not here: the server hashes (lucia_auth.password_hash). */
	passwordHash?: never;
};

/** Lucia's createKeyId: a provider id may not contain ':'. */
export const createKeyId = (providerId: string, providerUserId: string): string => {
	if (providerId.includes(":")) throw new TypeError("Provider id must not include any colons (:)");
	return `${providerId}:${providerUserId}`;
};

/**
 * Whether a session id as getAllUserSessions lists it names the session of `token`: the same id, or,
 * for a session stored hashed (lucia_auth.session_id_storage = sha256), the digest of the token.
 */
export const sessionIdMatches = (sessionId: string, token: string): boolean =>
	sessionId === token || sessionId === `sha256$${createHash("sha256").update(token, "utf8").digest("hex")}`;

const isWithinExpiration = (expiresInMs: number): boolean => Date.now() <= expiresInMs;

export const lucia = <_Configuration extends Configuration>(config: _Configuration): Auth<_Configuration> =>
	new Auth(config);

export class Auth<_Configuration extends Configuration = any> {
	private primary: LuciaAuthClient;
	private replica: LuciaAuthClient | null;
	private waitOnLogout: boolean;
	private onReplicaError: ((error: Error) => void) | undefined;
	private sessionCookieConfig: SessionCookieConfiguration;
	private csrfProtection: boolean | CSRFProtectionConfiguration;
	private env: Env;
	private config: _Configuration;
	protected middleware: _Configuration["middleware"] extends Middleware
		? _Configuration["middleware"]
		: ReturnType<typeof defaultMiddleware>;

	constructor(config: _Configuration) {
		if (!config || !config.adapter) throw new TypeError('Adapter is not defined in configuration ("config.adapter")');
		if ("sessionExpiresIn" in config && config.sessionExpiresIn !== undefined) {
			throw new TypeError(
				"sessionExpiresIn is a server setting with lucia_auth: ALTER DATABASE … SET lucia_auth.active_period / lucia_auth.idle_period"
			);
		}
		if ("passwordHash" in config && config.passwordHash !== undefined) {
			throw new TypeError("passwordHash: lucia_auth hashes on the server (lucia_auth.password_hash)");
		}
		this.config = config;
		this.primary = createClient(config.adapter);
		this.replica = config.replica ? createClient(config.replica) : null;
		this.waitOnLogout = config.waitForReplicaOnLogout ?? this.replica !== null;
		this.onReplicaError = config.onReplicaError;
		this.env = config.env;
		this.csrfProtection = config.csrfProtection ?? true;
		this.sessionCookieConfig = config.sessionCookie ?? {};
		this.middleware = (config.middleware ?? defaultMiddleware()) as typeof this.middleware;
		const getUserAttributes = config.getUserAttributes ?? (() => ({}));
		const getSessionAttributes = config.getSessionAttributes ?? (() => ({}));
		this.getUserAttributes = (databaseUser) => getUserAttributes(databaseUser) as never;
		this.getSessionAttributes = (databaseSession) => getSessionAttributes(databaseSession) as never;
	}

	protected getUserAttributes: (
		databaseUser: UserSchema
	) => _Configuration extends Configuration<infer _UserAttributes> ? _UserAttributes : never;
	protected getSessionAttributes: (
		databaseSession: SessionSchema
	) => _Configuration extends Configuration<any, infer _SessionAttributes> ? _SessionAttributes : never;

	/** The lucia_auth functions with their own row shapes, on the primary. */
	get functions(): LuciaAuthClient {
		return this.primary;
	}

	transformDatabaseUser = (databaseUser: UserSchema): User =>
		({ ...this.getUserAttributes(databaseUser), userId: databaseUser.id }) as User;

	transformDatabaseKey = (databaseKey: KeySchema): Key => {
		const [providerId, ...providerUserIdSegments] = databaseKey.id.split(":");
		return {
			providerId: providerId!,
			providerUserId: providerUserIdSegments.join(":"),
			userId: databaseKey.user_id,
			passwordDefined: !!databaseKey.hashed_password
		};
	};

	transformDatabaseSession = (databaseSession: SessionSchema, context: { user: User; fresh: boolean }): Session =>
		({
			...this.getSessionAttributes(databaseSession),
			user: context.user,
			sessionId: databaseSession.id,
			activePeriodExpiresAt: new Date(Number(databaseSession.active_expires)),
			idlePeriodExpiresAt: new Date(Number(databaseSession.idle_expires)),
			state: isWithinExpiration(databaseSession.active_expires) ? "active" : "idle",
			fresh: context.fresh
		}) as Session;

	private userOf = (record: UserRecord): User =>
		this.transformDatabaseUser({ ...record.attributes, id: record.userId } as UserSchema);

	private keyOf = (record: KeyRecord): Key => ({
		providerId: record.providerId,
		providerUserId: record.providerUserId,
		userId: record.userId,
		passwordDefined: record.passwordDefined
	});

	/** A session as the server returned it: its state and freshness are the server's. */
	private sessionOf = (record: SessionRecord, sessionAttributes: Attributes = record.sessionAttributes): Session =>
		({
			...this.getSessionAttributes({
				...sessionAttributes,
				id: record.sessionId,
				user_id: record.userId,
				active_expires: record.activeExpires,
				idle_expires: record.idleExpires
			} as SessionSchema),
			user: this.userOf({ userId: record.userId, attributes: record.userAttributes }),
			sessionId: record.sessionId,
			activePeriodExpiresAt: new Date(record.activeExpires),
			idlePeriodExpiresAt: new Date(record.idleExpires),
			state: record.state,
			fresh: record.fresh
		}) as Session;

	private validateSessionIdArgument = (sessionId: string | null | undefined): void => {
		if (!sessionId) throw new LuciaError("AUTH_INVALID_SESSION_ID");
	};

	private logout = () => ({ remoteApply: this.waitOnLogout });

	/**
	 * Reads a session on the standby when there is one, and on the primary when the standby does not
	 * know it, fails, or (validation) returns it idle and unrenewed.
	 */
	private readSession = async (sessionId: string, renew: boolean): Promise<SessionRecord> => {
		const read = (client: LuciaAuthClient) => (renew ? client.validateSession(sessionId) : client.getSession(sessionId));
		if (this.replica === null) return read(this.primary);
		let record: SessionRecord;
		try {
			record = await read(this.replica);
		} catch (error) {
			if (error instanceof LuciaError && error.message !== "AUTH_INVALID_SESSION_ID") throw error;
			if (!(error instanceof LuciaError)) this.onReplicaError?.(error as Error);
			return read(this.primary);
		}
		if (renew && record.state === "idle" && !record.fresh) return read(this.primary);
		return record;
	};

	// Users

	getUser = async (userId: string): Promise<User> => this.userOf(await this.primary.getUser(userId));

	createUser = async (options: {
		userId?: string;
		key: { providerId: string; providerUserId: string; password: string | null } | null;
		attributes: Lucia.DatabaseUserAttributes;
	}): Promise<User> => {
		if (options.key) createKeyId(options.key.providerId, options.key.providerUserId);
		const attributes = (options.attributes ?? {}) as Attributes;
		let record: UserRecord;
		try {
			record = await this.primary.createUser({ userId: options.userId ?? null, key: options.key, attributes });
		} catch (error) {
			// Lucia's adapter reports a duplicate user id as a duplicate key when a key is created with it.
			if (options.key && error instanceof DatabaseError && error.code === "23505") {
				throw new LuciaError("AUTH_DUPLICATE_KEY_ID", "", error.code);
			}
			throw error;
		}
		// As Lucia: the attributes given, not the row read back.
		return this.transformDatabaseUser({ ...attributes, id: record.userId } as UserSchema);
	};

	updateUserAttributes = async (userId: string, attributes: Partial<Lucia.DatabaseUserAttributes>): Promise<User> =>
		this.userOf(await this.primary.updateUserAttributes(userId, attributes as Attributes));

	deleteUser = async (userId: string): Promise<void> => {
		await this.primary.deleteUser(userId, this.logout());
	};

	// Keys

	/**
	 * Logs in. `client` (an IP address, say) is lucia_auth's throttling by client; without it this is
	 * Lucia's useKey.
	 */
	useKey = async (providerId: string, providerUserId: string, password: string | null, client?: string | null): Promise<Key> => {
		createKeyId(providerId, providerUserId);
		return this.keyOf(await this.primary.useKey(providerId, providerUserId, password, client));
	};

	createKey = async (options: {
		userId: string;
		providerId: string;
		providerUserId: string;
		password: string | null;
	}): Promise<Key> => {
		createKeyId(options.providerId, options.providerUserId);
		return this.keyOf(await this.primary.createKey(options));
	};

	deleteKey = async (providerId: string, providerUserId: string): Promise<void> => {
		createKeyId(providerId, providerUserId);
		await this.primary.deleteKey(providerId, providerUserId);
	};

	getKey = async (providerId: string, providerUserId: string): Promise<Key> => {
		createKeyId(providerId, providerUserId);
		return this.keyOf(await this.primary.getKey(providerId, providerUserId));
	};

	getAllUserKeys = async (userId: string): Promise<Key[]> => (await this.primary.getAllUserKeys(userId)).map(this.keyOf);

	updateKeyPassword = async (providerId: string, providerUserId: string, password: string | null): Promise<Key> => {
		createKeyId(providerId, providerUserId);
		return this.keyOf(await this.primary.updateKeyPassword(providerId, providerUserId, password));
	};

	// Sessions

	getSession = async (sessionId: string): Promise<Session> => {
		this.validateSessionIdArgument(sessionId);
		return this.sessionOf(await this.readSession(sessionId, false));
	};

	/**
	 * The user's sessions that are not dead. With lucia_auth.session_id_storage = sha256, a session
	 * stored hashed is listed by its stored id (see sessionIdMatches), which never validates.
	 */
	getAllUserSessions = async (userId: string): Promise<Session[]> =>
		(await this.primary.getAllUserSessions(userId)).map((record) => this.sessionOf(record));

	validateSession = async (sessionId: string): Promise<Session> => {
		this.validateSessionIdArgument(sessionId);
		return this.sessionOf(await this.readSession(sessionId, true));
	};

	createSession = async (options: {
		sessionId?: string;
		userId: string;
		attributes: Lucia.DatabaseSessionAttributes;
	}): Promise<Session> => {
		const attributes = (options.attributes ?? {}) as Attributes;
		const record = await this.primary.createSession({
			userId: options.userId,
			attributes,
			sessionId: options.sessionId ?? null
		});
		// As Lucia: the attributes given, not the row read back.
		return this.sessionOf(record, attributes);
	};

	updateSessionAttributes = async (
		sessionId: string,
		attributes: Partial<Lucia.DatabaseSessionAttributes>
	): Promise<Session> => {
		this.validateSessionIdArgument(sessionId);
		return this.sessionOf(await this.primary.updateSessionAttributes(sessionId, attributes as Attributes));
	};

	invalidateSession = async (sessionId: string): Promise<void> => {
		this.validateSessionIdArgument(sessionId);
		await this.primary.invalidateSession(sessionId, this.logout());
	};

	invalidateAllUserSessions = async (userId: string): Promise<void> => {
		await this.primary.invalidateAllUserSessions(userId, this.logout());
	};

	/** Signs out every other session of this session's user ("sign out everywhere else"); returns how many. */
	invalidateOtherSessions = async (sessionId: string): Promise<number> => {
		this.validateSessionIdArgument(sessionId);
		return this.primary.invalidateOtherSessions(sessionId, this.logout());
	};

	deleteDeadUserSessions = async (userId: string): Promise<void> => {
		await this.primary.deleteDeadUserSessions(userId);
	};

	/** Deletes up to `batchSize` (default 1000) dead sessions of all users; returns how many. */
	deleteExpiredSessions = (batchSize?: number): Promise<number> => this.primary.deleteExpiredSessions(batchSize);

	/** Converts up to `batchSize` (default 1000) sessions stored plain to digests; returns how many. */
	hashSessionIds = (batchSize?: number): Promise<number> => this.primary.hashSessionIds(batchSize);

	// Identity

	/**
	 * validateSession, and the session's user becomes the identity of the current transaction
	 * (lucia_auth.current_user_id(), for row-level security). Call it on the Auth that transaction()
	 * hands you, then run your statements on the transaction it hands you with it.
	 */
	authenticate = async (sessionId: string): Promise<Session> => {
		this.validateSessionIdArgument(sessionId);
		return this.sessionOf(await this.primary.authenticate(sessionId));
	};

	/** The identity authenticate() set in the current transaction, or null. */
	currentUserId = (): Promise<string | null> => this.primary.currentUserId();

	/**
	 * Runs `run` in one transaction on the primary: an Auth whose calls run in it, and the driver's own
	 * transaction (a pg client, a postgres.js sql, a Drizzle transaction) for the application's queries.
	 */
	transaction = <T>(run: (auth: Auth<_Configuration>, transaction: any) => Promise<T>): Promise<T> =>
		this.primary.driver.transaction((driver, raw) =>
			run(new Auth({ ...this.config, adapter: driver, replica: null, waitForReplicaOnLogout: this.waitOnLogout }), raw)
		);

	// Passwords and ids (on the server)

	hashPassword = (password: string): Promise<string> => this.primary.hashPassword(password);
	verifyPassword = (password: string, hash: string): Promise<boolean> => this.primary.verifyPassword(password, hash);
	passwordNeedsRehash = (hash: string): Promise<boolean> => this.primary.passwordNeedsRehash(hash);
	generateRandomString = (length: number, alphabet?: string): Promise<string> =>
		this.primary.generateRandomString(length, alphabet);

	// Requests

	/** @deprecated As in Lucia v2; handleRequest() checks the origin. */
	validateRequestOrigin = (request: { url: string | null; method: string | null; headers: { origin: string | null } }): void => {
		if (request.method === null || request.url === null) throw new LuciaError("AUTH_INVALID_REQUEST");
		const method = request.method.toUpperCase();
		if (method === "GET" || method === "HEAD") return;
		const requestOrigin = request.headers.origin;
		if (!requestOrigin) throw new LuciaError("AUTH_INVALID_REQUEST");
		const url = safeParseUrl(request.url);
		const allowedSubDomains =
			typeof this.csrfProtection === "object" ? (this.csrfProtection.allowedSubDomains ?? []) : [];
		let allowed = false;
		try {
			// Lucia compares the origin's host with the request URL's origin (scheme included), which
			// refuses every origin; the host is what the origin must name.
			allowed = url !== null && isAllowedOrigin(requestOrigin, url.host, allowedSubDomains);
		} catch {
			allowed = false;
		}
		if (!allowed) throw new LuciaError("AUTH_INVALID_REQUEST");
	};

	readSessionCookie = (cookieHeader: string | null | undefined): string | null => {
		if (!cookieHeader) return null;
		const cookies = parseCookie(cookieHeader);
		return cookies[this.sessionCookieConfig.name ?? DEFAULT_SESSION_COOKIE_NAME] ?? null;
	};

	readBearerToken = (authorizationHeader: string | null | undefined): string | null =>
		readBearerToken(authorizationHeader);

	handleRequest = (
		...args: (_Configuration["middleware"] extends Middleware ? _Configuration["middleware"] : Middleware<[import("./request.js").RequestContext]>) extends Middleware<infer Args extends any[]>
			? Args
			: never
	): AuthRequest => {
		const middleware = this.middleware as Middleware;
		const sessionCookieName = this.sessionCookieConfig.name ?? DEFAULT_SESSION_COOKIE_NAME;
		return new AuthRequest(this, {
			csrfProtection: this.csrfProtection,
			requestContext: transformRequestContext(middleware({ args, env: this.env, sessionCookieName }))
		});
	};

	createSessionCookie = (session: Session | null): Cookie =>
		createSessionCookie(session, { env: this.env, cookie: this.sessionCookieConfig });
}
