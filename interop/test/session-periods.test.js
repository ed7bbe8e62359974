// lucia_auth.active_period / lucia_auth.idle_period against Lucia's
// sessionExpiresIn: database settings with units, plain milliseconds in the
// startup packet, and SET on one connection.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { eq, sql } from "drizzle-orm";
import { generateRandomString } from "lucia/utils";
import { drizzleLayout } from "../lib/layouts.js";
import { luciaAuth } from "../lib/lucia-auth.js";
import { DAY, assertExpiries, createDatabase, fromLuciaSession, openSide } from "../lib/harness.js";

const DATABASE = "interop_session_periods";
const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;
const tables = drizzleLayout.tables;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe("session periods", () => {
	const sides = [];

	before(async () => {
		await createDatabase(DATABASE, {
			ddl: drizzleLayout.ddl,
			settings: { "lucia_auth.active_period": "2h", "lucia_auth.idle_period": "3d" }
		});
	});

	after(async () => {
		await Promise.all(sides.map((side) => side.close()));
	});

	const makeIdle = async (db, sessionId) => {
		await db
			.update(tables.session)
			.set({ activeExpires: Date.now() - MINUTE, idleExpires: Date.now() + MINUTE })
			.where(eq(tables.session.id, sessionId));
	};

	it("ALTER DATABASE settings with units ('2h', '3d') match sessionExpiresIn", async () => {
		const side = openSide("pg", DATABASE, drizzleLayout.luciaTables);
		sides.push(side);
		const periods = { activePeriod: 2 * HOUR, idlePeriod: 3 * DAY };
		const auth = side.makeLucia({ sessionExpiresIn: periods });
		const user = await side.sqlAuth.createUser({ userId: generateRandomString(15) });

		let start = Date.now();
		const created = await side.sqlAuth.createSession({ userId: user.userId });
		assertExpiries(created, start, Date.now(), periods.activePeriod, periods.idlePeriod);
		assert.deepEqual(fromLuciaSession(await auth.validateSession(created.sessionId)), created);

		start = Date.now();
		const luciaCreated = fromLuciaSession(await auth.createSession({ userId: user.userId, attributes: {} }));
		assertExpiries(luciaCreated, start, Date.now(), periods.activePeriod, periods.idlePeriod);
		assert.deepEqual(
			await side.sqlAuth.validateSession(luciaCreated.sessionId),
			fromLuciaSession(await auth.getSession(luciaCreated.sessionId))
		);

		await makeIdle(side.db, created.sessionId);
		await makeIdle(side.db, luciaCreated.sessionId);
		start = Date.now();
		const sqlRenewed = await side.sqlAuth.validateSession(created.sessionId);
		const luciaRenewed = fromLuciaSession(await auth.validateSession(luciaCreated.sessionId));
		const end = Date.now();
		assert.equal(sqlRenewed.fresh, true);
		assertExpiries(sqlRenewed, start, end, periods.activePeriod, periods.idlePeriod);
		assertExpiries(luciaRenewed, start, end, periods.activePeriod, periods.idlePeriod);
		assert.deepEqual(fromLuciaSession(await auth.getSession(created.sessionId)), {
			...sqlRenewed,
			state: "active",
			fresh: false
		});

		const setCookie = await side.sqlAuth.createSessionCookie(sqlRenewed);
		assert.equal(
			setCookie,
			side
				.makeLucia({ env: "PROD", sessionExpiresIn: periods })
				.createSessionCookie(await auth.getSession(created.sessionId))
				.serialize()
		);
	});

	it("plain milliseconds in the startup packet, with a session going idle in real time", async () => {
		const periods = { activePeriod: 1500, idlePeriod: 60000 };
		const side = openSide("postgres-js", DATABASE, drizzleLayout.luciaTables, {
			connectionSettings: {
				"lucia_auth.active_period": String(periods.activePeriod),
				"lucia_auth.idle_period": String(periods.idlePeriod)
			}
		});
		sides.push(side);
		const auth = side.makeLucia({ sessionExpiresIn: periods });
		const user = await side.sqlAuth.createUser({ userId: generateRandomString(15) });

		let start = Date.now();
		const sqlMade = await side.sqlAuth.createSession({ userId: user.userId });
		const luciaMade = fromLuciaSession(await auth.createSession({ userId: user.userId, attributes: {} }));
		assertExpiries(sqlMade, start, Date.now(), periods.activePeriod, periods.idlePeriod);
		assertExpiries(luciaMade, start, Date.now(), periods.activePeriod, periods.idlePeriod);
		assert.equal((await side.sqlAuth.getSession(sqlMade.sessionId)).state, "active");

		await sleep(Math.max(sqlMade.activeExpires, luciaMade.activeExpires) - Date.now() + 50);
		const idle = await side.sqlAuth.getSession(sqlMade.sessionId);
		assert.equal(idle.state, "idle");
		assert.deepEqual(fromLuciaSession(await auth.getSession(sqlMade.sessionId)), idle);
		assert.equal((await side.sqlAuth.getSession(luciaMade.sessionId)).state, "idle");

		start = Date.now();
		const sqlRenewed = await side.sqlAuth.validateSession(luciaMade.sessionId);
		const luciaRenewed = fromLuciaSession(await auth.validateSession(sqlMade.sessionId));
		const end = Date.now();
		assert.equal(sqlRenewed.fresh, true);
		assert.equal(luciaRenewed.fresh, true);
		assert.equal(sqlRenewed.state, luciaRenewed.state);
		assertExpiries(sqlRenewed, start, end, periods.activePeriod, periods.idlePeriod);
		assertExpiries(luciaRenewed, start, end, periods.activePeriod, periods.idlePeriod);
	});

	it("SET on one connection overrides the database setting; RESET restores it", async () => {
		const client = new pg.Client({ database: DATABASE });
		await client.connect();
		sides.push({ close: () => client.end() });
		const db = drizzle(client);
		const sqlAuth = luciaAuth(db);
		const user = await sqlAuth.createUser({ userId: generateRandomString(15) });

		const expect = async (activePeriod, idlePeriod) => {
			const start = Date.now();
			const created = await sqlAuth.createSession({ userId: user.userId });
			assertExpiries(created, start, Date.now(), activePeriod, idlePeriod);
			await makeIdle(db, created.sessionId);
			const renewStart = Date.now();
			const renewed = await sqlAuth.validateSession(created.sessionId);
			assertExpiries(renewed, renewStart, Date.now(), activePeriod, idlePeriod);
		};

		await expect(2 * HOUR, 3 * DAY);
		await db.execute(sql`set lucia_auth.active_period = '30min'`);
		await db.execute(sql`set lucia_auth.idle_period = '1h'`);
		await expect(30 * MINUTE, HOUR);
		await db.execute(sql`set lucia_auth.active_period = '1d'`);
		await db.execute(sql`set lucia_auth.idle_period = '14d'`);
		await expect(DAY, 14 * DAY);
		await db.execute(sql`set lucia_auth.active_period = 86400000`);
		await db.execute(sql`set lucia_auth.idle_period = '1209600000'`);
		await expect(DAY, 14 * DAY);
		await db.execute(sql`set lucia_auth.active_period = '1.5h'`);
		await db.execute(sql`set lucia_auth.idle_period = '36h'`);
		await expect(90 * MINUTE, 36 * HOUR);
		await db.execute(sql`set lucia_auth.active_period = '90s'`);
		await db.execute(sql`set lucia_auth.idle_period = '2500ms'`);
		await expect(90 * 1000, 2500);
		await db.execute(sql`reset lucia_auth.active_period`);
		await db.execute(sql`reset lucia_auth.idle_period`);
		await expect(2 * HOUR, 3 * DAY);
	});

	it("periods beyond 2^31 - 1 milliseconds ('30d', '90d') work as in Lucia", async () => {
		const client = new pg.Client({ database: DATABASE, options: "-c lucia_auth.active_period=30d -c lucia_auth.idle_period=90d" });
		await client.connect();
		sides.push({ close: () => client.end() });
		const sqlAuth = luciaAuth(drizzle(client));
		const user = await sqlAuth.createUser({ userId: generateRandomString(15) });
		const start = Date.now();
		const created = await sqlAuth.createSession({ userId: user.userId });
		assertExpiries(created, start, Date.now(), 30 * DAY, 90 * DAY);
	});
});
