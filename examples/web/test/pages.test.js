// The application over HTTP without a browser: the database set up as the README's security recipe
// says (the application's role can run the whole flow but read no auth table), the pages of the flow,
// Lucia's cookies, and the CSRF check that refuses every POST without an Origin of this host.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { connect } from "../auth.js";
import { createApp } from "../server.js";
import { setUp } from "../setup.js";
import { digestOf, startApp } from "./app.js";

const DATABASE = "web_example_pages";

describe("web example over HTTP", () => {
	let app;

	before(async () => {
		app = await startApp(DATABASE);
	});

	after(() => app?.close());

	const send = async (method, path, { form, cookie, origin = app.origin } = {}) => {
		const headers = {};
		if (form) headers["content-type"] = "application/x-www-form-urlencoded";
		if (cookie) headers.cookie = cookie;
		if (origin && method !== "GET") headers.origin = origin;
		const res = await fetch(`${app.origin}${path}`, {
			method,
			headers,
			redirect: "manual",
			body: form ? new URLSearchParams(form).toString() : undefined
		});
		return { status: res.status, location: res.headers.get("location"), setCookies: res.headers.getSetCookie(), text: await res.text() };
	};

	const cookieOf = (setCookie) => setCookie.split(";")[0];

	it("sets the database up as the security recipe says, and migrates as the owner role", async () => {
		assert.deepEqual(app.migrations, ["0001_auth_tables.sql", "0002_notes.sql"]);
		assert.deepEqual(await setUp({ database: DATABASE, appPassword: app.password }), []);
		const [roles] = await app.sql(`
			SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = 'web_app') AS app_superuser,
			       pg_has_role('web_app', 'web_lucia_owner', 'MEMBER') AS app_member_of_owner,
			       (SELECT rolcanlogin FROM pg_roles WHERE rolname = 'web_lucia_owner') AS owner_can_log_in,
			       (SELECT array_agg(DISTINCT tableowner::text) FROM pg_tables WHERE schemaname IN ('auth', 'app')) AS table_owners,
			       (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'auth') AS auth_schema_owner,
			       has_table_privilege('web_app', 'auth.user_key', 'SELECT') AS app_reads_keys,
			       has_table_privilege('web_app', 'auth.user_session', 'SELECT') AS app_reads_sessions,
			       has_function_privilege('web_app', 'lucia_auth.validate_session(text)', 'EXECUTE') AS app_validates`);
		assert.deepEqual(roles, {
			app_superuser: false,
			app_member_of_owner: false,
			owner_can_log_in: false,
			table_owners: ["web_lucia_owner"],
			auth_schema_owner: "web_lucia_owner",
			app_reads_keys: false,
			app_reads_sessions: false,
			app_validates: true
		});
		// What the application's own connections can do.
		assert.equal((await app.pool.query("select current_user as who")).rows[0].who, "web_app");
		for (const statement of [
			"select hashed_password from auth.user_key",
			"select id from auth.user_session",
			"update auth.user_session set idle_expires = 0",
			"create table public.mine (x int)"
		]) {
			await assert.rejects(app.pool.query(statement), (error) => error.code === "42501", statement);
		}
	});

	it("signs up, shows the account page, and signs out, with Lucia's cookies", async () => {
		const signupForm = await send("GET", "/signup");
		assert.equal(signupForm.status, 200);
		assert.match(signupForm.text, /<form method="post" action="\/signup"/);

		const signup = await send("POST", "/signup", { form: { username: "Ada_L", password: "analytical engine" } });
		assert.equal(signup.status, 303);
		assert.equal(signup.location, "/account");
		assert.equal(signup.setCookies.length, 1);
		const [setCookie] = signup.setCookies;
		assert.match(setCookie, /^auth_session=[a-z0-9]{40}; Path=\/; Expires=[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT; HttpOnly; SameSite=Lax$/);
		const token = cookieOf(setCookie).split("=")[1];
		const rows = await app.sql("select id, user_agent from auth.user_session");
		assert.deepEqual(rows, [{ id: digestOf(token), user_agent: "node" }]);

		const account = await send("GET", "/account", { cookie: cookieOf(setCookie) });
		assert.equal(account.status, 200);
		assert.match(account.text, /Signed in as <strong>Ada_L<\/strong>/);
		assert.match(account.text, /<tr class="current">/);
		assert.equal(account.setCookies.length, 0);

		const added = await send("POST", "/notes", { cookie: cookieOf(setCookie), form: { body: "<script>alert(1)</script>" } });
		assert.equal(added.status, 303);
		const withNote = await send("GET", "/account", { cookie: cookieOf(setCookie) });
		assert.ok(withNote.text.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
		assert.ok(!withNote.text.includes("<script>"));

		const logout = await send("POST", "/logout", { cookie: cookieOf(setCookie) });
		assert.equal(logout.status, 303);
		assert.equal(logout.location, "/login?signed-out");
		assert.deepEqual(logout.setCookies, ["auth_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax"]);
		assert.deepEqual(await app.sql("select id from auth.user_session"), []);
		const after = await send("GET", "/account", { cookie: cookieOf(setCookie) });
		assert.equal(after.status, 303);
		assert.equal(after.location, "/login");
	});

	it("logs in, refusing wrong passwords and unknown names alike, and refuses a taken name", async () => {
		await send("POST", "/signup", { form: { username: "grace", password: "compiler one" } });
		for (const form of [
			{ username: "grace", password: "wrong password" },
			{ username: "nobody_here", password: "compiler one" }
		]) {
			const refused = await send("POST", "/login", { form });
			assert.equal(refused.status, 400);
			assert.match(refused.text, /Incorrect username or password/);
			assert.deepEqual(refused.setCookies, []);
		}
		const login = await send("POST", "/login", { form: { username: "GRACE", password: "compiler one" } });
		assert.equal(login.status, 303);
		assert.match(login.setCookies[0], /^auth_session=[a-z0-9]{40};/);
		const taken = await send("POST", "/signup", { form: { username: "Grace", password: "another one" } });
		assert.equal(taken.status, 409);
		assert.match(taken.text, /That username is taken/);
	});

	it("refuses every POST without an Origin of this host, and then changes nothing", async () => {
		const signup = await send("POST", "/signup", { form: { username: "mallory_target", password: "target password" } });
		const cookie = cookieOf(signup.setCookies[0]);
		const before = await app.sql("select count(*)::int as n from auth.user_session");
		for (const origin of [null, "http://evil.example", "null", "http://127.0.0.1:1"]) {
			for (const [path, form] of [
				["/logout", undefined],
				["/account/sign-out-others", undefined],
				["/notes", { body: "forged" }],
				["/signup", { username: "forged_user", password: "forged password" }],
				["/login", { username: "mallory_target", password: "target password" }]
			]) {
				const refused = await send("POST", path, { cookie, form, origin });
				assert.equal(refused.status, 403, `${origin} ${path}`);
				assert.deepEqual(refused.setCookies, [], `${origin} ${path}`);
			}
		}
		assert.deepEqual(await app.sql("select count(*)::int as n from auth.user_session"), before);
		assert.deepEqual(await app.sql("select id from auth.auth_user where username = 'forged_user'"), []);
		assert.deepEqual(await app.sql("select body from app.note where body = 'forged'"), []);
		assert.equal((await send("GET", "/account", { cookie })).status, 200);
	});

	it("lets web_app, on a connection of its own, run the flow but read no password hash", async () => {
		const client = new pg.Client({ database: DATABASE, user: "web_app", password: app.password });
		await client.connect();
		try {
			await assert.rejects(client.query("select hashed_password from auth.user_key"), (error) => error.code === "42501");
			const [user] = (
				await client.query("select * from lucia_auth.create_user(null, 'username', 'own_connection', $1, $2)", [
					"password 1",
					JSON.stringify({ username: "own_connection" })
				])
			).rows;
			assert.match(user.user_id, /^[a-z0-9]{15}$/);
		} finally {
			await client.end();
		}
	});

	it("sets Secure cookies in production", async () => {
		const production = connect({ database: DATABASE, password: app.password, production: true });
		const server = createApp({ auth: production.auth, db: production.db });
		await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
		const origin = `http://127.0.0.1:${server.address().port}`;
		try {
			const res = await fetch(`${origin}/signup`, {
				method: "POST",
				redirect: "manual",
				headers: { origin, "content-type": "application/x-www-form-urlencoded" },
				body: "username=prod_user&password=production+password"
			});
			assert.match(res.headers.getSetCookie()[0], /; HttpOnly; Secure; SameSite=Lax$/);
		} finally {
			await new Promise((resolve) => server.close(resolve));
			await production.pool.end();
		}
	});
});
