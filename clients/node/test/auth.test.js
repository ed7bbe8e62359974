// Lucia v2's Auth on lucia_auth, through each of the four drivers: the results Lucia gives (users,
// keys, sessions with Date expiries, renewal), LuciaError with Lucia's code as message, the 0.2.0
// functions, transactions, and what a failed call lets out (never a password or a token).

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { inspect } from "node:util";
import { DatabaseError, LuciaError, lucia, sessionIdMatches } from "../dist/index.js";
import { admin, drivers, freshDatabase, hasFunction, makeDead, makeIdle, recording } from "./harness.js";

const DATABASE = "lucia_auth_client_auth";
const DAY = 24 * 60 * 60 * 1000;
const SECRET = "correct hörse battery staple";

let counter = 0;
const unique = (prefix) => `${prefix}-${process.pid}-${++counter}`;

/** Asserts a LuciaError with this code, raised by the server with a class-28/23 SQLSTATE or by the client. */
const rejectsLucia = (promise, message, sqlstate) =>
	assert.rejects(promise, (error) => {
		assert.ok(error instanceof LuciaError, `expected a LuciaError, got ${error?.name}: ${error?.message}`);
		assert.equal(error.message, message);
		assert.equal(error.code, sqlstate);
		return true;
	});

/** Everything an error shows to a logger: its inspection with hidden properties, its stack, its JSON. */
const exposed = (error) =>
	[inspect(error, { showHidden: true, depth: 8 }), String(error.stack), JSON.stringify(error), String(error)].join("\n");

before(async () => {
	await freshDatabase(DATABASE);
});

for (const [driverName, open] of Object.entries(drivers)) {
	describe(`Auth through ${driverName}`, () => {
		let connection;
		let auth;

		before(() => {
			connection = open(DATABASE);
			auth = lucia({
				adapter: connection.adapter,
				env: "DEV",
				getUserAttributes: (user) => ({ username: user.username }),
				getSessionAttributes: (session) => ({ country: session.country })
			});
		});

		after(() => connection?.close());

		const signUp = async (password = SECRET) => {
			const providerUserId = `${unique("user")}@example.com`;
			const user = await auth.createUser({
				key: { providerId: "email", providerUserId, password },
				attributes: { username: providerUserId }
			});
			return { user, providerUserId };
		};

		it("signs up, logs in and reads the user as Lucia does", async () => {
			const { user, providerUserId } = await signUp();
			assert.match(user.userId, /^[a-z0-9]{15}$/);
			assert.deepEqual(user, { userId: user.userId, username: providerUserId });
			assert.deepEqual(await auth.getUser(user.userId), user);
			const key = await auth.useKey("email", providerUserId, SECRET);
			assert.deepEqual(key, { providerId: "email", providerUserId, userId: user.userId, passwordDefined: true });
			assert.deepEqual(await auth.getKey("email", providerUserId), key);
			assert.deepEqual(await auth.getAllUserKeys(user.userId), [key]);
			const renamed = await auth.updateUserAttributes(user.userId, { username: "renamed" });
			assert.deepEqual(renamed, { userId: user.userId, username: "renamed" });
		});

		it("raises Lucia's errors as LuciaError, with the SQLSTATE", async () => {
			const { user, providerUserId } = await signUp();
			await rejectsLucia(auth.useKey("email", providerUserId, "wrong"), "AUTH_INVALID_PASSWORD", "28P01");
			await rejectsLucia(auth.useKey("email", providerUserId, null), "AUTH_INVALID_PASSWORD", "28P01");
			await rejectsLucia(auth.useKey("email", "nobody@example.com", SECRET), "AUTH_INVALID_KEY_ID", "28000");
			await rejectsLucia(auth.getUser("no-such-user"), "AUTH_INVALID_USER_ID", "28000");
			await rejectsLucia(auth.createSession({ userId: "no-such-user", attributes: {} }), "AUTH_INVALID_USER_ID", "28000");
			await rejectsLucia(auth.validateSession("no-such-session"), "AUTH_INVALID_SESSION_ID", "28000");
			await rejectsLucia(
				auth.createKey({ userId: user.userId, providerId: "email", providerUserId, password: null }),
				"AUTH_DUPLICATE_KEY_ID",
				"23505"
			);
			await rejectsLucia(
				auth.createUser({
					key: { providerId: "email", providerUserId, password: "x" },
					attributes: {}
				}),
				"AUTH_DUPLICATE_KEY_ID",
				"23505"
			);
			// As Lucia's adapter: a duplicate user id is a duplicate key when a key comes with it, …
			await rejectsLucia(
				auth.createUser({
					userId: user.userId,
					key: { providerId: "email", providerUserId: unique("other"), password: null },
					attributes: {}
				}),
				"AUTH_DUPLICATE_KEY_ID",
				"23505"
			);
			// … and PostgreSQL's unique violation without one.
			await assert.rejects(auth.createUser({ userId: user.userId, key: null, attributes: {} }), (error) => {
				assert.ok(error instanceof DatabaseError);
				assert.equal(error.code, "23505");
				return true;
			});
		});

		it("refuses what Lucia refuses before any query: empty session ids, provider ids with ':'", async () => {
			const recorder = recording(connection.adapter);
			const local = lucia({ adapter: recorder.driver, env: "DEV" });
			for (const empty of ["", null, undefined]) {
				await rejectsLucia(local.validateSession(empty), "AUTH_INVALID_SESSION_ID", undefined);
				await rejectsLucia(local.getSession(empty), "AUTH_INVALID_SESSION_ID", undefined);
				await rejectsLucia(local.invalidateSession(empty), "AUTH_INVALID_SESSION_ID", undefined);
				await rejectsLucia(local.updateSessionAttributes(empty, {}), "AUTH_INVALID_SESSION_ID", undefined);
			}
			await assert.rejects(local.useKey("a:b", "c", null), TypeError);
			await assert.rejects(local.getKey("a:b", "c"), TypeError);
			await assert.rejects(local.createKey({ userId: "u", providerId: "a:b", providerUserId: "c", password: null }), TypeError);
			await assert.rejects(
				local.createUser({ key: { providerId: "a:b", providerUserId: "c", password: null }, attributes: {} }),
				TypeError
			);
			assert.deepEqual(recorder.calls, []);
		});

		it("creates, validates, renews and lists sessions", async () => {
			const { user } = await signUp();
			const before = Date.now();
			const session = await auth.createSession({ userId: user.userId, attributes: { country: "NO" } });
			const after = Date.now();
			assert.match(session.sessionId, /^[a-z0-9]{40}$/);
			assert.deepEqual(session.user, user);
			assert.equal(session.country, "NO");
			assert.equal(session.state, "active");
			assert.equal(session.fresh, false);
			assert.ok(session.activePeriodExpiresAt instanceof Date);
			assert.ok(session.activePeriodExpiresAt.getTime() >= before + DAY);
			assert.ok(session.activePeriodExpiresAt.getTime() <= after + DAY);
			assert.equal(session.idlePeriodExpiresAt.getTime() - session.activePeriodExpiresAt.getTime(), 14 * DAY);

			assert.deepEqual(await auth.validateSession(session.sessionId), session);
			assert.deepEqual(await auth.getSession(session.sessionId), session);

			await makeIdle(DATABASE, session.sessionId);
			const idle = await auth.getSession(session.sessionId);
			assert.equal(idle.state, "idle");
			assert.equal(idle.fresh, false);
			const renewed = await auth.validateSession(session.sessionId);
			assert.equal(renewed.state, "idle");
			assert.equal(renewed.fresh, true);
			assert.equal(renewed.sessionId, session.sessionId);
			assert.ok(renewed.activePeriodExpiresAt.getTime() >= session.activePeriodExpiresAt.getTime());
			const again = await auth.validateSession(session.sessionId);
			assert.equal(again.state, "active");
			assert.equal(again.fresh, false);
			assert.equal(auth.createSessionCookie(renewed).value, session.sessionId);

			const updated = await auth.updateSessionAttributes(session.sessionId, { country: "SE" });
			assert.equal(updated.country, "SE");
			const second = await auth.createSession({ userId: user.userId, attributes: { country: "DK" } });
			const listed = await auth.getAllUserSessions(user.userId);
			assert.deepEqual(listed.map((s) => s.sessionId).sort(), [session.sessionId, second.sessionId].sort());
			assert.deepEqual(listed.map((s) => s.country).sort(), ["DK", "SE"]);

			await auth.invalidateSession(second.sessionId);
			await rejectsLucia(auth.validateSession(second.sessionId), "AUTH_INVALID_SESSION_ID", "28000");
			await auth.invalidateAllUserSessions(user.userId);
			assert.deepEqual(await auth.getAllUserSessions(user.userId), []);
		});

		it("signs out every other session, and sweeps dead ones", async () => {
			const { user } = await signUp();
			const sessions = [];
			for (let i = 0; i < 3; i += 1) sessions.push(await auth.createSession({ userId: user.userId, attributes: {} }));
			assert.equal(await auth.invalidateOtherSessions(sessions[0].sessionId), 2);
			assert.deepEqual(
				(await auth.getAllUserSessions(user.userId)).map((s) => s.sessionId),
				[sessions[0].sessionId]
			);
			assert.equal(await auth.invalidateOtherSessions(sessions[0].sessionId), 0);
			await rejectsLucia(auth.validateSession(sessions[1].sessionId), "AUTH_INVALID_SESSION_ID", "28000");

			const dead = await auth.createSession({ userId: user.userId, attributes: {} });
			await makeDead(DATABASE, dead.sessionId);
			await auth.deleteDeadUserSessions(user.userId);
			assert.equal(
				(await admin(`SELECT count(*)::int AS n FROM user_session WHERE user_id = '${user.userId}'`, DATABASE))[0].rows[0].n,
				1
			);
			const swept = await auth.createSession({ userId: user.userId, attributes: {} });
			await makeDead(DATABASE, swept.sessionId);
			assert.ok((await auth.deleteExpiredSessions(1000)) >= 1);
			await rejectsLucia(auth.getSession(swept.sessionId), "AUTH_INVALID_SESSION_ID", "28000");
			assert.deepEqual((await auth.getSession(sessions[0].sessionId)).sessionId, sessions[0].sessionId);
		});

		it("changes and deletes keys and users", async () => {
			const { user, providerUserId } = await signUp();
			const github = await auth.createKey({ userId: user.userId, providerId: "github", providerUserId: "4242", password: null });
			assert.deepEqual(github, { providerId: "github", providerUserId: "4242", userId: user.userId, passwordDefined: false });
			await auth.useKey("github", "4242", null);
			await auth.updateKeyPassword("email", providerUserId, "new password");
			await rejectsLucia(auth.useKey("email", providerUserId, SECRET), "AUTH_INVALID_PASSWORD", "28P01");
			await auth.useKey("email", providerUserId, "new password");
			await auth.deleteKey("github", "4242");
			await rejectsLucia(auth.getKey("github", "4242"), "AUTH_INVALID_KEY_ID", "28000");
			const session = await auth.createSession({ userId: user.userId, attributes: {} });
			await auth.deleteUser(user.userId);
			await rejectsLucia(auth.getUser(user.userId), "AUTH_INVALID_USER_ID", "28000");
			await rejectsLucia(auth.validateSession(session.sessionId), "AUTH_INVALID_SESSION_ID", "28000");
		});

		it("hashes and verifies passwords on the server", async () => {
			const hash = await auth.hashPassword(SECRET);
			assert.match(hash, /^\$argon2id\$/);
			assert.equal(await auth.verifyPassword(SECRET, hash), true);
			assert.equal(await auth.verifyPassword("wrong", hash), false);
			assert.equal(await auth.passwordNeedsRehash(hash), false);
			assert.match(await auth.generateRandomString(12, "ab"), /^[ab]{12}$/);
			assert.match(await auth.generateRandomString(40), /^[a-z0-9]{40}$/);
		});

		it("runs calls and the application's own statements in one transaction", async () => {
			const userId = unique("tx");
			await assert.rejects(
				auth.transaction(async (tx) => {
					await tx.createUser({ userId, key: null, attributes: { username: "rolled back" } });
					assert.equal((await tx.getUser(userId)).username, "rolled back");
					throw new Error("abort");
				}),
				/abort/
			);
			await rejectsLucia(auth.getUser(userId), "AUTH_INVALID_USER_ID", "28000");
			const committed = await auth.transaction(async (tx, raw) => {
				const user = await tx.createUser({ userId, key: null, attributes: { username: "kept" } });
				// The driver's own transaction object runs the application's statements in it.
				const pid = await ownBackend(driverName, raw);
				const sessionPid = await ownBackend(driverName, raw);
				assert.equal(pid, sessionPid);
				return user;
			});
			assert.equal((await auth.getUser(committed.userId)).username, "kept");
		});

		it("never lets a password or a token out in an error, whatever the driver wraps", async () => {
			const secret = `${SECRET} ${unique("secret")}`;
			const failures = [
				// 42703 from the server, on a statement whose parameters hold the password
				() => auth.createUser({
					key: { providerId: "email", providerUserId: unique("x"), password: secret },
					attributes: { no_such_column: 1 }
				}),
				// 22P02 on a statement whose parameters hold the token
				() => auth.functions.createSession({ userId: "u", attributes: { country: { not: "text" } }, sessionId: secret }),
				() => auth.useKey("email", "nobody@example.com", secret),
				() => auth.validateSession(secret)
			];
			for (const failure of failures) {
				await assert.rejects(failure(), (error) => {
					assert.ok(error instanceof LuciaError || error instanceof DatabaseError, `${error?.name}`);
					assert.ok(!exposed(error).includes(secret), `${driverName}: the error shows the secret:\n${exposed(error)}`);
					assert.equal(error.cause, undefined);
					return true;
				});
			}
		});

		it("sends every password and id as a bind parameter, never in the statement text", async () => {
			const recorder = recording(connection.adapter);
			const local = lucia({ adapter: recorder.driver, env: "DEV" });
			const secret = `${SECRET} ${unique("bound")}`;
			const providerUserId = `${unique("bound")}@example.com`;
			const user = await local.createUser({ key: { providerId: "email", providerUserId, password: secret }, attributes: {} });
			await local.useKey("email", providerUserId, secret);
			const session = await local.createSession({ userId: user.userId, attributes: {} });
			await local.validateSession(session.sessionId);
			await local.updateKeyPassword("email", providerUserId, secret);
			await local.invalidateSession(session.sessionId);
			assert.ok(recorder.calls.length >= 6);
			for (const call of recorder.calls) {
				assert.ok(!call.text.includes(secret), call.text);
				assert.ok(!call.text.includes(session.sessionId), call.text);
				assert.ok(!call.text.includes(providerUserId), call.text);
				assert.match(call.text, /^select (\* from )?lucia_auth\.[a-z_]+\((\$\d::[a-z]+(::jsonb)?(, )?)*\)( as value)?$/);
			}
			assert.ok(recorder.calls.some((call) => call.params.includes(secret)));
			assert.ok(recorder.calls.some((call) => call.params.includes(session.sessionId)));
		});
	});
}

/** The backend of the driver's transaction object, read through it. */
const ownBackend = async (driverName, raw) => {
	if (driverName === "pg") return (await raw.query("select pg_backend_pid() as pid")).rows[0].pid;
	if (driverName === "postgres") return (await raw`select pg_backend_pid() as pid`)[0].pid;
	const { sql } = await import("drizzle-orm");
	const result = await raw.execute(sql`select pg_backend_pid() as pid`);
	return (Array.isArray(result) ? result : result.rows)[0].pid;
};

describe("hashed session ids (lucia_auth.session_id_storage = sha256)", () => {
	const HASHED = "lucia_auth_client_hashed";
	let connection;
	let auth;

	before(async () => {
		await freshDatabase(HASHED, { "lucia_auth.session_id_storage": "sha256" });
		connection = drivers.pg(HASHED);
		auth = lucia({ adapter: connection.adapter, env: "DEV", getSessionAttributes: (s) => ({ country: s.country }) });
	});

	after(() => connection?.close());

	it("hands out and takes the token; the table holds its digest; listed ids match by sessionIdMatches", async () => {
		const user = await auth.createUser({ key: null, attributes: {} });
		const mine = await auth.createSession({ userId: user.userId, attributes: { country: "NO" } });
		const other = await auth.createSession({ userId: user.userId, attributes: { country: "SE" } });
		assert.match(mine.sessionId, /^[a-z0-9]{40}$/);
		const stored = (await admin(`SELECT id FROM user_session WHERE user_id = '${user.userId}' ORDER BY country`, HASHED))[0]
			.rows.map((row) => row.id);
		assert.equal(stored.length, 2);
		for (const id of stored) assert.match(id, /^sha256\$[0-9a-f]{64}$/);
		assert.equal((await auth.validateSession(mine.sessionId)).sessionId, mine.sessionId);
		await makeIdle(HASHED, mine.sessionId);
		const renewed = await auth.validateSession(mine.sessionId);
		assert.equal(renewed.fresh, true);
		assert.equal(renewed.sessionId, mine.sessionId);

		const listed = await auth.getAllUserSessions(user.userId);
		assert.deepEqual(listed.map((s) => s.sessionId).sort(), [...stored].sort());
		const current = listed.filter((s) => sessionIdMatches(s.sessionId, mine.sessionId));
		assert.deepEqual(current.map((s) => s.country), ["NO"]);
		assert.equal(listed.filter((s) => sessionIdMatches(s.sessionId, other.sessionId)).length, 1);
		assert.equal(listed.filter((s) => sessionIdMatches(s.sessionId, "not-a-token")).length, 0);
		// A listed (stored) id never validates …
		for (const session of listed) await rejectsLucia(auth.validateSession(session.sessionId), "AUTH_INVALID_SESSION_ID", "28000");
		// … but signs that one session out.
		const otherListed = listed.find((s) => sessionIdMatches(s.sessionId, other.sessionId));
		await auth.invalidateSession(otherListed.sessionId);
		await rejectsLucia(auth.validateSession(other.sessionId), "AUTH_INVALID_SESSION_ID", "28000");
		assert.equal((await auth.validateSession(mine.sessionId)).sessionId, mine.sessionId);
	});

	it("converts sessions stored plain with hashSessionIds, keeping their tokens", async () => {
		const user = await auth.createUser({ key: null, attributes: {} });
		const plain = await auth.createSession({ userId: user.userId, attributes: {} });
		// A session from before the switch: stored as its token.
		await admin(
			`UPDATE user_session SET id = '${plain.sessionId}'
			  WHERE id = 'sha256$' || encode(sha256(convert_to('${plain.sessionId}', 'UTF8')), 'hex')`,
			HASHED
		);
		assert.equal((await auth.validateSession(plain.sessionId)).sessionId, plain.sessionId);
		assert.equal(await auth.hashSessionIds(10), 1);
		assert.equal(await auth.hashSessionIds(), 0);
		assert.equal((await auth.validateSession(plain.sessionId)).sessionId, plain.sessionId);
	});
});

describe("functions being added in 0.2.0", () => {
	let connection;
	let auth;

	before(() => {
		connection = drivers.pg(DATABASE);
		auth = lucia({ adapter: connection.adapter, env: "DEV" });
	});

	after(() => connection?.close());

	it("authenticate sets the identity of the transaction, current_user_id reads it", async (t) => {
		if (!(await hasFunction(DATABASE, "authenticate(text)"))) {
			t.skip("lucia_auth.authenticate is not in this build of lucia_auth");
			return;
		}
		const user = await auth.createUser({ key: null, attributes: {} });
		const session = await auth.createSession({ userId: user.userId, attributes: {} });
		assert.equal(await auth.currentUserId(), null);
		const seen = await auth.transaction(async (tx) => {
			const authenticated = await tx.authenticate(session.sessionId);
			assert.equal(authenticated.user.userId, user.userId);
			return tx.currentUserId();
		});
		assert.equal(seen, user.userId);
		// The identity ended with the transaction.
		assert.equal(await auth.transaction((tx) => tx.currentUserId()), null);
		await rejectsLucia(auth.authenticate("no-such-session"), "AUTH_INVALID_SESSION_ID", "28000");
	});

	it("useKey with a client identifier calls the four-argument use_key", async (t) => {
		const recorder = recording(connection.adapter);
		const local = lucia({ adapter: recorder.driver, env: "DEV" });
		const user = await local.createUser({
			key: { providerId: "email", providerUserId: `${unique("client")}@example.com`, password: SECRET },
			attributes: {}
		});
		const [key] = await local.getAllUserKeys(user.userId);
		await local.useKey("email", key.providerUserId, SECRET);
		assert.equal(recorder.calls.at(-1).name, "lucia_auth.use_key");
		if (!(await hasFunction(DATABASE, "use_key(text,text,text,text)"))) {
			t.skip("lucia_auth.use_key(text, text, text, text) is not in this build of lucia_auth");
			return;
		}
		assert.equal((await local.useKey("email", key.providerUserId, SECRET, "192.0.2.1")).userId, user.userId);
		assert.deepEqual(recorder.calls.at(-1).params, ["email", key.providerUserId, SECRET, "192.0.2.1"]);
		assert.match(recorder.calls.at(-1).text, /use_key\(\$1::text, \$2::text, \$3::text, \$4::text\)/);
		await rejectsLucia(local.useKey("email", key.providerUserId, "wrong", "192.0.2.1"), "AUTH_INVALID_PASSWORD", "28P01");
	});
});
