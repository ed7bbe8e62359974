// A minimal HTTP application with cookie sessions. Every authentication step
// is a lucia_auth SQL function (create_user, use_key, create_session,
// validate_session, create_session_cookie, read_session_cookie,
// invalidate_session); the application's own data goes through Drizzle.
//
//   POST /signup   {"username", "password"}  creates the user and signs in
//   POST /login    {"username", "password"}  signs in
//   GET  /me                                 the signed-in user and their notes
//   POST /notes    {"body"}                  adds a note
//   POST /logout                             ends the session
//
// POST requests must carry an Origin header of this server, as Lucia's
// request handling requires.

import http from "node:http";
import { pathToFileURL } from "node:url";
import { desc, eq } from "drizzle-orm";
import { luciaErrorCode } from "./auth.js";
import { connect, migrate } from "./db.js";
import { note } from "./schema.js";

const MAX_BODY_BYTES = 16 * 1024;
const USERNAME = /^[a-zA-Z0-9_]{3,31}$/;

class HttpError extends Error {
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

const readJson = async (req) => {
	const chunks = [];
	let size = 0;
	for await (const chunk of req) {
		size += chunk.length;
		if (size > MAX_BODY_BYTES) throw new HttpError(413, "request body too large");
		chunks.push(chunk);
	}
	if (size === 0) return {};
	try {
		const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
		if (body === null || typeof body !== "object" || Array.isArray(body)) throw new Error();
		return body;
	} catch {
		throw new HttpError(400, "expected a JSON object");
	}
};

const credentials = (body) => {
	const { username, password } = body;
	if (typeof username !== "string" || !USERNAME.test(username)) {
		throw new HttpError(400, "username: 3 to 31 letters, digits or underscores");
	}
	if (typeof password !== "string" || password.length < 8 || password.length > 255) {
		throw new HttpError(400, "password: 8 to 255 characters");
	}
	return { username, providerUserId: username.toLowerCase(), password };
};

const sameOrigin = (req) => {
	const origin = req.headers.origin;
	if (!origin || !req.headers.host) return false;
	try {
		return new URL(origin).host === req.headers.host;
	} catch {
		return false;
	}
};

const send = (res, status, body, cookies = []) => {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		"content-type": "application/json; charset=utf-8",
		"content-length": Buffer.byteLength(text),
		"cache-control": "no-store",
		...(cookies.length ? { "set-cookie": cookies } : {})
	});
	res.end(text);
};

/**
 * @param {{ db: import("drizzle-orm/node-postgres").NodePgDatabase, auth: ReturnType<typeof import("./auth.js").luciaAuth>, secureCookies?: boolean }} options
 * @returns {http.Server}
 */
export const createApp = ({ db, auth, secureCookies = process.env.NODE_ENV === "production" }) => {
	/**
	 * The request's session (from a Bearer token or the session cookie), or
	 * null. Adds a Set-Cookie to `cookies` when the session was renewed, and
	 * the blank cookie when the cookie names a session that is gone.
	 */
	const authenticate = async (req, cookies) => {
		const bearer = await auth.readBearerToken(req.headers.authorization);
		const sessionId = bearer ?? (await auth.readSessionCookie(req.headers.cookie));
		if (!sessionId) return null;
		try {
			const session = await auth.validateSession(sessionId);
			if (session.fresh && !bearer) cookies.push(await auth.createSessionCookie(session, secureCookies));
			return session;
		} catch (error) {
			if (luciaErrorCode(error) !== "AUTH_INVALID_SESSION_ID") throw error;
			if (!bearer) cookies.push(await auth.createSessionCookie(null, secureCookies));
			return null;
		}
	};

	const startSession = async (req, userId) => {
		const session = await auth.createSession(userId, { user_agent: req.headers["user-agent"] ?? null });
		return { session, cookie: await auth.createSessionCookie(session, secureCookies) };
	};

	const routes = {
		"POST /signup": async (req, res) => {
			const { username, providerUserId, password } = credentials(await readJson(req));
			let user;
			try {
				user = await auth.createUser({
					providerId: "username",
					providerUserId,
					password,
					attributes: { username }
				});
			} catch (error) {
				if (luciaErrorCode(error) === "AUTH_DUPLICATE_KEY_ID") throw new HttpError(409, "username already taken");
				throw error;
			}
			const { cookie } = await startSession(req, user.userId);
			send(res, 201, { user: { userId: user.userId, username } }, [cookie]);
		},

		"POST /login": async (req, res) => {
			const { providerUserId, password } = credentials(await readJson(req));
			let key;
			try {
				key = await auth.useKey("username", providerUserId, password);
			} catch (error) {
				const code = luciaErrorCode(error);
				if (code === "AUTH_INVALID_KEY_ID" || code === "AUTH_INVALID_PASSWORD") {
					throw new HttpError(400, "incorrect username or password");
				}
				throw error;
			}
			const { session, cookie } = await startSession(req, key.userId);
			send(res, 200, { user: { userId: key.userId, username: session.userAttributes.username } }, [cookie]);
		},

		"GET /me": async (req, res) => {
			const cookies = [];
			const session = await authenticate(req, cookies);
			if (!session) return send(res, 401, { error: "not signed in" }, cookies);
			const notes = await db
				.select({ id: note.id, body: note.body, createdAt: note.createdAt })
				.from(note)
				.where(eq(note.userId, session.userId))
				.orderBy(desc(note.id));
			send(
				res,
				200,
				{
					user: { userId: session.userId, username: session.userAttributes.username },
					session: {
						state: session.state,
						activeExpires: session.activeExpires,
						idleExpires: session.idleExpires
					},
					notes
				},
				cookies
			);
		},

		"POST /notes": async (req, res) => {
			const cookies = [];
			const session = await authenticate(req, cookies);
			if (!session) return send(res, 401, { error: "not signed in" }, cookies);
			const { body } = await readJson(req);
			if (typeof body !== "string" || body.length === 0 || body.length > 2000) {
				throw new HttpError(400, "body: 1 to 2000 characters");
			}
			const [created] = await db
				.insert(note)
				.values({ userId: session.userId, body })
				.returning({ id: note.id, body: note.body, createdAt: note.createdAt });
			send(res, 201, { note: created }, cookies);
		},

		"POST /logout": async (req, res) => {
			const cookies = [];
			const session = await authenticate(req, cookies);
			if (!session) return send(res, 401, { error: "not signed in" }, cookies);
			await auth.invalidateSession(session.sessionId);
			send(res, 200, { ok: true }, [await auth.createSessionCookie(null, secureCookies)]);
		}
	};

	return http.createServer(async (req, res) => {
		try {
			const path = new URL(req.url ?? "/", "http://localhost").pathname;
			const route = routes[`${req.method} ${path}`];
			if (!route) throw new HttpError(404, "not found");
			if (req.method === "POST" && !sameOrigin(req)) throw new HttpError(403, "cross-origin request");
			await route(req, res);
		} catch (error) {
			if (error instanceof HttpError) {
				send(res, error.status, { error: error.message });
				return;
			}
			// Query errors from Drizzle repeat their parameters (passwords
			// included): log the SQLSTATE, not the message.
			console.error(`request failed: ${error?.code ?? error?.name ?? "unknown error"}`);
			if (!res.headersSent) send(res, 500, { error: "internal error" });
		}
	});
};

const main = async () => {
	const { pool, db, auth } = connect();
	await migrate(pool);
	const server = createApp({ db, auth });
	const port = Number(process.env.PORT ?? 3000);
	const host = process.env.HOST ?? "127.0.0.1";
	server.listen(port, host, () => {
		console.log(`listening on http://${host}:${server.address().port}`);
	});
	const stop = () => {
		server.close();
		pool.end();
	};
	process.once("SIGINT", stop);
	process.once("SIGTERM", stop);
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	main().catch((error) => {
		console.error(`could not start: ${error?.message ?? error}`);
		process.exit(1);
	});
}
