// Lucia v2's Auth and lucia_auth's (the Node client's lucia(), package lucia_auth) side by side on
// one database: the same call on each gives the same result or the same error, and what one writes
// the other reads. This is the promise of the client: code written against lucia@2.7.7's Auth keeps
// its results after changing its imports. Where the client deliberately differs (a renewed session's
// cookie, the origin check of validateRequestOrigin), the case says so and pins both behaviours.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eq } from "drizzle-orm";
import { LuciaError as LuciaLuciaError } from "lucia";
import { generateRandomString } from "lucia/utils";
import { LuciaError as ClientLuciaError } from "lucia_auth";
import { authorizationHeaders, cookieHeaders } from "./cases.js";
import { DAY, createDatabase, openSide, sortBy } from "./harness.js";

/** The outcome of a call: its value, or its error's class, message and detail. */
const outcome = async (call, LuciaErrorClass) => {
	try {
		return { value: await call() };
	} catch (error) {
		return {
			error: {
				lucia: error instanceof LuciaErrorClass,
				type: error instanceof TypeError ? "TypeError" : error?.constructor?.name,
				message: error?.message,
				detail: error instanceof LuciaErrorClass ? error.detail : undefined
			}
		};
	}
};

/** Runs `call` on Lucia and on lucia_auth's Auth and asserts the same outcome. */
const same = async (label, call, lucia, ours, normalize = (value) => value) => {
	const theirs = await outcome(() => call(lucia), LuciaLuciaError);
	const mine = await outcome(() => call(ours), ClientLuciaError);
	if (theirs.error && mine.error && theirs.error.type === "LuciaError") mine.error.type = "LuciaError";
	assert.deepEqual(
		mine.error ? mine : { value: normalize(mine.value) },
		theirs.error ? theirs : { value: normalize(theirs.value) },
		label
	);
	return mine.value;
};

/** A session without what differs between two sessions made at two moments: its id and expiries. */
const shape = ({ sessionId, activePeriodExpiresAt, idlePeriodExpiresAt, ...rest }) => rest;

const within = (a, b, ms, label) => assert.ok(Math.abs(a.getTime() - b.getTime()) <= ms, `${label}: ${a} vs ${b}`);

/**
 * @param {{ database: string, layout: import("./layouts.js").Layout, driver: "pg" | "postgres-js" }} options
 */
export const defineAuthCases = ({ database, layout, driver }) => {
	describe(`Lucia v2 and lucia_auth's Auth, ${layout.name} layout through ${driver}`, () => {
		let side;
		let lucia;
		let ours;
		let counter = 0;
		const next = () => ++counter;
		const tables = layout.tables;

		before(async () => {
			await createDatabase(database, { ddl: layout.ddl, settings: layout.settings });
			side = openSide(driver, database, layout.luciaTables);
			lucia = side.auth;
			ours = side.makeClientAuth();
		});

		after(() => side?.close());

		const setExpiries = (sessionId, activeExpires, idleExpires) =>
			side.db.update(tables.session).set({ activeExpires, idleExpires }).where(eq(tables.session.id, sessionId));
		const makeIdle = (sessionId) => setExpiries(sessionId, Date.now() - 60_000, Date.now() + 60_000);
		const makeDead = (sessionId) => setExpiries(sessionId, Date.now() - 120_000, Date.now() - 60_000);

		it("users: the same user back from createUser, getUser and updateUserAttributes", async () => {
			const n = next();
			for (const attributes of [layout.userAttributes(n), {}]) {
				const userId = generateRandomString(15);
				const theirs = await lucia.createUser({ userId, key: null, attributes });
				const mine = await ours.createUser({ userId: generateRandomString(15), key: null, attributes });
				assert.deepEqual({ ...mine, userId }, theirs);
				await same("getUser (Lucia's user)", (auth) => auth.getUser(theirs.userId), lucia, ours);
				await same("getUser (lucia_auth's user)", (auth) => auth.getUser(mine.userId), lucia, ours);
			}
			const user = await ours.createUser({ key: null, attributes: layout.userAttributes(n) });
			assert.match(user.userId, /^[a-z0-9]{15}$/);
			const update = layout.userAttributeUpdate(n);
			const mine = await ours.updateUserAttributes(user.userId, update);
			assert.deepEqual(mine, await lucia.getUser(user.userId));
			assert.deepEqual(await lucia.updateUserAttributes(user.userId, update), mine);
			await same("getUser of a missing user", (auth) => auth.getUser("no-such-user"), lucia, ours);
			await same(
				"updateUserAttributes of a missing user",
				(auth) => auth.updateUserAttributes("no-such-user", update),
				lucia,
				ours
			);
		});

		it("keys: the same keys, logins and errors", async () => {
			const user = await ours.createUser({ key: null, attributes: layout.userAttributes(next()) });
			const providerUserIds = {};
			for (const password of ["s3cret pässword", null, ""]) {
				const id = `${generateRandomString(8)}@example.com`;
				const theirs = await lucia.createKey({ userId: user.userId, providerId: "email", providerUserId: id, password });
				const mineId = `${generateRandomString(8)}@example.com`;
				const mine = await ours.createKey({ userId: user.userId, providerId: "email", providerUserId: mineId, password });
				assert.deepEqual({ ...mine, providerUserId: id }, theirs, `createKey with ${JSON.stringify(password)}`);
				providerUserIds[String(password)] = [id, mineId];
			}
			for (const [id, mineId] of Object.values(providerUserIds)) {
				await same("getKey (Lucia's key)", (auth) => auth.getKey("email", id), lucia, ours);
				await same("getKey (lucia_auth's key)", (auth) => auth.getKey("email", mineId), lucia, ours);
			}
			await same(
				"getAllUserKeys",
				(auth) => auth.getAllUserKeys(user.userId),
				lucia,
				ours,
				(keys) => sortBy(keys, (key) => key.providerUserId)
			);
			for (const [password, ids] of Object.entries(providerUserIds)) {
				for (const id of ids) {
					for (const attempt of ["s3cret pässword", "wrong", "", null]) {
						await same(
							`useKey on a key with ${password}, given ${JSON.stringify(attempt)}`,
							(auth) => auth.useKey("email", id, attempt),
							lucia,
							ours
						);
					}
				}
			}
			await same("useKey of a missing key", (auth) => auth.useKey("email", "nobody@example.com", "x"), lucia, ours);
			const [withPassword] = providerUserIds["s3cret pässword"];
			await side.db
				.update(tables.key)
				.set({ hashedPassword: "$2a$10$abcdefghijklmnopqrstuuQ2Zvq3HzzE3cxMVdpqYyGQ2ZA0qmtBu" })
				.where(eq(tables.key.id, `email:${withPassword}`));
			await same("useKey of a bcrypt hash", (auth) => auth.useKey("email", withPassword, "x"), lucia, ours);
			await same("provider id with ':'", (auth) => auth.useKey("a:b", "c", null), lucia, ours);
			await same("provider id with ':'", (auth) => auth.getKey("a:b", "c"), lucia, ours);
			await same(
				"a duplicate key",
				(auth) => auth.createKey({ userId: user.userId, providerId: "email", providerUserId: withPassword, password: null }),
				lucia,
				ours
			);
			await same(
				"createKey for a missing user",
				(auth) => auth.createKey({ userId: "no-such-user", providerId: "x", providerUserId: generateRandomString(8), password: null }),
				lucia,
				ours
			);

			const [id, mineId] = providerUserIds["null"];
			await lucia.updateKeyPassword("email", id, "new one");
			await ours.updateKeyPassword("email", mineId, "new one");
			for (const key of [id, mineId]) {
				await same("useKey after updateKeyPassword", (auth) => auth.useKey("email", key, "new one"), lucia, ours);
			}
			await same("updateKeyPassword of a missing key", (auth) => auth.updateKeyPassword("email", "nobody", "x"), lucia, ours);
			await lucia.deleteKey("email", mineId);
			await ours.deleteKey("email", id);
			await same("deleted keys", (auth) => auth.getKey("email", id), lucia, ours);
			await same("deleteKey of a missing key", (auth) => auth.deleteKey("email", id), lucia, ours);
		});

		it("sign-up with a key: the same user, the same duplicate error", async () => {
			const n = next();
			const attributes = layout.userAttributes(n);
			const id = `${generateRandomString(8)}@example.com`;
			const theirs = await lucia.createUser({
				key: { providerId: "email", providerUserId: id, password: "pw" },
				attributes
			});
			const mine = await ours.createUser({
				key: { providerId: "email", providerUserId: `${id}.2`, password: "pw" },
				attributes
			});
			assert.deepEqual({ ...mine, userId: theirs.userId }, theirs);
			for (const providerUserId of [id, `${id}.2`]) {
				await same(
					"a duplicate key at sign-up",
					(auth) => auth.createUser({ key: { providerId: "email", providerUserId, password: null }, attributes }),
					lucia,
					ours
				);
			}
			await same(
				"a duplicate user id with a key",
				(auth) =>
					auth.createUser({
						userId: theirs.userId,
						key: { providerId: "email", providerUserId: generateRandomString(8), password: null },
						attributes
					}),
				lucia,
				ours
			);
		});

		it("sessions: the same sessions, renewals, listings and errors", async () => {
			const n = next();
			const user = await ours.createUser({ key: null, attributes: layout.userAttributes(n) });
			const attributes = layout.sessionAttributes(n);
			const theirs = await lucia.createSession({ userId: user.userId, attributes });
			const mine = await ours.createSession({ userId: user.userId, attributes });
			assert.deepEqual(shape(mine), shape(theirs));
			within(mine.activePeriodExpiresAt, theirs.activePeriodExpiresAt, 5000, "activePeriodExpiresAt");
			assert.equal(mine.idlePeriodExpiresAt - mine.activePeriodExpiresAt, 14 * DAY);
			for (const session of [theirs, mine]) {
				await same("validateSession (active)", (auth) => auth.validateSession(session.sessionId), lucia, ours);
				await same("getSession (active)", (auth) => auth.getSession(session.sessionId), lucia, ours);
			}
			await same(
				"getAllUserSessions",
				(auth) => auth.getAllUserSessions(user.userId),
				lucia,
				ours,
				(sessions) => sortBy(sessions, (session) => session.sessionId)
			);

			for (const session of [theirs, mine]) {
				await makeIdle(session.sessionId);
				await same("getSession (idle)", (auth) => auth.getSession(session.sessionId), lucia, ours);
				const renewedByLucia = await lucia.validateSession(session.sessionId);
				await makeIdle(session.sessionId);
				const renewedByUs = await ours.validateSession(session.sessionId);
				assert.deepEqual(shape(renewedByUs), shape(renewedByLucia));
				assert.equal(renewedByUs.fresh, true);
				assert.equal(renewedByUs.state, "idle");
				within(renewedByUs.activePeriodExpiresAt, renewedByLucia.activePeriodExpiresAt, 5000, "renewal");
				await same("validateSession (renewed)", (auth) => auth.validateSession(session.sessionId), lucia, ours);
			}

			const update = layout.sessionAttributeUpdate(n);
			const updated = await ours.updateSessionAttributes(theirs.sessionId, update);
			assert.deepEqual(updated, await lucia.getSession(theirs.sessionId));
			assert.deepEqual(await lucia.updateSessionAttributes(mine.sessionId, update), await ours.getSession(mine.sessionId));

			for (const sessionId of ["", null, "no-such-session"]) {
				await same(`validateSession(${JSON.stringify(sessionId)})`, (auth) => auth.validateSession(sessionId), lucia, ours);
				await same(`getSession(${JSON.stringify(sessionId)})`, (auth) => auth.getSession(sessionId), lucia, ours);
				await same(`invalidateSession(${JSON.stringify(sessionId)})`, (auth) => auth.invalidateSession(sessionId), lucia, ours);
				await same(
					`updateSessionAttributes(${JSON.stringify(sessionId)})`,
					(auth) => auth.updateSessionAttributes(sessionId, update),
					lucia,
					ours
				);
			}
			await same(
				"createSession for a missing user",
				(auth) => auth.createSession({ userId: "no-such-user", attributes }),
				lucia,
				ours
			);
			await same("getAllUserSessions of a missing user", (auth) => auth.getAllUserSessions("no-such-user"), lucia, ours);

			await lucia.invalidateSession(mine.sessionId);
			await ours.invalidateSession(theirs.sessionId);
			for (const session of [theirs, mine]) {
				await same("an invalidated session", (auth) => auth.validateSession(session.sessionId), lucia, ours);
			}

			const dead = [
				await lucia.createSession({ userId: user.userId, attributes }),
				await ours.createSession({ userId: user.userId, attributes })
			];
			const alive = await ours.createSession({ userId: user.userId, attributes });
			for (const session of dead) await makeDead(session.sessionId);
			await same("a dead session", (auth) => auth.validateSession(dead[0].sessionId), lucia, ours);
			await ours.deleteDeadUserSessions(user.userId);
			const left = await side.db.select().from(tables.session).where(eq(tables.session.userId, user.userId));
			assert.deepEqual(left.map((row) => row.id), [alive.sessionId]);
			await ours.invalidateAllUserSessions(user.userId);
			await same("after invalidateAllUserSessions", (auth) => auth.getAllUserSessions(user.userId), lucia, ours);
		});

		it("deleteUser: the user, its keys and sessions gone for both", async () => {
			for (const deleter of ["lucia", "ours"]) {
				const user = await ours.createUser({
					key: { providerId: "email", providerUserId: `${generateRandomString(8)}@example.com`, password: null },
					attributes: layout.userAttributes(next())
				});
				const session = await lucia.createSession({ userId: user.userId, attributes: {} });
				await (deleter === "lucia" ? lucia : ours).deleteUser(user.userId);
				await same("getUser of a deleted user", (auth) => auth.getUser(user.userId), lucia, ours);
				await same("its session", (auth) => auth.validateSession(session.sessionId), lucia, ours);
				await same("its keys", (auth) => auth.getAllUserKeys(user.userId), lucia, ours);
				await same("deleteUser again", (auth) => auth.deleteUser(user.userId), lucia, ours);
			}
		});

		it("requests: the same cookies and tokens read, the same cookies written", async () => {
			for (const header of cookieHeaders) {
				assert.equal(ours.readSessionCookie(header), lucia.readSessionCookie(header), JSON.stringify(header));
			}
			for (const header of authorizationHeaders) {
				assert.equal(ours.readBearerToken(header), lucia.readBearerToken(header), JSON.stringify(header));
			}
			const user = await ours.createUser({ key: null, attributes: layout.userAttributes(next()) });
			const session = await ours.createSession({ userId: user.userId, attributes: layout.sessionAttributes(1) });
			const configurations = [
				{},
				{ env: "PROD" },
				{ sessionCookie: { name: "sid", attributes: { sameSite: "strict", path: "/app", domain: "example.com" } } }
			];
			for (const configuration of configurations) {
				const theirs = side.makeLucia(configuration);
				const mine = side.makeClientAuth(configuration);
				for (const value of [session, null]) {
					const mineCookie = mine.createSessionCookie(value);
					const theirCookie = theirs.createSessionCookie(value);
					assert.equal(mineCookie.serialize(), theirCookie.serialize(), JSON.stringify(configuration));
					assert.deepEqual(
						{ name: mineCookie.name, value: mineCookie.value, attributes: mineCookie.attributes },
						{ name: theirCookie.name, value: theirCookie.value, attributes: theirCookie.attributes }
					);
				}
				assert.equal(mine.readSessionCookie("sid=1; auth_session=2"), theirs.readSessionCookie("sid=1; auth_session=2"));
			}
			const yearLong = { sessionCookie: { expires: false } };
			const mineYear = side.makeClientAuth(yearLong).createSessionCookie(session);
			const theirYear = side.makeLucia(yearLong).createSessionCookie(session);
			within(mineYear.attributes.expires, theirYear.attributes.expires, 5000, "expires: false");
		});

		it("handleRequest: the same sessions for the same requests; lucia_auth also renews the cookie", async () => {
			const user = await ours.createUser({ key: null, attributes: layout.userAttributes(next()) });
			const session = await lucia.createSession({ userId: user.userId, attributes: {} });
			const context = (method, headers) => {
				const cookies = [];
				return {
					cookies,
					requestContext: {
						request: { method, url: "http://app.example/account", headers: new Headers(headers) },
						setCookie: (cookie) => cookies.push(cookie.serialize())
					}
				};
			};
			const cases = [
				["GET", { cookie: `auth_session=${session.sessionId}` }],
				["POST", { cookie: `auth_session=${session.sessionId}`, origin: "http://app.example" }],
				["POST", { cookie: `auth_session=${session.sessionId}` }],
				["POST", { cookie: `auth_session=${session.sessionId}`, origin: "http://evil.example" }],
				["GET", { cookie: "auth_session=no-such-session" }],
				["GET", { authorization: `Bearer ${session.sessionId}` }],
				["GET", {}]
			];
			for (const [method, headers] of cases) {
				const theirs = context(method, headers);
				const mine = context(method, headers);
				const theirRequest = lucia.handleRequest(theirs.requestContext);
				const myRequest = ours.handleRequest(mine.requestContext);
				assert.deepEqual(await myRequest.validate(), await theirRequest.validate(), `${method} ${JSON.stringify(headers)}`);
				assert.deepEqual(
					await myRequest.validateBearerToken(),
					await theirRequest.validateBearerToken(),
					`bearer: ${method} ${JSON.stringify(headers)}`
				);
				assert.deepEqual(mine.cookies, theirs.cookies, `cookies: ${method} ${JSON.stringify(headers)}`);
			}

			// A renewed session keeps its id: Lucia's AuthRequest then sends no cookie, so the browser
			// drops the cookie at the old expiry although the session lives on; lucia_auth's sends the
			// renewed cookie.
			for (const [auth, expected] of [
				[lucia, 0],
				[ours, 1]
			]) {
				await makeIdle(session.sessionId);
				const request = context("GET", { cookie: `auth_session=${session.sessionId}` });
				const renewed = await auth.handleRequest(request.requestContext).validate();
				assert.equal(renewed.fresh, true);
				assert.equal(request.cookies.length, expected);
				if (expected) assert.deepEqual(request.cookies, [ours.createSessionCookie(renewed).serialize()]);
			}
		});

		it("validateRequestOrigin: Lucia refuses even its own origin; lucia_auth's accepts it", async () => {
			const own = { url: "http://app.example/login", method: "POST", headers: { origin: "http://app.example" } };
			assert.throws(() => lucia.validateRequestOrigin(own), (error) => error.message === "AUTH_INVALID_REQUEST");
			ours.validateRequestOrigin(own);
			for (const request of [
				{ ...own, headers: { origin: null } },
				{ ...own, headers: { origin: "http://evil.example" } },
				{ ...own, method: null }
			]) {
				await same("validateRequestOrigin", async (auth) => auth.validateRequestOrigin(request), lucia, ours);
			}
			await same("validateRequestOrigin on GET", async (auth) => auth.validateRequestOrigin({ ...own, method: "GET" }), lucia, ours);
		});
	});
};
