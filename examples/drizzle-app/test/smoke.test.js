// Starts the application on a loopback port against a fresh database and
// walks through sign-up, /me, notes, logout and login with fetch.
// Needs a PostgreSQL server with lucia_auth installed and a superuser role in
// the PG* variables (as inside `pg_virtualenv`).

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eq } from "drizzle-orm";
import pg from "pg";
import { connect, migrate } from "../db.js";
import { createApp } from "../server.js";
import { session as sessionTable } from "../schema.js";

const DATABASE = "drizzle_app_smoke";

const recreateDatabase = async () => {
	const admin = new pg.Client({ database: process.env.PGDATABASE || "postgres" });
	await admin.connect();
	try {
		await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(DATABASE)} WITH (FORCE)`);
		await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(DATABASE)}`);
	} finally {
		await admin.end();
	}
};

describe("drizzle-app", () => {
	let app;
	let server;
	let origin;

	before(async () => {
		await recreateDatabase();
		app = connect({ database: DATABASE, connectionString: undefined });
		await migrate(app.pool);
		await migrate(app.pool);
		server = createApp({ db: app.db, auth: app.auth, secureCookies: false });
		await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
		origin = `http://127.0.0.1:${server.address().port}`;
	});

	after(async () => {
		await new Promise((resolve) => server?.close(resolve) ?? resolve());
		await app?.pool.end();
	});

	const request = async (method, path, { body, cookie, bearer, sameOrigin = true } = {}) => {
		const headers = {};
		if (body !== undefined) headers["content-type"] = "application/json";
		if (cookie) headers.cookie = cookie;
		if (bearer) headers.authorization = `Bearer ${bearer}`;
		if (sameOrigin && method !== "GET") headers.origin = origin;
		const res = await fetch(`${origin}${path}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		return { status: res.status, json: await res.json(), setCookies: res.headers.getSetCookie() };
	};

	/** The `name=value` pair and attributes of the one Set-Cookie header. */
	const parseSetCookie = (setCookies) => {
		assert.equal(setCookies.length, 1, `one Set-Cookie expected, got ${JSON.stringify(setCookies)}`);
		const [pair, ...attributes] = setCookies[0].split("; ");
		return { pair, attributes };
	};

	const sessionCookieOf = (setCookies) => {
		const { pair, attributes } = parseSetCookie(setCookies);
		assert.match(pair, /^auth_session=[a-z0-9]{40}$/);
		assert.equal(attributes[0], "Path=/");
		assert.match(attributes[1], /^Expires=[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
		assert.deepEqual(attributes.slice(2), ["HttpOnly", "SameSite=Lax"]);
		return { cookie: pair, sessionId: pair.slice("auth_session=".length), expires: Date.parse(attributes[1].slice(8)) };
	};

	const assertBlankCookie = (setCookies) => {
		assert.deepEqual(setCookies, ["auth_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax"]);
	};

	it("signs up, reads /me, adds a note, logs out, and logs back in", async () => {
		const credentials = { username: "Ada_Lovelace", password: "analytical engine ✓" };

		const signup = await request("POST", "/signup", { body: credentials });
		assert.equal(signup.status, 201);
		assert.equal(signup.json.user.username, "Ada_Lovelace");
		assert.match(signup.json.user.userId, /^[a-z0-9]{15}$/);
		const first = sessionCookieOf(signup.setCookies);
		const activePlusIdle = 15 * 24 * 60 * 60 * 1000;
		assert.ok(Math.abs(first.expires - (Date.now() + activePlusIdle)) < 60_000, "cookie expires at idle_expires");

		const me = await request("GET", "/me", { cookie: `theme=dark; ${first.cookie}` });
		assert.equal(me.status, 200);
		assert.deepEqual(me.json.user, signup.json.user);
		assert.equal(me.json.session.state, "active");
		assert.equal(me.json.session.idleExpires - me.json.session.activeExpires, 14 * 24 * 60 * 60 * 1000);
		assert.equal(Math.floor(me.json.session.idleExpires / 1000) * 1000, first.expires);
		assert.deepEqual(me.json.notes, []);
		assert.deepEqual(me.setCookies, []);

		const created = await request("POST", "/notes", { cookie: first.cookie, body: { body: "first note" } });
		assert.equal(created.status, 201);
		assert.equal(created.json.note.body, "first note");
		const withNote = await request("GET", "/me", { cookie: first.cookie });
		assert.deepEqual(
			withNote.json.notes.map((n) => n.body),
			["first note"]
		);

		const logout = await request("POST", "/logout", { cookie: first.cookie });
		assert.equal(logout.status, 200);
		assertBlankCookie(logout.setCookies);

		const afterLogout = await request("GET", "/me", { cookie: first.cookie });
		assert.equal(afterLogout.status, 401);
		assertBlankCookie(afterLogout.setCookies);

		const wrong = await request("POST", "/login", { body: { ...credentials, password: "analytical engine" } });
		assert.equal(wrong.status, 400);
		assert.deepEqual(wrong.setCookies, []);
		const unknown = await request("POST", "/login", { body: { username: "nobody", password: "whatever pass" } });
		assert.equal(unknown.status, 400);

		const login = await request("POST", "/login", { body: { username: "ada_lovelace", password: credentials.password } });
		assert.equal(login.status, 200);
		assert.deepEqual(login.json.user, signup.json.user);
		const second = sessionCookieOf(login.setCookies);
		assert.notEqual(second.sessionId, first.sessionId);

		const viaBearer = await request("GET", "/me", { bearer: second.sessionId });
		assert.equal(viaBearer.status, 200);
		assert.deepEqual(viaBearer.json.notes.map((n) => n.body), ["first note"]);
	});

	it("renews an idle session and sends a new cookie", async () => {
		const signup = await request("POST", "/signup", { body: { username: "grace", password: "compilers 1952" } });
		const { cookie, sessionId } = sessionCookieOf(signup.setCookies);
		await app.db
			.update(sessionTable)
			.set({ activeExpires: Date.now() - 1000, idleExpires: Date.now() + 60_000 })
			.where(eq(sessionTable.id, sessionId));
		const renewed = await request("GET", "/me", { cookie });
		assert.equal(renewed.status, 200);
		const fresh = sessionCookieOf(renewed.setCookies);
		assert.equal(fresh.sessionId, sessionId);
		assert.ok(fresh.expires > Date.now() + 14 * 24 * 60 * 60 * 1000);
		const again = await request("GET", "/me", { cookie });
		assert.equal(again.json.session.state, "active");
		assert.deepEqual(again.setCookies, []);
	});

	it("refuses duplicate usernames, bad input and cross-origin posts", async () => {
		const body = { username: "linus", password: "penguins rule" };
		assert.equal((await request("POST", "/signup", { body })).status, 201);
		const duplicate = await request("POST", "/signup", { body: { ...body, username: "LINUS" } });
		assert.equal(duplicate.status, 409);
		assert.equal((await request("POST", "/signup", { body: { username: "x", password: "long enough" } })).status, 400);
		assert.equal((await request("POST", "/login", { body, sameOrigin: false })).status, 403);
		assert.equal((await request("GET", "/me")).status, 401);
		assert.equal((await request("GET", "/nowhere")).status, 404);
	});
});
