// Request handling as Lucia v2's AuthRequest: the session cookie is read only when the request passes
// the CSRF check (a POST, PUT, PATCH or DELETE must carry an Origin of the same host), validate()
// renews the cookie of a renewed session and blanks the cookie of an invalid one.

import type { Cookie } from "./cookie.js";
import type { Env, Session } from "./auth.js";
import { LuciaError } from "./errors.js";

export type HeadersLike = { get(name: string): string | null };

export type LuciaRequest = {
	method: string;
	url?: string;
	headers: HeadersLike;
};

export type RequestContext = {
	sessionCookie?: string | null;
	request: LuciaRequest;
	setCookie: (cookie: Cookie) => void;
};

export type MiddlewareRequestContext = Omit<RequestContext, "request"> & {
	sessionCookie?: string | null;
	request: {
		method: string;
		url?: string;
		headers: HeadersLike | { origin: string | null; cookie: string | null; authorization: string | null };
		storedSessionCookie?: string | null;
	};
	setCookie: (cookie: Cookie) => void;
};

/** Lucia v2's middleware contract: Lucia's own middleware functions work here too. */
export type Middleware<Args extends any[] = any> = (context: {
	args: Args;
	env: Env;
	sessionCookieName: string;
}) => MiddlewareRequestContext;

export type CSRFProtectionConfiguration = {
	host?: string;
	hostHeader?: string;
	allowedSubDomains?: string[] | "*";
};

/** The part of Auth that AuthRequest uses. */
export type RequestAuth = {
	readSessionCookie(cookieHeader: string | null | undefined): string | null;
	readBearerToken(authorizationHeader: string | null | undefined): string | null;
	validateSession(sessionId: string): Promise<Session>;
	createSessionCookie(session: Session | null): Cookie;
};

export const safeParseUrl = (url: string): URL | null => {
	try {
		return new URL(url);
	} catch {
		return null;
	}
};

const baseDomain = (host: string): string => (host.startsWith("localhost:") ? host : host.split(".").slice(-2).join("."));

/** Lucia's isAllowedOrigin: the origin's host is the host, or an allowed subdomain of its base domain. */
export const isAllowedOrigin = (origin: string, host: string, allowedSubDomains: string[] | "*"): boolean => {
	const originHost = new URL(origin).host;
	const base = baseDomain(host);
	if (host.length < 1 || origin.length < 1) return false;
	if (originHost === host) return true;
	if (allowedSubDomains === "*") return originHost.endsWith(`.${base}`);
	for (const subdomain of allowedSubDomains) {
		const allowed = subdomain === null ? base : [subdomain, base].join(".");
		if (allowed === originHost) return true;
	}
	return false;
};

export const createHeadersFromObject = (headersObject: Record<string, string | string[] | null | undefined>): Headers => {
	const headers = new Headers();
	for (const [key, value] of Object.entries(headersObject)) {
		if (value === null || value === undefined) continue;
		if (typeof value === "string") headers.set(key, value);
		else for (const item of value) headers.append(key, item);
	}
	return headers;
};

export const transformRequestContext = ({ request, setCookie, sessionCookie }: MiddlewareRequestContext): RequestContext => ({
	request: {
		method: request.method,
		...(request.url === undefined ? {} : { url: request.url }),
		headers:
			"authorization" in request.headers
				? createHeadersFromObject(request.headers as Record<string, string | null>)
				: (request.headers as HeadersLike)
	},
	setCookie,
	sessionCookie: sessionCookie ?? request.storedSessionCookie ?? null
});

const SAFE_METHODS = ["GET", "HEAD", "OPTIONS", "TRACE"];

export class AuthRequest {
	private auth: RequestAuth;
	private requestContext: RequestContext;
	private validatePromise: Promise<Session | null> | null = null;
	private validateBearerTokenPromise: Promise<Session | null> | null = null;
	private storedSessionId: string | null;
	private bearerToken: string | null;

	constructor(
		auth: RequestAuth,
		config: { requestContext: RequestContext; csrfProtection: boolean | CSRFProtectionConfiguration }
	) {
		this.auth = auth;
		this.requestContext = config.requestContext;
		const csrfConfig = typeof config.csrfProtection === "object" ? config.csrfProtection : {};
		const csrfEnabled = config.csrfProtection !== false;
		if (!csrfEnabled || this.isValidRequestOrigin(csrfConfig)) {
			this.storedSessionId =
				this.requestContext.sessionCookie ??
				auth.readSessionCookie(this.requestContext.request.headers.get("Cookie"));
		} else {
			this.storedSessionId = null;
		}
		this.bearerToken = auth.readBearerToken(this.requestContext.request.headers.get("Authorization"));
	}

	/** Sets the session cookie (null: the blank cookie), unless it already names this session. */
	setSession = (session: Session | null): void => {
		const sessionId = session?.sessionId ?? null;
		if (this.storedSessionId === sessionId) return;
		this.validatePromise = null;
		this.setSessionCookie(session);
	};

	private maybeSetSession = (session: Session | null): void => {
		try {
			this.setSession(session);
		} catch {
			// some middleware cannot set cookies (web())
		}
	};

	private setSessionCookie = (session: Session | null): void => {
		const sessionId = session?.sessionId ?? null;
		if (this.storedSessionId === sessionId) return;
		this.storedSessionId = sessionId;
		this.requestContext.setCookie(this.auth.createSessionCookie(session));
	};

	/** The session of the request's cookie, or null; renews the cookie when the session was renewed. */
	validate = async (): Promise<Session | null> => {
		if (this.validatePromise) return this.validatePromise;
		this.validatePromise = (async () => {
			if (!this.storedSessionId) return null;
			try {
				const session = await this.auth.validateSession(this.storedSessionId);
				if (session.fresh) {
					// The cookie names the same session: write the new expiry whatever storedSessionId says.
					this.storedSessionId = null;
					this.maybeSetSession(session);
				}
				return session;
			} catch (error) {
				if (error instanceof LuciaError && error.message === "AUTH_INVALID_SESSION_ID") {
					this.maybeSetSession(null);
					return null;
				}
				throw error;
			}
		})();
		return this.validatePromise;
	};

	/** The session of the request's Authorization: Bearer token, or null. */
	validateBearerToken = async (): Promise<Session | null> => {
		if (this.validateBearerTokenPromise) return this.validateBearerTokenPromise;
		this.validateBearerTokenPromise = (async () => {
			if (!this.bearerToken) return null;
			try {
				return await this.auth.validateSession(this.bearerToken);
			} catch (error) {
				if (error instanceof LuciaError) return null;
				throw error;
			}
		})();
		return this.validateBearerTokenPromise;
	};

	invalidate(): void {
		this.validatePromise = null;
		this.validateBearerTokenPromise = null;
	}

	private isValidRequestOrigin = (config: CSRFProtectionConfiguration): boolean => {
		const request = this.requestContext.request;
		if (SAFE_METHODS.includes(request.method.toUpperCase())) return true;
		const requestOrigin = request.headers.get("Origin");
		if (!requestOrigin) return false;
		let host: string | null;
		if (config.host !== undefined) host = config.host ?? null;
		else if (request.url !== null && request.url !== undefined) host = safeParseUrl(request.url)?.host ?? null;
		else host = request.headers.get(config.hostHeader ?? "Host");
		try {
			return host !== null && isAllowedOrigin(requestOrigin, host, config.allowedSubDomains ?? []);
		} catch {
			return false;
		}
	};
}
