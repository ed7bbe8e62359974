// The interoperability cases. Each one writes through one side (Lucia with
// its PostgreSQL adapter, or the lucia_auth SQL functions called through
// Drizzle) and reads through the other, comparing values exactly.

import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, describe, it } from "node:test";
import { eq, sql } from "drizzle-orm";
import { generateLuciaPasswordHash, generateRandomString, validateLuciaPasswordHash } from "lucia/utils";
import {
	DEFAULT_ACTIVE_PERIOD,
	DEFAULT_IDLE_PERIOD,
	assertExpiries,
	createDatabase,
	eventually,
	fromLuciaSession,
	fromLuciaUser,
	openSide,
	rejectsWithLucia,
	seenSqlstates,
	sortBy
} from "./harness.js";
import { luciaAuth } from "./lucia-auth.js";

const S2_HASH = /^s2:[a-z0-9]{16}:[0-9a-f]{128}$/;

/** A Lucia v1 password hash (`salt:hex`, scrypt with r = 8), made without Lucia. */
export const luciaV1Hash = (password, salt = generateRandomString(16)) =>
	`${salt}:${crypto
		.scryptSync(password.normalize("NFKC"), salt, 64, { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 })
		.toString("hex")}`;

/** Cookie headers given to both readSessionCookie and read_session_cookie. */
export const cookieHeaders = [
	null,
	"",
	"auth_session=abc",
	"a=1; auth_session=abc; b=2",
	"  auth_session  =  abc  ; other=x",
	"auth_session=\tabc\t",
	"auth_session=\u00a0abc\u00a0",
	'auth_session="abc"',
	'auth_session="abc',
	'auth_session="',
	"auth_session=a%20b%3Bc%C3%A4",
	"auth_session=a+b",
	"auth_session=abc%",
	"auth_session=%E0%A4%A",
	"auth_session=%C3%28",
	"auth_session=%c3%a4%F0%9F%94%91",
	"auth_session=%ED%A0%80x",
	"auth_session=%C0%AF",
	"auth_session=%F4%90%80%80",
	"auth_session=a%2",
	"auth_session=\u3000abc\u3000",
	"\ufeffauth_session=abc",
	"auth_session=\u180eabc",
	"auth_session=abc\r\n",
	"auth_session=first; auth_session=second",
	"auth_session=",
	"auth_session=; auth_session=second",
	"other=1",
	"AUTH_SESSION=abc",
	"flag; auth_session=abc",
	"=x; auth_session=abc",
	";;auth_session=abc;;",
	"auth_session=abc=def",
	"auth_sessionx=1; xauth_session=2",
	"my_session=custom; auth_session=default"
];

/** Authorization headers given to both readBearerToken and read_bearer_token. */
export const authorizationHeaders = [
	null,
	"",
	"Bearer abc",
	"Bearer abc def",
	"Bearer",
	"Bearer ",
	"Bearer  abc",
	"Bearer abc ",
	"bearer abc",
	"BEARER abc",
	"Basic abc",
	" Bearer abc",
	"Bearer\tabc",
	"Bearer a:b=c%20",
	"Bearer abc\tdef",
	"Bearer\u00a0abc"
];

/** idle_expires values for cookie dates, in milliseconds since the epoch. */
export const cookieDates = [
	0, 1, 999, 1000, -1, -1500, 951782400000, 1700000000999, 4102444800000, 1e13, 253402300799999, 253402300800000
];

/**
 * Registers every case for one layout and one driver.
 * @param {{ database: string, layout: import("./layouts.js").Layout, driver: "pg" | "postgres-js" }} options
 */
export const defineCases = ({ database, layout, driver }) => {
	describe(`${layout.name} layout through ${driver}`, () => {
		/** @type {import("./harness.js").Side} */
		let side;
		let auth;
		let sqlAuth;
		let db;
		const tables = layout.tables;
		let counter = 0;
		const next = () => ++counter;
		const newUserId = () => generateRandomString(15);
		const newProviderUserId = () => `${generateRandomString(8)}@example.com`;

		before(async () => {
			await createDatabase(database, { ddl: layout.ddl, settings: layout.settings });
			side = openSide(driver, database, layout.luciaTables);
			({ auth, sqlAuth, db } = side);
		});

		after(async () => {
			await side?.close();
		});

		const sessionRow = async (sessionId) =>
			(await db.select().from(tables.session).where(eq(tables.session.id, sessionId)))[0];

		const keyRow = async (keyId) => (await db.select().from(tables.key).where(eq(tables.key.id, keyId)))[0];

		const setExpiries = async (sessionId, activeExpires, idleExpires) => {
			await db.update(tables.session).set({ activeExpires, idleExpires }).where(eq(tables.session.id, sessionId));
		};

		const makeIdle = (sessionId) => setExpiries(sessionId, Date.now() - 60_000, Date.now() + 60_000);

		const makeDead = (sessionId) => setExpiries(sessionId, Date.now() - 120_000, Date.now() - 60_000);

		const setHash = async (keyId, hashedPassword) => {
			await db.update(tables.key).set({ hashedPassword }).where(eq(tables.key.id, keyId));
		};

		const sqlUser = async (attributes = layout.userAttributes(next())) =>
			sqlAuth.createUser({ userId: newUserId(), attributes });

		// Users

		it("create_user is read by Lucia's getUser", async () => {
			const userId = newUserId();
			const attributes = layout.userAttributes(next());
			const created = await sqlAuth.createUser({ userId, attributes });
			assert.deepEqual(created, { userId, attributes });
			assert.deepEqual(fromLuciaUser(await auth.getUser(userId)), created);
			assert.deepEqual(await sqlAuth.getUser(userId), created);
			const rows = await db.select().from(tables.user).where(eq(tables.user.id, userId));
			assert.equal(rows.length, 1);
		});

		it("Lucia's createUser is read by get_user", async () => {
			const attributes = layout.userAttributes(next());
			const user = await auth.createUser({ key: null, attributes });
			assert.deepEqual(await sqlAuth.getUser(user.userId), fromLuciaUser(user));
			assert.deepEqual(await sqlAuth.getUser(user.userId), { userId: user.userId, attributes });
			const bare = await auth.createUser({ key: null, attributes: {} });
			assert.deepEqual(await sqlAuth.getUser(bare.userId), {
				userId: bare.userId,
				attributes: layout.emptyUserAttributes
			});
		});

		it("create_user without an id makes a 15-character a-z0-9 id, as Lucia does", async () => {
			const created = await sqlAuth.createUser({});
			assert.match(created.userId, /^[a-z0-9]{15}$/);
			assert.deepEqual(created.attributes, layout.emptyUserAttributes);
			assert.deepEqual(fromLuciaUser(await auth.getUser(created.userId)), created);
			const luciaMade = await auth.createUser({ key: null, attributes: {} });
			assert.match(luciaMade.userId, /^[a-z0-9]{15}$/);
			assert.notEqual(created.userId, (await sqlAuth.createUser({})).userId);
		});

		it("update_user_attributes and updateUserAttributes", async () => {
			const n = next();
			const user = await sqlUser(layout.userAttributes(n));
			const expected = { ...layout.userAttributes(n), ...layout.userAttributeUpdate(n) };
			const updated = await sqlAuth.updateUserAttributes(user.userId, layout.userAttributeUpdate(n));
			assert.deepEqual(updated, { userId: user.userId, attributes: expected });
			assert.deepEqual(fromLuciaUser(await auth.getUser(user.userId)), updated);

			const m = next();
			const luciaUpdated = await auth.updateUserAttributes(user.userId, layout.userAttributeUpdate(m));
			assert.deepEqual(await sqlAuth.getUser(user.userId), fromLuciaUser(luciaUpdated));
			assert.deepEqual((await sqlAuth.getUser(user.userId)).attributes, {
				...expected,
				...layout.userAttributeUpdate(m)
			});

			const cleared = Object.fromEntries(Object.keys(layout.userAttributeUpdate(m)).map((column) => [column, null]));
			const sqlCleared = await sqlAuth.updateUserAttributes(user.userId, cleared);
			assert.deepEqual(sqlCleared.attributes, { ...expected, ...layout.userAttributeUpdate(m), ...cleared });
			assert.deepEqual(fromLuciaUser(await auth.getUser(user.userId)), sqlCleared);
		});

		it("an attribute naming no column is an error on both sides and writes nothing", async () => {
			const userId = newUserId();
			await assert.rejects(sqlAuth.createUser({ userId, attributes: layout.unknownUserAttribute }));
			await rejectsWithLucia(sqlAuth.getUser(userId), "AUTH_INVALID_USER_ID");
			await assert.rejects(auth.createUser({ userId, key: null, attributes: layout.unknownUserAttribute }));
			await rejectsWithLucia(auth.getUser(userId), "AUTH_INVALID_USER_ID");

			const user = await sqlUser();
			await assert.rejects(sqlAuth.updateUserAttributes(user.userId, layout.unknownUserAttribute));
			await assert.rejects(auth.updateUserAttributes(user.userId, layout.unknownUserAttribute));
			assert.deepEqual(await sqlAuth.getUser(user.userId), user);
		});

		it("attributes naming Lucia's own columns never take effect on create", async () => {
			const user = await sqlUser();
			const userId = newUserId();
			const luciaUser = await auth.createUser({ userId, key: null, attributes: { id: "ignored" } });
			assert.equal(luciaUser.userId, userId);
			await rejectsWithLucia(auth.getUser("ignored"), "AUTH_INVALID_USER_ID");
			const sqlUserId = newUserId();
			await sqlAuth.createUser({ userId: sqlUserId, attributes: { id: "ignored" } }).then(
				(created) => assert.equal(created.userId, sqlUserId),
				(error) => assert.doesNotMatch(error.message, /^AUTH_/)
			);
			await rejectsWithLucia(sqlAuth.getUser("ignored"), "AUTH_INVALID_USER_ID");

			const reserved = { id: "forged", user_id: "someone", active_expires: 1, idle_expires: 9e15 };
			const luciaSession = await auth.createSession({ userId: user.userId, attributes: reserved });
			assert.notEqual(luciaSession.sessionId, "forged");
			assert.ok(luciaSession.idlePeriodExpiresAt.getTime() < Date.now() + 16 * 24 * 60 * 60 * 1000);
			await sqlAuth.createSession({ userId: user.userId, attributes: reserved }).then(
				(created) => {
					assert.notEqual(created.sessionId, "forged");
					assert.equal(created.userId, user.userId);
					assert.equal(created.idleExpires - created.activeExpires, DEFAULT_IDLE_PERIOD);
				},
				(error) => assert.doesNotMatch(error.message, /^AUTH_/)
			);
			const sessions = await sqlAuth.getAllUserSessions(user.userId);
			assert.ok(sessions.every((session) => session.sessionId !== "forged" && session.idleExpires < 9e15));
		});

		it("delete_user removes the user's sessions, keys and the user, as deleteUser does", async () => {
			for (const deleter of ["sql", "lucia"]) {
				const user = await sqlUser();
				const providerUserId = newProviderUserId();
				await sqlAuth.createKey({ userId: user.userId, providerId: "github", providerUserId, password: null });
				const sessions = [
					await sqlAuth.createSession({ userId: user.userId }),
					await auth.createSession({ userId: user.userId, attributes: {} })
				];
				const other = await sqlUser();
				const otherSession = await sqlAuth.createSession({ userId: other.userId });
				if (deleter === "sql") {
					await sqlAuth.deleteUser(user.userId);
				} else {
					await auth.deleteUser(user.userId);
				}
				await rejectsWithLucia(auth.getUser(user.userId), "AUTH_INVALID_USER_ID");
				await rejectsWithLucia(sqlAuth.getUser(user.userId), "AUTH_INVALID_USER_ID");
				await rejectsWithLucia(auth.getKey("github", providerUserId), "AUTH_INVALID_KEY_ID");
				await rejectsWithLucia(sqlAuth.getKey("github", providerUserId), "AUTH_INVALID_KEY_ID");
				for (const session of sessions) {
					const sessionId = session.sessionId;
					await rejectsWithLucia(auth.validateSession(sessionId), "AUTH_INVALID_SESSION_ID");
					await rejectsWithLucia(sqlAuth.validateSession(sessionId), "AUTH_INVALID_SESSION_ID");
					assert.equal(await sessionRow(sessionId), undefined);
				}
				assert.equal((await sqlAuth.validateSession(otherSession.sessionId)).userId, other.userId);
			}
			const missing = newUserId();
			await auth.deleteUser(missing);
			await sqlAuth.deleteUser(missing);
		});

		it("a missing user is AUTH_INVALID_USER_ID on both sides", async () => {
			const userId = newUserId();
			await rejectsWithLucia(auth.getUser(userId), "AUTH_INVALID_USER_ID");
			await rejectsWithLucia(sqlAuth.getUser(userId), "AUTH_INVALID_USER_ID");
			await rejectsWithLucia(auth.createSession({ userId, attributes: {} }), "AUTH_INVALID_USER_ID");
			await rejectsWithLucia(sqlAuth.createSession({ userId }), "AUTH_INVALID_USER_ID");
			const keyArgs = { userId, providerId: "email", providerUserId: newProviderUserId(), password: null };
			await rejectsWithLucia(auth.createKey(keyArgs), "AUTH_INVALID_USER_ID");
			await rejectsWithLucia(sqlAuth.createKey(keyArgs), "AUTH_INVALID_USER_ID");
			await rejectsWithLucia(auth.getAllUserKeys(userId), "AUTH_INVALID_USER_ID");
			await rejectsWithLucia(sqlAuth.getAllUserKeys(userId), "AUTH_INVALID_USER_ID");
			await rejectsWithLucia(auth.getAllUserSessions(userId), "AUTH_INVALID_USER_ID");
			await rejectsWithLucia(sqlAuth.getAllUserSessions(userId), "AUTH_INVALID_USER_ID");
			await rejectsWithLucia(auth.getUser(null), "AUTH_INVALID_USER_ID");
			await rejectsWithLucia(sqlAuth.getUser(null), "AUTH_INVALID_USER_ID");
			await rejectsWithLucia(auth.getAllUserKeys(null), "AUTH_INVALID_USER_ID");
			await rejectsWithLucia(sqlAuth.getAllUserKeys(null), "AUTH_INVALID_USER_ID");
			const update = layout.userAttributeUpdate(next());
			await rejectsWithLucia(auth.updateUserAttributes(userId, update), "AUTH_INVALID_USER_ID");
			await rejectsWithLucia(sqlAuth.updateUserAttributes(userId, update), "AUTH_INVALID_USER_ID");
			await rejectsWithLucia(auth.getUser(userId), "AUTH_INVALID_USER_ID");
		});

		// Keys

		it("password keys: create_user's key is used by Lucia's useKey, and the other way round", async () => {
			const providerUserId = newProviderUserId();
			const user = await sqlAuth.createUser({
				userId: newUserId(),
				key: { providerId: "email", providerUserId, password: "hunter2" },
				attributes: layout.userAttributes(next())
			});
			const expected = { providerId: "email", providerUserId, userId: user.userId, passwordDefined: true };
			assert.match((await keyRow(`email:${providerUserId}`)).hashedPassword, S2_HASH);
			assert.deepEqual(await auth.useKey("email", providerUserId, "hunter2"), expected);
			assert.deepEqual(await sqlAuth.useKey("email", providerUserId, "hunter2"), expected);
			await rejectsWithLucia(auth.useKey("email", providerUserId, "hunter3"), "AUTH_INVALID_PASSWORD");
			await rejectsWithLucia(sqlAuth.useKey("email", providerUserId, "Hunter2"), "AUTH_INVALID_PASSWORD");

			const otherProviderUserId = newProviderUserId();
			const luciaUser = await auth.createUser({
				key: { providerId: "email", providerUserId: otherProviderUserId, password: "correct horse" },
				attributes: layout.userAttributes(next())
			});
			assert.deepEqual(await sqlAuth.getUser(luciaUser.userId), fromLuciaUser(luciaUser));
			assert.deepEqual(await sqlAuth.useKey("email", otherProviderUserId, "correct horse"), {
				providerId: "email",
				providerUserId: otherProviderUserId,
				userId: luciaUser.userId,
				passwordDefined: true
			});
			await rejectsWithLucia(sqlAuth.useKey("email", otherProviderUserId, "correct horse "), "AUTH_INVALID_PASSWORD");
		});

		it("keys without a password: NULL only, as in Lucia", async () => {
			const user = await sqlUser();
			const providerUserId = newProviderUserId();
			const expected = { providerId: "github", providerUserId, userId: user.userId, passwordDefined: false };
			assert.deepEqual(
				await sqlAuth.createKey({ userId: user.userId, providerId: "github", providerUserId, password: null }),
				expected
			);
			assert.equal((await keyRow(`github:${providerUserId}`)).hashedPassword, null);
			assert.deepEqual(await auth.getKey("github", providerUserId), expected);
			assert.deepEqual(await auth.useKey("github", providerUserId, null), expected);
			assert.deepEqual(await sqlAuth.useKey("github", providerUserId, null), expected);
			for (const password of ["x", ""]) {
				await rejectsWithLucia(auth.useKey("github", providerUserId, password), "AUTH_INVALID_PASSWORD");
				await rejectsWithLucia(sqlAuth.useKey("github", providerUserId, password), "AUTH_INVALID_PASSWORD");
			}

			const luciaProviderUserId = newProviderUserId();
			const luciaKey = await auth.createKey({
				userId: user.userId,
				providerId: "google",
				providerUserId: luciaProviderUserId,
				password: null
			});
			assert.deepEqual(await sqlAuth.getKey("google", luciaProviderUserId), luciaKey);
			assert.deepEqual(await sqlAuth.useKey("google", luciaProviderUserId, null), luciaKey);
		});

		it("a password key refuses a NULL or empty password on both sides", async () => {
			const user = await sqlUser();
			const providerUserId = newProviderUserId();
			await sqlAuth.createKey({ userId: user.userId, providerId: "email", providerUserId, password: "secret" });
			for (const password of [null, ""]) {
				await rejectsWithLucia(auth.useKey("email", providerUserId, password), "AUTH_INVALID_PASSWORD");
				await rejectsWithLucia(sqlAuth.useKey("email", providerUserId, password), "AUTH_INVALID_PASSWORD");
			}
		});

		it("get_key and get_all_user_keys match getKey and getAllUserKeys, colons included", async () => {
			const user = await sqlUser();
			const made = [
				await sqlAuth.createKey({ userId: user.userId, providerId: "oidc", providerUserId: "a:b:c", password: null }),
				await sqlAuth.createKey({ userId: user.userId, providerId: "empty", providerUserId: "", password: null }),
				await auth.createKey({ userId: user.userId, providerId: "", providerUserId: "no provider", password: null }),
				await auth.createKey({ userId: user.userId, providerId: "email", providerUserId: newProviderUserId(), password: "pw" })
			];
			assert.deepEqual(made[0], { providerId: "oidc", providerUserId: "a:b:c", userId: user.userId, passwordDefined: false });
			assert.equal((await keyRow("oidc:a:b:c")).userId, user.userId);
			const byId = (key) => `${key.providerId}:${key.providerUserId}`;
			const fromSql = sortBy(await sqlAuth.getAllUserKeys(user.userId), byId);
			const fromLucia = sortBy(await auth.getAllUserKeys(user.userId), byId);
			assert.deepEqual(fromSql, fromLucia);
			assert.deepEqual(fromSql, sortBy(made, byId));
			for (const key of made) {
				assert.deepEqual(await sqlAuth.getKey(key.providerId, key.providerUserId), key);
				assert.deepEqual(await auth.getKey(key.providerId, key.providerUserId), key);
			}
			const keyless = await sqlUser();
			assert.deepEqual(await sqlAuth.getAllUserKeys(keyless.userId), []);
			assert.deepEqual(await auth.getAllUserKeys(keyless.userId), []);
		});

		it("update_key_password and updateKeyPassword", async () => {
			const user = await sqlUser();
			const providerUserId = newProviderUserId();
			await sqlAuth.createKey({ userId: user.userId, providerId: "email", providerUserId, password: "old password" });
			const withPassword = { providerId: "email", providerUserId, userId: user.userId, passwordDefined: true };
			assert.deepEqual(await sqlAuth.updateKeyPassword("email", providerUserId, "new password"), withPassword);
			assert.deepEqual(await auth.useKey("email", providerUserId, "new password"), withPassword);
			await rejectsWithLucia(auth.useKey("email", providerUserId, "old password"), "AUTH_INVALID_PASSWORD");

			assert.deepEqual(await auth.updateKeyPassword("email", providerUserId, "newer password"), withPassword);
			assert.deepEqual(await sqlAuth.useKey("email", providerUserId, "newer password"), withPassword);
			await rejectsWithLucia(sqlAuth.useKey("email", providerUserId, "new password"), "AUTH_INVALID_PASSWORD");

			const withoutPassword = { ...withPassword, passwordDefined: false };
			assert.deepEqual(await sqlAuth.updateKeyPassword("email", providerUserId, null), withoutPassword);
			assert.equal((await keyRow(`email:${providerUserId}`)).hashedPassword, null);
			assert.deepEqual(await auth.getKey("email", providerUserId), withoutPassword);
			assert.deepEqual(await auth.useKey("email", providerUserId, null), withoutPassword);
			await sqlAuth.updateKeyPassword("email", providerUserId, "again");
			assert.deepEqual(await auth.updateKeyPassword("email", providerUserId, null), withoutPassword);
			assert.deepEqual(await sqlAuth.getKey("email", providerUserId), withoutPassword);
			assert.deepEqual(await sqlAuth.useKey("email", providerUserId, null), withoutPassword);

			const missing = newProviderUserId();
			await rejectsWithLucia(auth.updateKeyPassword("email", missing, null), "AUTH_INVALID_KEY_ID");
			await rejectsWithLucia(sqlAuth.updateKeyPassword("email", missing, null), "AUTH_INVALID_KEY_ID");
		});

		it("delete_key and deleteKey", async () => {
			const user = await sqlUser();
			const [a, b] = [newProviderUserId(), newProviderUserId()];
			await sqlAuth.createKey({ userId: user.userId, providerId: "email", providerUserId: a, password: null });
			await auth.createKey({ userId: user.userId, providerId: "email", providerUserId: b, password: null });
			await sqlAuth.deleteKey("email", b);
			await rejectsWithLucia(auth.getKey("email", b), "AUTH_INVALID_KEY_ID");
			await auth.deleteKey("email", a);
			await rejectsWithLucia(sqlAuth.getKey("email", a), "AUTH_INVALID_KEY_ID");
			assert.deepEqual(await sqlAuth.getAllUserKeys(user.userId), []);
			assert.deepEqual(await sqlAuth.getUser(user.userId), user);
			await sqlAuth.deleteKey("email", a);
			await auth.deleteKey("email", a);
		});

		it("duplicate key ids are AUTH_DUPLICATE_KEY_ID and leave nothing behind", async () => {
			const user = await sqlUser();
			const [a, b] = [newProviderUserId(), newProviderUserId()];
			await auth.createKey({ userId: user.userId, providerId: "email", providerUserId: a, password: null });
			await sqlAuth.createKey({ userId: user.userId, providerId: "email", providerUserId: b, password: null });
			const other = await sqlUser();
			await rejectsWithLucia(
				sqlAuth.createKey({ userId: other.userId, providerId: "email", providerUserId: a, password: null }),
				"AUTH_DUPLICATE_KEY_ID"
			);
			await rejectsWithLucia(
				auth.createKey({ userId: other.userId, providerId: "email", providerUserId: b, password: null }),
				"AUTH_DUPLICATE_KEY_ID"
			);
			const [sqlUserId, luciaUserId] = [newUserId(), newUserId()];
			await rejectsWithLucia(
				sqlAuth.createUser({
					userId: sqlUserId,
					key: { providerId: "email", providerUserId: a, password: null },
					attributes: layout.userAttributes(next())
				}),
				"AUTH_DUPLICATE_KEY_ID"
			);
			await rejectsWithLucia(
				auth.createUser({
					userId: luciaUserId,
					key: { providerId: "email", providerUserId: b, password: null },
					attributes: layout.userAttributes(next())
				}),
				"AUTH_DUPLICATE_KEY_ID"
			);
			for (const userId of [sqlUserId, luciaUserId]) {
				await rejectsWithLucia(sqlAuth.getUser(userId), "AUTH_INVALID_USER_ID");
				await rejectsWithLucia(auth.getUser(userId), "AUTH_INVALID_USER_ID");
			}
			assert.equal((await sqlAuth.getKey("email", a)).userId, user.userId);
			assert.equal((await auth.getKey("email", b)).userId, user.userId);
			assert.deepEqual(await sqlAuth.getAllUserKeys(other.userId), []);
		});

		it("a missing key is AUTH_INVALID_KEY_ID on both sides", async () => {
			const missing = newProviderUserId();
			for (const password of [null, "password"]) {
				await rejectsWithLucia(auth.useKey("email", missing, password), "AUTH_INVALID_KEY_ID");
				await rejectsWithLucia(sqlAuth.useKey("email", missing, password), "AUTH_INVALID_KEY_ID");
			}
			await rejectsWithLucia(auth.getKey("email", missing), "AUTH_INVALID_KEY_ID");
			await rejectsWithLucia(sqlAuth.getKey("email", missing), "AUTH_INVALID_KEY_ID");
		});

		it("a provider id containing ':' is refused on both sides", async () => {
			const user = await sqlUser();
			const colon = { userId: user.userId, providerId: "a:b", providerUserId: "c", password: null };
			await assert.rejects(auth.createKey(colon), TypeError);
			await assert.rejects(auth.getKey("a:b", "c"), TypeError);
			await assert.rejects(auth.useKey("a:b", "c", null), TypeError);
			for (const call of [
				() => sqlAuth.createKey(colon),
				() => sqlAuth.getKey("a:b", "c"),
				() => sqlAuth.useKey("a:b", "c", null),
				() =>
					sqlAuth.createUser({
						userId: newUserId(),
						key: { providerId: "a:b", providerUserId: "c", password: null }
					})
			]) {
				await assert.rejects(call(), (error) => {
					assert.equal(error.code, "22023", `${error.code}: ${error.message}`);
					return true;
				});
			}
			await rejectsWithLucia(sqlAuth.getKey("a", "b:c"), "AUTH_INVALID_KEY_ID");
		});

		it("a stored empty hash counts as no password defined, as Lucia's !!hashed_password", async () => {
			const user = await sqlUser();
			const providerUserId = newProviderUserId();
			await sqlAuth.createKey({ userId: user.userId, providerId: "email", providerUserId, password: null });
			await setHash(`email:${providerUserId}`, "");
			const luciaKey = await auth.getKey("email", providerUserId);
			assert.equal(luciaKey.passwordDefined, false);
			assert.deepEqual(await sqlAuth.getKey("email", providerUserId), luciaKey);
			for (const password of [null, "", "x"]) {
				await rejectsWithLucia(auth.useKey("email", providerUserId, password), "AUTH_INVALID_PASSWORD");
				await rejectsWithLucia(sqlAuth.useKey("email", providerUserId, password), "AUTH_INVALID_PASSWORD");
			}
		});

		// Password hashes

		it("hash_password makes Lucia's s2 hash, byte for byte in derivation", async () => {
			const password = "pässwörd✓";
			const hash = await sqlAuth.hashPassword(password);
			assert.match(hash, S2_HASH);
			const [, salt, key] = hash.split(":");
			const expected = crypto
				.scryptSync(password.normalize("NFKC"), salt, 64, { N: 16384, r: 16, p: 1, maxmem: 64 * 1024 * 1024 })
				.toString("hex");
			assert.equal(key, expected);
			assert.equal(await validateLuciaPasswordHash(password, hash), true);
			assert.equal(await validateLuciaPasswordHash("passwörd✓", hash), false);
			assert.notEqual(await sqlAuth.hashPassword(password), hash);
			assert.equal(await sqlAuth.passwordNeedsRehash(hash), false);

			const luciaHash = await generateLuciaPasswordHash(password);
			assert.equal(await sqlAuth.verifyPassword(password, luciaHash), true);
			assert.equal(await sqlAuth.verifyPassword("pässwörd", luciaHash), false);
			assert.equal(await sqlAuth.passwordNeedsRehash(luciaHash), false);
		});

		it("non-ASCII passwords through keys, both ways", async () => {
			const user = await sqlUser();
			const [a, b] = [newProviderUserId(), newProviderUserId()];
			await sqlAuth.createKey({ userId: user.userId, providerId: "email", providerUserId: a, password: "pässwörd✓" });
			assert.equal((await auth.useKey("email", a, "pässwörd✓")).providerUserId, a);
			await auth.createKey({ userId: user.userId, providerId: "email", providerUserId: b, password: "пароль 密码 🔑" });
			assert.equal((await sqlAuth.useKey("email", b, "пароль 密码 🔑")).providerUserId, b);
			await rejectsWithLucia(sqlAuth.useKey("email", b, "пароль 密码 🔒"), "AUTH_INVALID_PASSWORD");
		});

		it("NFKC-equivalent spellings verify on both sides", async () => {
			const ligature = await sqlAuth.hashPassword("\ufb01nance x\u00b2");
			assert.equal(await validateLuciaPasswordHash("finance x2", ligature), true);
			const angstrom = await generateLuciaPasswordHash("\u212bngstr\u00f6m");
			assert.equal(await sqlAuth.verifyPassword("\u00c5ngstr\u00f6m", angstrom), true);
			assert.equal(await sqlAuth.verifyPassword("A\u030angstro\u0308m", angstrom), true);
			assert.equal(await sqlAuth.verifyPassword("Angstrom", angstrom), false);
			const bold = await sqlAuth.hashPassword("\u{1d429}\u{1d41a}\u{1d42c}\u{1d42c} \u1100\u1161");
			assert.equal(await validateLuciaPasswordHash("pass \uac00", bold), true);
		});

		it("the empty password: hashed when set, never accepted by use_key, as in Lucia", async () => {
			const user = await sqlUser();
			const [a, b] = [newProviderUserId(), newProviderUserId()];
			const luciaCreated = await auth.createKey({ userId: user.userId, providerId: "email", providerUserId: a, password: "" });
			const sqlCreated = await sqlAuth.createKey({ userId: user.userId, providerId: "email", providerUserId: b, password: "" });
			const luciaHash = (await keyRow(`email:${a}`)).hashedPassword;
			const sqlHash = (await keyRow(`email:${b}`)).hashedPassword;
			assert.match(luciaHash, S2_HASH);
			assert.match(sqlHash, S2_HASH);
			assert.equal(await validateLuciaPasswordHash("", sqlHash), true);
			assert.equal(await sqlAuth.verifyPassword("", luciaHash), true);
			const luciaRead = await auth.getKey("email", b);
			assert.equal(luciaRead.passwordDefined, true);
			assert.deepEqual(await sqlAuth.getKey("email", b), luciaRead);
			assert.deepEqual(await sqlAuth.getKey("email", a), await auth.getKey("email", a));
			for (const providerUserId of [a, b]) {
				for (const password of ["", null]) {
					await rejectsWithLucia(auth.useKey("email", providerUserId, password), "AUTH_INVALID_PASSWORD");
					await rejectsWithLucia(sqlAuth.useKey("email", providerUserId, password), "AUTH_INVALID_PASSWORD");
				}
			}
			const emptyUser = await sqlAuth.createUser({
				userId: newUserId(),
				key: { providerId: "username", providerUserId: newProviderUserId(), password: "" }
			});
			assert.equal((await auth.getAllUserKeys(emptyUser.userId))[0].passwordDefined, true);
			// Lucia's createKey reports `passwordDefined: !!password` for the new key.
			assert.equal(luciaCreated.passwordDefined, false);
			assert.equal(sqlCreated.passwordDefined, luciaCreated.passwordDefined);
		});

		it("a 10,000-character password, both ways", async () => {
			const password = "pässwörd✓ ".repeat(1000);
			assert.equal(password.length, 10_000);
			const user = await sqlUser();
			const [a, b] = [newProviderUserId(), newProviderUserId()];
			await sqlAuth.createKey({ userId: user.userId, providerId: "email", providerUserId: a, password });
			assert.equal((await auth.useKey("email", a, password)).providerUserId, a);
			await auth.createKey({ userId: user.userId, providerId: "email", providerUserId: b, password });
			assert.equal((await sqlAuth.useKey("email", b, password)).providerUserId, b);
			await rejectsWithLucia(sqlAuth.useKey("email", b, `${password.slice(0, -1)}!`), "AUTH_INVALID_PASSWORD");
		});

		it("Lucia v1 salt:hex hashes are accepted by use_key and verify_password", async () => {
			const password = "legacy pässword";
			const v1 = luciaV1Hash(password);
			assert.equal(await validateLuciaPasswordHash(password, v1), true);
			const user = await sqlUser();
			const providerUserId = newProviderUserId();
			await sqlAuth.createKey({ userId: user.userId, providerId: "email", providerUserId, password: null });
			await setHash(`email:${providerUserId}`, v1);
			const expected = { providerId: "email", providerUserId, userId: user.userId, passwordDefined: true };
			assert.deepEqual(await sqlAuth.getKey("email", providerUserId), expected);
			assert.deepEqual(await sqlAuth.useKey("email", providerUserId, password), expected);
			assert.deepEqual(await auth.useKey("email", providerUserId, password), expected);
			await rejectsWithLucia(sqlAuth.useKey("email", providerUserId, "legacy password"), "AUTH_INVALID_PASSWORD");
			assert.equal(await sqlAuth.verifyPassword(password, v1), true);
			assert.equal(await sqlAuth.passwordNeedsRehash(v1), true);
			const ligature = luciaV1Hash("\ufb01sh");
			assert.equal(await sqlAuth.verifyPassword("fish", ligature), true);
			assert.equal(await validateLuciaPasswordHash("fish", ligature), true);
			const [v1Salt, v1Key] = v1.split(":");
			assert.equal(await sqlAuth.verifyPassword(password, `${v1Salt}:${v1Key.toUpperCase()}`), false);
		});

		it("any salt Lucia accepts: v1 salt 's2', salts outside a-z0-9", async () => {
			const password = "salty";
			const cases = [
				luciaV1Hash(password, "s2"),
				luciaV1Hash(password, "ÄÖ!@#$%^&*()_+ ✓"),
				luciaV1Hash(password, ""),
				`s2:${"Ä$ x"}:${crypto
					.scryptSync(password, "Ä$ x", 64, { N: 16384, r: 16, p: 1, maxmem: 64 * 1024 * 1024 })
					.toString("hex")}`
			];
			const results = [];
			for (const hash of cases) {
				results.push({
					hash: hash.slice(0, 24),
					lucia: await validateLuciaPasswordHash(password, hash),
					sql: await sqlAuth.verifyPassword(password, hash)
				});
			}
			assert.deepEqual(
				results.map((r) => r.lucia),
				cases.map(() => true)
			);
			assert.deepEqual(
				results.map((r) => r.sql),
				results.map((r) => r.lucia),
				JSON.stringify(results)
			);
		});

		it("bcrypt ($2a) hashes are AUTH_OUTDATED_PASSWORD; other strings never verify", async () => {
			const bcrypt = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
			await rejectsWithLucia(validateLuciaPasswordHash("password", bcrypt), "AUTH_OUTDATED_PASSWORD");
			await rejectsWithLucia(sqlAuth.verifyPassword("password", bcrypt), "AUTH_OUTDATED_PASSWORD");
			const user = await sqlUser();
			const providerUserId = newProviderUserId();
			await sqlAuth.createKey({ userId: user.userId, providerId: "email", providerUserId, password: null });
			await setHash(`email:${providerUserId}`, bcrypt);
			await rejectsWithLucia(auth.useKey("email", providerUserId, "password"), "AUTH_OUTDATED_PASSWORD");
			await rejectsWithLucia(sqlAuth.useKey("email", providerUserId, "password"), "AUTH_OUTDATED_PASSWORD");

			const goodS2 = await generateLuciaPasswordHash("password");
			const [, salt, key] = goodS2.split(":");
			const others = [
				"password",
				"$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
				"$argon2i$v=19$m=16,t=2,p=1$c2FsdHNhbHQ$sQ+GvJ0pMnMOSHbzFd3V3A",
				`s3:${salt}:${key}`,
				`s2:${salt}:${key}:`,
				`s2:${salt}:${key.toUpperCase()}`,
				`s2:${salt}:${key.slice(0, -2)}`,
				`${salt}:${key}`,
				"s2::",
				"a:b:c:d"
			];
			for (const hash of others) {
				assert.equal(await validateLuciaPasswordHash("password", hash), false, hash);
				assert.equal(await sqlAuth.verifyPassword("password", hash), false, hash);
			}
			await setHash(`email:${providerUserId}`, others[1]);
			await rejectsWithLucia(auth.useKey("email", providerUserId, "password"), "AUTH_INVALID_PASSWORD");
			await rejectsWithLucia(sqlAuth.useKey("email", providerUserId, "password"), "AUTH_INVALID_PASSWORD");
		});

		it("Argon2id hashes verify in lucia_auth; Lucia v2 takes them for a wrong password", async () => {
			const user = await sqlUser();
			const providerUserId = newProviderUserId();
			const password = "pässwörd✓ argon";
			await db.transaction(async (tx) => {
				await tx.execute(sql`set local lucia_auth.password_hash = 'argon2id'`);
				await luciaAuth(tx).createKey({ userId: user.userId, providerId: "email", providerUserId, password });
			});
			const hash = (await keyRow(`email:${providerUserId}`)).hashedPassword;
			assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
			assert.equal(await sqlAuth.verifyPassword(password, hash), true);
			assert.equal(await sqlAuth.verifyPassword(`${password}!`, hash), false);
			assert.equal(await sqlAuth.passwordNeedsRehash(hash), true);
			assert.deepEqual(await sqlAuth.useKey("email", providerUserId, password), {
				providerId: "email",
				providerUserId,
				userId: user.userId,
				passwordDefined: true
			});
			assert.equal(await validateLuciaPasswordHash(password, hash), false);
			await rejectsWithLucia(auth.useKey("email", providerUserId, password), "AUTH_INVALID_PASSWORD");
		});

		// Sessions

		it("create_session is validated by Lucia's validateSession", async () => {
			const n = next();
			const user = await sqlUser();
			const before = Date.now();
			const created = await sqlAuth.createSession({ userId: user.userId, attributes: layout.sessionAttributes(n) });
			const after = Date.now();
			assert.match(created.sessionId, /^[a-z0-9]{40}$/);
			assertExpiries(created, before, after, DEFAULT_ACTIVE_PERIOD, DEFAULT_IDLE_PERIOD);
			assert.deepEqual(created, {
				sessionId: created.sessionId,
				userId: user.userId,
				activeExpires: created.activeExpires,
				idleExpires: created.idleExpires,
				state: "active",
				fresh: false,
				userAttributes: user.attributes,
				sessionAttributes: layout.sessionAttributes(n)
			});
			assert.deepEqual(fromLuciaSession(await auth.validateSession(created.sessionId)), created);
			assert.deepEqual(fromLuciaSession(await auth.getSession(created.sessionId)), created);
			assert.deepEqual(await sqlAuth.validateSession(created.sessionId), created);
			assert.deepEqual(await sqlAuth.getSession(created.sessionId), created);
			const row = await sessionRow(created.sessionId);
			assert.equal(row.activeExpires, created.activeExpires);
			assert.equal(row.idleExpires, created.idleExpires);
			assert.equal(row.userId, user.userId);
		});

		it("Lucia's createSession is validated by validate_session", async () => {
			const n = next();
			const user = await sqlUser();
			const session = await auth.createSession({ userId: user.userId, attributes: layout.sessionAttributes(n) });
			const expected = fromLuciaSession(session);
			assert.deepEqual(await sqlAuth.validateSession(session.sessionId), expected);
			assert.deepEqual(await sqlAuth.getSession(session.sessionId), expected);
			const bare = await auth.createSession({ userId: user.userId, attributes: {} });
			assert.deepEqual((await sqlAuth.validateSession(bare.sessionId)).sessionAttributes, layout.emptySessionAttributes);
			assert.deepEqual(
				(await sqlAuth.createSession({ userId: user.userId })).sessionAttributes,
				layout.emptySessionAttributes
			);
		});

		it("custom session ids, both ways", async () => {
			const user = await sqlUser();
			const sqlId = `custom ${generateRandomString(8)}/ä+;=,"`;
			const created = await sqlAuth.createSession({ userId: user.userId, sessionId: sqlId });
			assert.equal(created.sessionId, sqlId);
			assert.deepEqual(fromLuciaSession(await auth.validateSession(sqlId)), created);
			const luciaId = `lucia-${generateRandomString(20)}`;
			const session = await auth.createSession({ userId: user.userId, sessionId: luciaId, attributes: {} });
			assert.equal(session.sessionId, luciaId);
			assert.deepEqual(await sqlAuth.validateSession(luciaId), fromLuciaSession(await auth.getSession(luciaId)));
		});

		it("idle sessions: get_session reads, validate_session renews like validateSession", async () => {
			const user = await sqlUser();
			const n = next();
			const a = await sqlAuth.createSession({ userId: user.userId, attributes: layout.sessionAttributes(n) });
			await makeIdle(a.sessionId);
			const idle = await sqlAuth.getSession(a.sessionId);
			assert.equal(idle.state, "idle");
			assert.equal(idle.fresh, false);
			assert.deepEqual(fromLuciaSession(await auth.getSession(a.sessionId)), idle);
			assert.deepEqual(await sqlAuth.getSession(a.sessionId), idle);

			const b = await sqlAuth.createSession({ userId: user.userId, attributes: layout.sessionAttributes(n) });
			await makeIdle(b.sessionId);
			const before = Date.now();
			const luciaRenewed = await auth.validateSession(b.sessionId);
			const sqlRenewed = await sqlAuth.validateSession(a.sessionId);
			const after = Date.now();
			assert.equal(sqlRenewed.fresh, true);
			assert.equal(luciaRenewed.fresh, true);
			assertExpiries(sqlRenewed, before, after, DEFAULT_ACTIVE_PERIOD, DEFAULT_IDLE_PERIOD);
			assertExpiries(fromLuciaSession(luciaRenewed), before, after, DEFAULT_ACTIVE_PERIOD, DEFAULT_IDLE_PERIOD);
			assert.deepEqual(
				{ ...sqlRenewed, sessionId: null, activeExpires: null, idleExpires: null },
				{ ...fromLuciaSession(luciaRenewed), sessionId: null, activeExpires: null, idleExpires: null }
			);
			const aRow = await sessionRow(a.sessionId);
			assert.deepEqual([aRow.activeExpires, aRow.idleExpires], [sqlRenewed.activeExpires, sqlRenewed.idleExpires]);

			const afterSql = fromLuciaSession(await auth.validateSession(a.sessionId));
			assert.deepEqual(afterSql, { ...sqlRenewed, state: "active", fresh: false });
			const afterLucia = await sqlAuth.validateSession(b.sessionId);
			assert.deepEqual(afterLucia, { ...fromLuciaSession(luciaRenewed), state: "active", fresh: false });
		});

		it("dead sessions, missing, empty and NULL ids are AUTH_INVALID_SESSION_ID", async () => {
			const user = await sqlUser();
			const session = await sqlAuth.createSession({ userId: user.userId });
			await makeDead(session.sessionId);
			for (const id of [session.sessionId, generateRandomString(40), "", null]) {
				await rejectsWithLucia(auth.validateSession(id), "AUTH_INVALID_SESSION_ID");
				await rejectsWithLucia(sqlAuth.validateSession(id), "AUTH_INVALID_SESSION_ID");
				await rejectsWithLucia(auth.getSession(id), "AUTH_INVALID_SESSION_ID");
				await rejectsWithLucia(sqlAuth.getSession(id), "AUTH_INVALID_SESSION_ID");
			}
		});

		it("a session whose user row is missing is AUTH_INVALID_SESSION_ID", async () => {
			const sessionId = generateRandomString(40);
			const userId = newUserId();
			await db.transaction(async (tx) => {
				await tx.execute(sql`set local session_replication_role = replica`);
				await tx.insert(tables.session).values({
					id: sessionId,
					userId,
					activeExpires: Date.now() + 60_000,
					idleExpires: Date.now() + 120_000
				});
			});
			await rejectsWithLucia(auth.validateSession(sessionId), "AUTH_INVALID_SESSION_ID");
			await rejectsWithLucia(sqlAuth.validateSession(sessionId), "AUTH_INVALID_SESSION_ID");
			await rejectsWithLucia(auth.getSession(sessionId), "AUTH_INVALID_SESSION_ID");
			await rejectsWithLucia(sqlAuth.getSession(sessionId), "AUTH_INVALID_SESSION_ID");
			await db.delete(tables.session).where(eq(tables.session.id, sessionId));
		});

		it("get_all_user_sessions matches getAllUserSessions: active and idle, never dead", async () => {
			const user = await sqlUser();
			const n = next();
			const active = await sqlAuth.createSession({ userId: user.userId, attributes: layout.sessionAttributes(n) });
			const luciaActive = await auth.createSession({ userId: user.userId, attributes: layout.sessionAttributes(n + 1) });
			const idle = await sqlAuth.createSession({ userId: user.userId });
			const dead = await sqlAuth.createSession({ userId: user.userId });
			await makeIdle(idle.sessionId);
			await makeDead(dead.sessionId);
			const other = await sqlUser();
			await sqlAuth.createSession({ userId: other.userId });

			const byId = (session) => session.sessionId;
			const fromSql = sortBy(await sqlAuth.getAllUserSessions(user.userId), byId);
			const fromLucia = sortBy((await auth.getAllUserSessions(user.userId)).map(fromLuciaSession), byId);
			assert.deepEqual(fromSql, fromLucia);
			assert.deepEqual(
				fromSql.map((session) => [session.sessionId, session.state, session.fresh]),
				sortBy(
					[
						[active.sessionId, "active", false],
						[luciaActive.sessionId, "active", false],
						[idle.sessionId, "idle", false]
					],
					(entry) => entry[0]
				)
			);
			const idleRow = await sessionRow(idle.sessionId);
			assert.ok(idleRow.activeExpires < Date.now(), "get_all_user_sessions must not renew");

			const lonely = await sqlUser();
			assert.deepEqual(await sqlAuth.getAllUserSessions(lonely.userId), []);
			assert.deepEqual(await auth.getAllUserSessions(lonely.userId), []);
		});

		it("delete_dead_user_sessions and deleteDeadUserSessions delete exactly the dead ones", async () => {
			const outcomes = [];
			for (const deleter of ["sql", "lucia"]) {
				const user = await sqlUser();
				const other = await sqlUser();
				const ids = {};
				for (const name of ["active", "idle", "dead1", "dead2"]) {
					ids[name] = (await sqlAuth.createSession({ userId: user.userId })).sessionId;
				}
				const otherDead = (await sqlAuth.createSession({ userId: other.userId })).sessionId;
				await makeIdle(ids.idle);
				await makeDead(ids.dead1);
				await makeDead(ids.dead2);
				await makeDead(otherDead);
				if (deleter === "sql") {
					await sqlAuth.deleteDeadUserSessions(user.userId);
				} else {
					await auth.deleteDeadUserSessions(user.userId);
					// Lucia starts these deletes without awaiting them.
					await eventually(async () => !(await sessionRow(ids.dead1)) && !(await sessionRow(ids.dead2)));
				}
				outcomes.push({
					active: !!(await sessionRow(ids.active)),
					idle: !!(await sessionRow(ids.idle)),
					dead1: !!(await sessionRow(ids.dead1)),
					dead2: !!(await sessionRow(ids.dead2)),
					otherDead: !!(await sessionRow(otherDead))
				});
			}
			assert.deepEqual(outcomes[0], { active: true, idle: true, dead1: false, dead2: false, otherDead: true });
			assert.deepEqual(outcomes[0], outcomes[1]);
		});

		it("invalidate_session and invalidateSession", async () => {
			const user = await sqlUser();
			const [a, b, keep] = [
				await sqlAuth.createSession({ userId: user.userId }),
				await auth.createSession({ userId: user.userId, attributes: {} }),
				await sqlAuth.createSession({ userId: user.userId })
			];
			await sqlAuth.invalidateSession(b.sessionId);
			await rejectsWithLucia(auth.validateSession(b.sessionId), "AUTH_INVALID_SESSION_ID");
			await auth.invalidateSession(a.sessionId);
			await rejectsWithLucia(sqlAuth.validateSession(a.sessionId), "AUTH_INVALID_SESSION_ID");
			assert.equal((await auth.validateSession(keep.sessionId)).sessionId, keep.sessionId);
			assert.equal((await sqlAuth.validateSession(keep.sessionId)).sessionId, keep.sessionId);
			const missing = generateRandomString(40);
			await auth.invalidateSession(missing);
			await sqlAuth.invalidateSession(missing);
		});

		it("invalidating an empty or NULL session id is AUTH_INVALID_SESSION_ID, as in Lucia", async () => {
			for (const id of ["", null]) {
				await rejectsWithLucia(auth.invalidateSession(id), "AUTH_INVALID_SESSION_ID");
				await rejectsWithLucia(sqlAuth.invalidateSession(id), "AUTH_INVALID_SESSION_ID");
			}
		});

		it("invalidate_all_user_sessions and invalidateAllUserSessions", async () => {
			for (const invalidator of ["sql", "lucia"]) {
				const user = await sqlUser();
				const other = await sqlUser();
				const mine = [
					await sqlAuth.createSession({ userId: user.userId }),
					await auth.createSession({ userId: user.userId, attributes: {} })
				];
				const theirs = await sqlAuth.createSession({ userId: other.userId });
				if (invalidator === "sql") {
					await sqlAuth.invalidateAllUserSessions(user.userId);
				} else {
					await auth.invalidateAllUserSessions(user.userId);
				}
				assert.deepEqual(await sqlAuth.getAllUserSessions(user.userId), []);
				assert.deepEqual(await auth.getAllUserSessions(user.userId), []);
				for (const session of mine) {
					await rejectsWithLucia(auth.validateSession(session.sessionId), "AUTH_INVALID_SESSION_ID");
					await rejectsWithLucia(sqlAuth.validateSession(session.sessionId), "AUTH_INVALID_SESSION_ID");
				}
				assert.equal((await auth.validateSession(theirs.sessionId)).sessionId, theirs.sessionId);
				assert.deepEqual(await sqlAuth.getUser(user.userId), user);
			}
		});

		it("update_session_attributes and updateSessionAttributes", async () => {
			const user = await sqlUser();
			const n = next();
			const session = await sqlAuth.createSession({ userId: user.userId, attributes: layout.sessionAttributes(n) });
			const updated = await sqlAuth.updateSessionAttributes(session.sessionId, layout.sessionAttributeUpdate(n));
			assert.deepEqual(updated, {
				...session,
				sessionAttributes: { ...layout.sessionAttributes(n), ...layout.sessionAttributeUpdate(n) }
			});
			assert.deepEqual(fromLuciaSession(await auth.getSession(session.sessionId)), updated);

			const m = next();
			const luciaUpdated = await auth.updateSessionAttributes(session.sessionId, layout.sessionAttributeUpdate(m));
			assert.deepEqual(await sqlAuth.getSession(session.sessionId), fromLuciaSession(luciaUpdated));

			await makeIdle(session.sessionId);
			const k = next();
			const luciaIdle = fromLuciaSession(
				await auth.updateSessionAttributes(session.sessionId, layout.sessionAttributeUpdate(k))
			);
			const sqlIdle = await sqlAuth.updateSessionAttributes(session.sessionId, layout.sessionAttributeUpdate(k));
			assert.equal(luciaIdle.state, "idle");
			assert.deepEqual(sqlIdle, luciaIdle);

			const missing = generateRandomString(40);
			const update = layout.sessionAttributeUpdate(next());
			await rejectsWithLucia(auth.updateSessionAttributes(missing, update), "AUTH_INVALID_SESSION_ID");
			await rejectsWithLucia(sqlAuth.updateSessionAttributes(missing, update), "AUTH_INVALID_SESSION_ID");
		});

		// Requests

		it("read_session_cookie matches readSessionCookie", async () => {
			const named = side.makeLucia({ sessionCookie: { name: "my_session" } });
			const mismatches = [];
			for (const header of cookieHeaders) {
				for (const [name, reader] of [
					[undefined, auth],
					["my_session", named]
				]) {
					const expected = reader.readSessionCookie(header);
					const actual = await sqlAuth.readSessionCookie(header, name);
					if (actual !== expected) mismatches.push({ header, name, expected, actual });
				}
			}
			assert.deepEqual(mismatches, []);
		});

		it("read_bearer_token matches readBearerToken", async () => {
			const mismatches = [];
			for (const header of authorizationHeaders) {
				const expected = auth.readBearerToken(header);
				const actual = await sqlAuth.readBearerToken(header);
				if (actual !== expected) mismatches.push({ header, expected, actual });
			}
			assert.deepEqual(mismatches, []);
		});

		it("create_session_cookie matches createSessionCookie(session).serialize()", async () => {
			const prod = side.makeLucia({ env: "PROD" });
			const named = side.makeLucia({ env: "PROD", sessionCookie: { name: "my_session" } });
			const user = await sqlUser();
			const sessions = [
				await sqlAuth.createSession({ userId: user.userId }),
				await sqlAuth.createSession({ userId: user.userId, sessionId: `a b/c+d=é;x,"y"${generateRandomString(4)}` })
			];
			const mismatches = [];
			const compare = (label, actual, expected) => {
				if (actual !== expected) mismatches.push({ label, expected, actual });
			};
			for (const session of sessions) {
				const luciaSession = await auth.validateSession(session.sessionId);
				compare(
					`PROD ${session.sessionId}`,
					await sqlAuth.createSessionCookie(session),
					prod.createSessionCookie(luciaSession).serialize()
				);
				compare(
					`DEV ${session.sessionId}`,
					await sqlAuth.createSessionCookie(session, { secure: false }),
					auth.createSessionCookie(luciaSession).serialize()
				);
				compare(
					`my_session ${session.sessionId}`,
					await sqlAuth.createSessionCookie(session, { name: "my_session" }),
					named.createSessionCookie(luciaSession).serialize()
				);
			}
			for (const idleExpires of cookieDates) {
				const session = { sessionId: "abc", idleExpires };
				const luciaSession = { sessionId: "abc", idlePeriodExpiresAt: new Date(idleExpires) };
				compare(
					`idle_expires ${idleExpires}`,
					await sqlAuth.createSessionCookie(session),
					prod.createSessionCookie(luciaSession).serialize()
				);
			}
			assert.deepEqual(mismatches, []);
			assert.equal(
				await sqlAuth.createSessionCookie(sessions[0]),
				`auth_session=${sessions[0].sessionId}; Path=/; Expires=${new Date(sessions[0].idleExpires).toUTCString()}; HttpOnly; Secure; SameSite=Lax`
			);
		});

		it("create_session_cookie of a NULL session is Lucia's blank cookie", async () => {
			const prod = side.makeLucia({ env: "PROD" });
			const named = side.makeLucia({ env: "DEV", sessionCookie: { name: "my_session" } });
			assert.equal(await sqlAuth.createSessionCookie(null), prod.createSessionCookie(null).serialize());
			assert.equal(
				await sqlAuth.createSessionCookie(null),
				"auth_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"
			);
			assert.equal(await sqlAuth.createSessionCookie(null, { secure: false }), auth.createSessionCookie(null).serialize());
			assert.equal(
				await sqlAuth.createSessionCookie(null, { secure: false, name: "my_session" }),
				named.createSessionCookie(null).serialize()
			);
		});

		// Application use through Drizzle

		it("generate_random_string makes ids in Lucia's default alphabet", async () => {
			assert.match(await sqlAuth.generateRandomString(40), /^[a-z0-9]{40}$/);
			const binary = await sqlAuth.generateRandomString(2000, "ab");
			assert.match(binary, /^[ab]{2000}$/);
			assert.ok(binary.includes("a") && binary.includes("b"));
			assert.equal(await sqlAuth.generateRandomString(0), "");
		});

		it("a sign-up, sign-in and request flow inside Drizzle transactions", async () => {
			const providerUserId = newProviderUserId();
			const n = next();
			const { userId } = await db.transaction(async (tx) => {
				const txAuth = luciaAuth(tx);
				const user = await txAuth.createUser({
					key: { providerId: "username", providerUserId, password: "s3cret pässword" },
					attributes: layout.userAttributes(n)
				});
				return user;
			});
			const key = await sqlAuth.useKey("username", providerUserId, "s3cret pässword");
			assert.equal(key.userId, userId);
			const session = await sqlAuth.createSession({ userId, attributes: layout.sessionAttributes(n) });
			const setCookie = await sqlAuth.createSessionCookie(session);
			const cookieHeader = `theme=dark; ${setCookie.split(";")[0]}`;
			const sessionId = await sqlAuth.readSessionCookie(cookieHeader);
			assert.equal(sessionId, auth.readSessionCookie(cookieHeader));
			const validated = await sqlAuth.validateSession(sessionId);
			assert.deepEqual(validated, session);
			assert.deepEqual(fromLuciaSession(await auth.validateSession(sessionId)), validated);
			await sqlAuth.invalidateSession(sessionId);
			await rejectsWithLucia(auth.validateSession(sessionId), "AUTH_INVALID_SESSION_ID");

			const rolledBack = newUserId();
			await assert.rejects(
				db.transaction(async (tx) => {
					const txAuth = luciaAuth(tx);
					await txAuth.createUser({ userId: rolledBack, attributes: layout.userAttributes(n) });
					await txAuth.createSession({ userId: rolledBack });
					tx.rollback();
				})
			);
			await rejectsWithLucia(auth.getUser(rolledBack), "AUTH_INVALID_USER_ID");
			await rejectsWithLucia(sqlAuth.getUser(rolledBack), "AUTH_INVALID_USER_ID");
		});

		it("every Lucia error code was raised by the SQL functions with one specific SQLSTATE", (t) => {
			const seen = seenSqlstates();
			for (const [message, code] of seen) t.diagnostic(`${message}: SQLSTATE ${code}`);
			assert.deepEqual([...seen.keys()].sort(), [
				"AUTH_DUPLICATE_KEY_ID",
				"AUTH_INVALID_KEY_ID",
				"AUTH_INVALID_PASSWORD",
				"AUTH_INVALID_SESSION_ID",
				"AUTH_INVALID_USER_ID",
				"AUTH_OUTDATED_PASSWORD"
			]);
			for (const code of seen.values()) assert.ok(!["XX000", "P0001"].includes(code), code);
		});
	});
};
