// Cookies as Lucia v2 reads and writes them (its copy of jshttp/cookie): the same parser for
// readSessionCookie, the same serialization for createSessionCookie. lucia_auth's
// read_session_cookie and create_session_cookie give the same results in SQL.

export const DEFAULT_SESSION_COOKIE_NAME = "auth_session";

export type CookieAttributes = Partial<{
	domain: string;
	encode: (value: string) => string;
	expires: Date;
	httpOnly: boolean;
	maxAge: number;
	path: string;
	priority: "low" | "medium" | "high";
	sameSite: true | false | "lax" | "strict" | "none";
	secure: boolean;
}>;

export type SessionCookieAttributes = {
	sameSite?: "strict" | "lax" | "none";
	path?: string;
	domain?: string;
};

export type SessionCookieConfiguration = {
	name?: string;
	attributes?: SessionCookieAttributes;
	/** false: the cookie expires in a year rather than with the session */
	expires?: boolean;
};

const tryDecode = (value: string): string => {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
};

/** Lucia's parseCookie: the first cookie of each name wins; values trimmed, unquoted, URI-decoded. */
export const parseCookie = (header: string): Record<string, string> => {
	const cookies: Record<string, string> = {};
	let index = 0;
	while (index < header.length) {
		const eqIndex = header.indexOf("=", index);
		if (eqIndex === -1) break;
		let endIndex = header.indexOf(";", index);
		if (endIndex === -1) {
			endIndex = header.length;
		} else if (endIndex < eqIndex) {
			index = header.lastIndexOf(";", eqIndex - 1) + 1;
			continue;
		}
		const key = header.slice(index, eqIndex).trim();
		if (!(key in cookies)) {
			let value = header.slice(eqIndex + 1, endIndex).trim();
			if (value.charCodeAt(0) === 0x22) value = value.slice(1, -1);
			cookies[key] = tryDecode(value);
		}
		index = endIndex + 1;
	}
	return cookies;
};

/** Lucia's serializeCookie. */
export const serializeCookie = (name: string, value: string, attributes: CookieAttributes = {}): string => {
	const encode = attributes.encode ?? encodeURIComponent;
	let text = `${name}=${encode(value)}`;
	if (attributes.maxAge !== undefined && attributes.maxAge !== null) {
		const maxAge = attributes.maxAge - 0;
		if (Number.isNaN(maxAge) || !Number.isFinite(maxAge)) throw new TypeError("option maxAge is invalid");
		text += `; Max-Age=${Math.floor(maxAge)}`;
	}
	if (attributes.domain) text += `; Domain=${attributes.domain}`;
	if (attributes.path) text += `; Path=${attributes.path}`;
	if (attributes.expires) text += `; Expires=${attributes.expires.toUTCString()}`;
	if (attributes.httpOnly) text += "; HttpOnly";
	if (attributes.secure) text += "; Secure";
	if (attributes.priority) {
		const priority = typeof attributes.priority === "string" ? attributes.priority.toLowerCase() : attributes.priority;
		if (priority === "low") text += "; Priority=Low";
		else if (priority === "medium") text += "; Priority=Medium";
		else if (priority === "high") text += "; Priority=High";
		else throw new TypeError("option priority is invalid");
	}
	if (attributes.sameSite) {
		const sameSite = typeof attributes.sameSite === "string" ? attributes.sameSite.toLowerCase() : attributes.sameSite;
		if (sameSite === true || sameSite === "strict") text += "; SameSite=Strict";
		else if (sameSite === "lax") text += "; SameSite=Lax";
		else if (sameSite === "none") text += "; SameSite=None";
		else throw new TypeError("option sameSite is invalid");
	}
	return text;
};

export class Cookie {
	readonly name: string;
	readonly value: string;
	readonly attributes: CookieAttributes;

	constructor(name: string, value: string, attributes: CookieAttributes) {
		this.name = name;
		this.value = value;
		this.attributes = attributes;
	}

	readonly serialize = (): string => serializeCookie(this.name, this.value, this.attributes);
}

/** Lucia's createSessionCookie: the session's cookie, or for null the blank one that expires at once. */
export const createSessionCookie = (
	session: { sessionId: string; idlePeriodExpiresAt: Date } | null,
	options: { env: "DEV" | "PROD"; cookie: SessionCookieConfiguration }
): Cookie => {
	let expires: number;
	if (session === null) expires = 0;
	else if (options.cookie.expires !== false) expires = session.idlePeriodExpiresAt.getTime();
	else expires = Date.now() + 1000 * 60 * 60 * 24 * 365;
	return new Cookie(options.cookie.name ?? DEFAULT_SESSION_COOKIE_NAME, session?.sessionId ?? "", {
		...(options.cookie.attributes ?? { sameSite: "lax", path: "/" }),
		httpOnly: true,
		expires: new Date(expires),
		secure: options.env === "PROD"
	});
};

/** Lucia's readBearerToken: the second field of `Bearer <token>`, split on single spaces. */
export const readBearerToken = (authorizationHeader: string | null | undefined): string | null => {
	if (!authorizationHeader) return null;
	const [scheme, token] = authorizationHeader.split(" ");
	if (scheme !== "Bearer") return null;
	return token ?? null;
};
