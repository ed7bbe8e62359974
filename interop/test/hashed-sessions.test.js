// Hashed session ids (lucia_auth.session_id_storage = sha256) against sessions that the real Lucia v2
// made: a session Lucia created before the switch keeps validating through lucia_auth with the same
// token, before and after hash_session_ids converts it, on both drivers; what Lucia's JavaScript can
// no longer read once a session is stored hashed is shown too (the README says to switch only once
// every reader of sessions calls lucia_auth).

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eq } from "drizzle-orm";
import { generateRandomString } from "lucia/utils";
import { drizzleLayout } from "../lib/layouts.js";
import { createDatabase, fromLuciaSession, openSide } from "../lib/harness.js";

const DATABASE = "interop_hashed_sessions";
const tables = drizzleLayout.tables;
const MINUTE = 60 * 1000;

describe("hashed session ids", () => {
	const sides = [];

	before(async () => {
		await createDatabase(DATABASE, { ddl: drizzleLayout.ddl });
	});

	after(async () => {
		await Promise.all(sides.map((side) => side.close()));
	});

	for (const driver of ["pg", "postgres-js"]) {
		it(`${driver}: a session made by Lucia v2 keeps validating through lucia_auth across the switch`, async () => {
			const plain = openSide(driver, DATABASE, drizzleLayout.luciaTables);
			const hashed = openSide(driver, DATABASE, drizzleLayout.luciaTables, {
				connectionSettings: { "lucia_auth.session_id_storage": "sha256" }
			});
			sides.push(plain, hashed);
			const user = await plain.sqlAuth.createUser({ userId: generateRandomString(15) });

			// Before the switch: Lucia makes the session, stored as it is.
			const luciaSession = await plain.auth.createSession({ userId: user.userId, attributes: {} });
			const token = luciaSession.sessionId;
			const asLucia = fromLuciaSession(await plain.auth.getSession(token));
			assert.deepEqual(await plain.sqlAuth.getSession(token), asLucia);

			// After the switch, not yet converted: lucia_auth reads it as Lucia does.
			assert.deepEqual(await hashed.sqlAuth.getSession(token), asLucia);
			assert.deepEqual(await hashed.sqlAuth.validateSession(token), asLucia);

			// Converted: the row holds the digest, the token (the cookie) is unchanged and still validates.
			const converted = (await hashed.db.execute("SELECT lucia_auth.hash_session_ids(100000) AS n"));
			assert.ok(Number((converted.rows ?? converted)[0].n) >= 1);
			const [row] = await plain.db.select().from(tables.session).where(eq(tables.session.userId, user.userId));
			assert.match(row.id, /^sha256\$[0-9a-f]{64}$/);
			assert.notEqual(row.id, token);
			assert.deepEqual(await hashed.sqlAuth.validateSession(token), asLucia);
			assert.deepEqual(await plain.sqlAuth.getSession(token), asLucia, "also with the setting back to plain");

			// An idle converted session is renewed by lucia_auth, and keeps its token.
			await plain.db
				.update(tables.session)
				.set({ activeExpires: Date.now() - MINUTE })
				.where(eq(tables.session.id, row.id));
			const renewed = await hashed.sqlAuth.validateSession(token);
			assert.equal(renewed.sessionId, token);
			assert.equal(renewed.fresh, true);
			assert.equal((await hashed.sqlAuth.getSession(token)).state, "active");

			// Lucia's JavaScript looks the token up as it is: it cannot read a hashed session.
			await assert.rejects(plain.auth.getSession(token), (error) => error.message === "AUTH_INVALID_SESSION_ID");
			// Nor can the stored value be used as a token, by lucia_auth or by Lucia.
			await assert.rejects(hashed.sqlAuth.validateSession(row.id), (error) => error.message === "AUTH_INVALID_SESSION_ID");

			// A session lucia_auth makes in sha256 mode: the caller gets the token, the row the digest.
			const made = await hashed.sqlAuth.createSession({ userId: user.userId });
			assert.match(made.sessionId, /^[a-z0-9]{40}$/);
			assert.equal((await hashed.sqlAuth.validateSession(made.sessionId)).sessionId, made.sessionId);
			await assert.rejects(plain.auth.getSession(made.sessionId), (error) => error.message === "AUTH_INVALID_SESSION_ID");

			// Logout with the token removes the hashed row.
			await hashed.sqlAuth.invalidateSession(made.sessionId);
			await assert.rejects(hashed.sqlAuth.validateSession(made.sessionId), (error) => error.message === "AUTH_INVALID_SESSION_ID");
		});
	}
});
