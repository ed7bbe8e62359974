// A server-rendered web application on lucia_auth: sign-up, sign-in, an account page that lists the
// user's sessions with "sign out everywhere else", notes, and sign-out. node:http, no framework.
//
//   GET  /signup, POST /signup            create an account (and sign in)
//   GET  /login,  POST /login             sign in
//   GET  /account                         the account page (sessions, notes)
//   POST /account/sign-out-others         invalidate every other session of the user
//   POST /notes                           add a note
//   POST /logout                          sign out
//
// Every POST must carry an Origin of this host (Lucia's CSRF check), or it is refused with 403; and
// handleRequest() reads the session cookie only from requests that pass the same check.

import http from "node:http";
import { pathToFileURL } from "node:url";
import { desc, eq } from "drizzle-orm";
import { LuciaError, sessionIdMatches } from "lucia_auth";
import { connect } from "./auth.js";
import { note } from "./schema.js";
import { STYLE, accountPage, errorPage, loginPage, signUpPage } from "./views.js";

const MAX_BODY_BYTES = 16 * 1024;
const USERNAME = /^[A-Za-z0-9_]{3,31}$/;

class HttpError extends Error {
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

const readForm = async (req) => {
	const chunks = [];
	let size = 0;
	for await (const chunk of req) {
		size += chunk.length;
		if (size > MAX_BODY_BYTES) throw new HttpError(413, "The form is too large.");
		chunks.push(chunk);
	}
	return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
};

const SECURITY_HEADERS = {
	"content-security-policy": "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	"referrer-policy": "same-origin",
	"x-content-type-options": "nosniff"
};

const sendPage = (res, status, body) => {
	res.writeHead(status, {
		...SECURITY_HEADERS,
		"content-type": "text/html; charset=utf-8",
		"cache-control": "no-store",
		"content-length": Buffer.byteLength(body)
	});
	res.end(body);
};

const redirect = (res, location) => {
	res.writeHead(303, { ...SECURITY_HEADERS, location, "cache-control": "no-store", "content-length": 0 });
	res.end();
};

const luciaCode = (error) => (error instanceof LuciaError ? error.message : null);

/**
 * @param {{ auth: import("lucia_auth").Auth, db: import("drizzle-orm/node-postgres").NodePgDatabase }} options
 * @returns {http.Server}
 */
export const createApp = ({ auth, db }) => {
	// lucia_auth's throttling by client (use_key with a fourth argument) where the server has it.
	let clientThrottling;
	const throttlingClient = async (req) => {
		clientThrottling ??= db
			.execute("select to_regprocedure('lucia_auth.use_key(text,text,text,text)') is not null as present")
			.then((result) => Boolean((result.rows ?? result)[0].present));
		return (await clientThrottling) ? (req.socket.remoteAddress ?? null) : null;
	};

	const credentials = (form) => {
		const username = form.get("username") ?? "";
		const password = form.get("password") ?? "";
		if (!USERNAME.test(username)) return { error: "A username is 3 to 31 letters, digits or underscores.", username };
		if (password.length < 8 || password.length > 255) return { error: "A password is 8 to 255 characters.", username };
		return { username, providerUserId: username.toLowerCase(), password };
	};

	const startSession = async (req, authRequest, userId) => {
		const session = await auth.createSession({
			userId,
			attributes: { user_agent: req.headers["user-agent"] ?? null }
		});
		authRequest.setSession(session);
	};

	const routes = {
		"GET /": async ({ res, authRequest }) => redirect(res, (await authRequest.validate()) ? "/account" : "/login"),

		"GET /style.css": async ({ res }) => {
			res.writeHead(200, { ...SECURITY_HEADERS, "content-type": "text/css; charset=utf-8", "cache-control": "max-age=300" });
			res.end(STYLE);
		},

		"GET /signup": async ({ res, authRequest }) => {
			if (await authRequest.validate()) return redirect(res, "/account");
			sendPage(res, 200, signUpPage());
		},

		"POST /signup": async ({ req, res, authRequest }) => {
			const form = credentials(await readForm(req));
			if (form.error) return sendPage(res, 400, signUpPage(form));
			let user;
			try {
				user = await auth.createUser({
					key: { providerId: "username", providerUserId: form.providerUserId, password: form.password },
					attributes: { username: form.username }
				});
			} catch (error) {
				if (luciaCode(error) === "AUTH_DUPLICATE_KEY_ID" || error?.code === "23505") {
					return sendPage(res, 409, signUpPage({ error: "That username is taken.", username: form.username }));
				}
				throw error;
			}
			await startSession(req, authRequest, user.userId);
			redirect(res, "/account");
		},

		"GET /login": async ({ res, url, authRequest }) => {
			if (await authRequest.validate()) return redirect(res, "/account");
			sendPage(res, 200, loginPage({ notice: url.searchParams.has("signed-out") ? "You are signed out." : null }));
		},

		"POST /login": async ({ req, res, authRequest }) => {
			const form = credentials(await readForm(req));
			if (form.error) return sendPage(res, 400, loginPage({ error: "Incorrect username or password.", username: form.username }));
			let key;
			try {
				key = await auth.useKey("username", form.providerUserId, form.password, await throttlingClient(req));
			} catch (error) {
				const code = luciaCode(error);
				if (code === "AUTH_INVALID_KEY_ID" || code === "AUTH_INVALID_PASSWORD") {
					return sendPage(res, 400, loginPage({ error: "Incorrect username or password.", username: form.username }));
				}
				if (code === "AUTH_TOO_MANY_ATTEMPTS") {
					return sendPage(res, 429, loginPage({ error: "Too many attempts: try again later.", username: form.username }));
				}
				throw error;
			}
			await startSession(req, authRequest, key.userId);
			redirect(res, "/account");
		},

		"GET /account": async ({ res, url, authRequest }) => {
			const session = await authRequest.validate();
			if (!session) return redirect(res, "/login");
			const [sessions, notes] = await Promise.all([
				auth.getAllUserSessions(session.user.userId),
				db
					.select({ body: note.body, createdAt: note.createdAt })
					.from(note)
					.where(eq(note.userId, session.user.userId))
					.orderBy(desc(note.id))
					.limit(50)
			]);
			const listed = sessions
				.map((s) => ({ current: sessionIdMatches(s.sessionId, session.sessionId), session: s }))
				.sort((a, b) => Number(b.current) - Number(a.current) || String(b.session.signedInAt).localeCompare(String(a.session.signedInAt)));
			const signedOut = url.searchParams.get("signed-out");
			sendPage(
				res,
				200,
				accountPage({
					user: session.user,
					session,
					sessions: listed,
					notes,
					signedOut: signedOut === null ? null : Number(signedOut)
				})
			);
		},

		"POST /account/sign-out-others": async ({ res, authRequest }) => {
			const session = await authRequest.validate();
			if (!session) return redirect(res, "/login");
			const count = await auth.invalidateOtherSessions(session.sessionId);
			redirect(res, `/account?signed-out=${count}`);
		},

		"POST /notes": async ({ req, res, authRequest }) => {
			const session = await authRequest.validate();
			if (!session) return redirect(res, "/login");
			const body = ((await readForm(req)).get("body") ?? "").trim();
			if (body.length < 1 || body.length > 2000) throw new HttpError(400, "A note is 1 to 2000 characters.");
			await db.insert(note).values({ userId: session.user.userId, body });
			redirect(res, "/account");
		},

		"POST /logout": async ({ res, authRequest }) => {
			const session = await authRequest.validate();
			if (session) await auth.invalidateSession(session.sessionId);
			authRequest.setSession(null);
			redirect(res, "/login?signed-out");
		}
	};

	return http.createServer(async (req, res) => {
		try {
			const url = new URL(req.url ?? "/", "http://localhost");
			const route = routes[`${req.method} ${url.pathname}`];
			if (!route) throw new HttpError(404, "There is no such page.");
			if (req.method === "POST") {
				try {
					auth.validateRequestOrigin({
						url: `http://${req.headers.host ?? ""}${req.url ?? "/"}`,
						method: req.method,
						headers: { origin: req.headers.origin ?? null }
					});
				} catch {
					throw new HttpError(403, "This form was sent from another site.");
				}
			}
			await route({ req, res, url, authRequest: auth.handleRequest(req, res) });
		} catch (error) {
			if (error instanceof HttpError) {
				if (!res.headersSent) sendPage(res, error.status, errorPage(error.status, error.message));
				return;
			}
			// The client's errors hold no parameters; log the code and nothing the user typed.
			console.error(`request failed: ${error?.name ?? "Error"} ${error?.code ?? ""}`);
			if (!res.headersSent) sendPage(res, 500, errorPage(500, "Please try again."));
		}
	});
};

const main = async () => {
	const password = process.env.WEB_APP_PASSWORD;
	if (!password) throw new Error("set WEB_APP_PASSWORD (the password `npm run setup` gave web_app)");
	const { pool, db, auth } = connect({ database: process.env.WEB_DATABASE ?? "web_example", password });
	const server = createApp({ auth, db });
	const port = Number(process.env.PORT ?? 3000);
	const host = process.env.HOST ?? "127.0.0.1";
	server.listen(port, host, () => console.log(`listening on http://${host}:${server.address().port}`));
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
