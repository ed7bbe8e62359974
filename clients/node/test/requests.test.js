// Requests as Lucia v2 handles them: the session cookie read and written in JavaScript, byte for byte
// as lucia_auth's read_session_cookie and create_session_cookie (and so as Lucia); handleRequest with
// its CSRF check (the cookie is ignored on a POST without an Origin of the same host), renewal of the
// cookie of a renewed session, and the blank cookie for a session that is gone.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LuciaError, lucia } from "../dist/index.js";
import { node } from "../dist/middleware.js";
import { admin, drivers, freshDatabase, makeIdle } from "./harness.js";

const DATABASE = "lucia_auth_client_requests";

const cookieHeaders = [
	null,
	"",
	"auth_session=abc",
	"a=1; auth_session=abc; b=2",
	"  auth_session  =  abc  ; other=x",
	'auth_session="abc"',
	'auth_session="abc',
	"auth_session=a%20b%3Bc%C3%A4",
	"auth_session=a+b",
	"auth_session=abc%",
	"auth_session=%C3%28",
	"auth_session=first; auth_session=second",
	"auth_session=",
	"auth_session=; auth_session=second",
	"other=1",
	"AUTH_SESSION=abc",
	"flag; auth_session=abc",
	";;auth_session=abc;;",
	"auth_session=abc=def",
	"auth_session=\u00a0abc\u00a0"
];

const authorizationHeaders = [null, "", "Bearer abc", "Bearer abc def", "Bearer", "Bearer  abc", "bearer abc", "Basic abc"];

let connection;
let auth;

before(async () => {
	await freshDatabase(DATABASE);
	connection = drivers.pg(DATABASE);
	auth = lucia({ adapter: connection.adapter, env: "DEV", middleware: node() });
});

after(() => connection?.close());

describe("cookies and headers", () => {
	it("readSessionCookie reads as read_session_cookie", async () => {
		for (const header of cookieHeaders) {
			assert.equal(auth.readSessionCookie(header), await auth.functions.readSessionCookie(header), JSON.stringify(header));
		}
		const named = lucia({ adapter: connection.adapter, env: "DEV", sessionCookie: { name: "sid" } });
		assert.equal(named.readSessionCookie("auth_session=a; sid=b"), "b");
		assert.equal(await named.functions.readSessionCookie("auth_session=a; sid=b", "sid"), "b");
	});

	it("readBearerToken reads as read_bearer_token", async () => {
		for (const header of authorizationHeaders) {
			assert.equal(auth.readBearerToken(header), await auth.functions.readBearerToken(header), JSON.stringify(header));
		}
	});

	it("createSessionCookie writes what create_session_cookie writes", async () => {
		const user = await auth.createUser({ key: null, attributes: {} });
		const session = await auth.createSession({ userId: user.userId, attributes: {} });
		const dev = auth.createSessionCookie(session);
		assert.equal(dev.name, "auth_session");
		assert.equal(dev.value, session.sessionId);
		assert.equal(
			dev.serialize(),
			await auth.functions.createSessionCookie(
				{ sessionId: session.sessionId, idleExpires: session.idlePeriodExpiresAt.getTime() },
				{ secure: false }
			)
		);
		const prod = lucia({ adapter: connection.adapter, env: "PROD" });
		assert.equal(
			prod.createSessionCookie(session).serialize(),
			await auth.functions.createSessionCookie({
				sessionId: session.sessionId,
				idleExpires: session.idlePeriodExpiresAt.getTime()
			})
		);
		assert.equal(prod.createSessionCookie(null).serialize(), await auth.functions.createSessionCookie(null));
		assert.equal(
			auth.createSessionCookie(null).serialize(),
			"auth_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax"
		);
	});
});

/** A node:http request and response, as far as the node() middleware reads and writes them. */
const exchange = ({ method = "GET", cookie, origin, host = "app.example" } = {}) => {
	const headers = { host };
	if (cookie !== undefined) headers.cookie = cookie;
	if (origin !== undefined) headers.origin = origin;
	const sent = {};
	const response = {
		getHeader: (name) => sent[name.toLowerCase()],
		setHeader: (name, value) => {
			sent[name.toLowerCase()] = value;
		}
	};
	return { request: { method, headers }, response, setCookies: () => sent["set-cookie"] ?? [] };
};

describe("handleRequest", () => {
	let user;
	before(async () => {
		user = await auth.createUser({ key: null, attributes: {} });
	});

	it("validates the cookie's session on GET, and on POST only with an Origin of the same host", async () => {
		const session = await auth.createSession({ userId: user.userId, attributes: {} });
		const cookie = `auth_session=${session.sessionId}`;
		for (const [options, valid] of [
			[{ method: "GET", cookie }, true],
			[{ method: "POST", cookie, origin: "http://app.example" }, true],
			[{ method: "POST", cookie }, false],
			[{ method: "POST", cookie, origin: "http://evil.example" }, false],
			[{ method: "POST", cookie, origin: "null" }, false],
			[{ method: "DELETE", cookie, origin: "http://sub.app.example" }, false]
		]) {
			const { request, response, setCookies } = exchange(options);
			const result = await auth.handleRequest(request, response).validate();
			assert.equal(result?.sessionId ?? null, valid ? session.sessionId : null, JSON.stringify(options));
			assert.deepEqual(setCookies(), [], JSON.stringify(options));
		}
		const open = lucia({ adapter: connection.adapter, env: "DEV", middleware: node(), csrfProtection: false });
		const { request, response } = exchange({ method: "POST", cookie });
		assert.equal((await open.handleRequest(request, response).validate())?.sessionId, session.sessionId);
	});

	it("sends the renewed cookie when the session was renewed, and the blank one when it is gone", async () => {
		const session = await auth.createSession({ userId: user.userId, attributes: {} });
		await makeIdle(DATABASE, session.sessionId);
		const renewal = exchange({ cookie: `auth_session=${session.sessionId}` });
		const renewed = await auth.handleRequest(renewal.request, renewal.response).validate();
		assert.equal(renewed.fresh, true);
		assert.deepEqual(renewal.setCookies(), [auth.createSessionCookie(renewed).serialize()]);
		const [{ idle_expires }] = (
			await admin(`SELECT idle_expires FROM user_session WHERE id = '${session.sessionId}'`, DATABASE)
		)[0].rows;
		assert.equal(renewed.idlePeriodExpiresAt.getTime(), Number(idle_expires));
		assert.match(renewal.setCookies()[0], new RegExp(`Expires=${new Date(Number(idle_expires)).toUTCString()}`));

		await auth.invalidateSession(session.sessionId);
		const gone = exchange({ cookie: `auth_session=${session.sessionId}` });
		assert.equal(await auth.handleRequest(gone.request, gone.response).validate(), null);
		assert.deepEqual(gone.setCookies(), [
			"auth_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax"
		]);
	});

	it("setSession writes the cookie of a new session and the blank cookie at logout", async () => {
		const session = await auth.createSession({ userId: user.userId, attributes: {} });
		const login = exchange({ method: "POST", origin: "http://app.example" });
		auth.handleRequest(login.request, login.response).setSession(session);
		assert.deepEqual(login.setCookies(), [auth.createSessionCookie(session).serialize()]);
		const logout = exchange({ method: "POST", origin: "http://app.example", cookie: `auth_session=${session.sessionId}` });
		const authRequest = auth.handleRequest(logout.request, logout.response);
		assert.equal((await authRequest.validate()).sessionId, session.sessionId);
		await auth.invalidateSession(session.sessionId);
		authRequest.setSession(null);
		assert.deepEqual(logout.setCookies(), [auth.createSessionCookie(null).serialize()]);
	});

	it("validates a bearer token", async () => {
		const session = await auth.createSession({ userId: user.userId, attributes: {} });
		const { request, response } = exchange();
		request.headers.authorization = `Bearer ${session.sessionId}`;
		assert.equal((await auth.handleRequest(request, response).validateBearerToken()).sessionId, session.sessionId);
		request.headers.authorization = "Bearer nope";
		assert.equal(await auth.handleRequest(request, response).validateBearerToken(), null);
	});

	it("validateRequestOrigin accepts the request's own host and refuses others", () => {
		auth.validateRequestOrigin({ url: "http://app.example/login", method: "POST", headers: { origin: "http://app.example" } });
		auth.validateRequestOrigin({ url: "http://app.example/login", method: "GET", headers: { origin: null } });
		for (const origin of [null, "http://evil.example", "null"]) {
			assert.throws(
				() => auth.validateRequestOrigin({ url: "http://app.example/login", method: "POST", headers: { origin } }),
				(error) => error instanceof LuciaError && error.message === "AUTH_INVALID_REQUEST"
			);
		}
	});
});
