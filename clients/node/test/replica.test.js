// Validation on a standby (the `replica` option), against stand-ins for standbys on one server: a
// connection whose transactions are read-only (lucia_auth reads there as on a hot standby: an idle
// session comes back unrenewed), a database that lacks the newest sessions (a standby behind the
// primary), and a server that is down. test/t/012_replica_routing.pl walks the same pattern on a real
// primary and standby.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LuciaError, lucia } from "../dist/index.js";
import { pg } from "../dist/pg.js";
import { admin, drivers, freshDatabase, makeIdle, recording } from "./harness.js";
import pgModule from "pg";

const DATABASE = "lucia_auth_client_replica";
const BEHIND = "lucia_auth_client_replica_behind";

const names = (calls) => calls.map((call) => call.name);

describe("validation on a standby", () => {
	let primaryConnection;
	let standbyPool;
	let behindPool;
	let downPool;
	let user;

	before(async () => {
		await freshDatabase(DATABASE);
		await freshDatabase(BEHIND);
		primaryConnection = drivers.pg(DATABASE);
		standbyPool = new pgModule.Pool({ database: DATABASE, max: 2, options: "-c default_transaction_read_only=on" });
		behindPool = new pgModule.Pool({ database: BEHIND, max: 2 });
		downPool = new pgModule.Pool({ database: DATABASE, host: "127.0.0.1", port: 1, max: 1, connectionTimeoutMillis: 2000 });
		user = await lucia({ adapter: primaryConnection.adapter, env: "DEV" }).createUser({ key: null, attributes: {} });
	});

	after(async () => {
		await primaryConnection?.close();
		await standbyPool?.end();
		await behindPool?.end();
		await downPool?.end();
	});

	const setup = (standby, options = {}) => {
		const primary = recording(primaryConnection.adapter);
		const replica = recording(pg(standby));
		const replicaErrors = [];
		const auth = lucia({
			adapter: primary.driver,
			replica: replica.driver,
			env: "DEV",
			onReplicaError: (error) => replicaErrors.push(error),
			...options
		});
		return { auth, primary: primary.calls, replica: replica.calls, replicaErrors };
	};

	it("validates an active session on the standby alone", async () => {
		const { auth, primary, replica } = setup(standbyPool);
		const session = await auth.createSession({ userId: user.userId, attributes: {} });
		primary.length = 0;
		const validated = await auth.validateSession(session.sessionId);
		assert.equal(validated.state, "active");
		assert.equal(validated.fresh, false);
		assert.deepEqual(names(replica), ["lucia_auth.validate_session"]);
		assert.deepEqual(names(primary), []);
		assert.equal((await auth.getSession(session.sessionId)).sessionId, session.sessionId);
		assert.deepEqual(names(primary), []);
	});

	it("renews an idle session on the primary when the standby returns it unrenewed", async () => {
		const { auth, primary, replica } = setup(standbyPool);
		const session = await auth.createSession({ userId: user.userId, attributes: {} });
		await makeIdle(DATABASE, session.sessionId);
		primary.length = 0;
		const renewed = await auth.validateSession(session.sessionId);
		assert.equal(renewed.state, "idle");
		assert.equal(renewed.fresh, true);
		assert.deepEqual(names(replica), ["lucia_auth.validate_session"]);
		assert.deepEqual(names(primary), ["lucia_auth.validate_session"]);
		// getSession never renews: the standby's answer stands.
		await makeIdle(DATABASE, session.sessionId);
		primary.length = 0;
		const read = await auth.getSession(session.sessionId);
		assert.equal(read.state, "idle");
		assert.equal(read.fresh, false);
		assert.deepEqual(names(primary), []);
	});

	it("asks the primary for a session the standby does not know yet", async () => {
		const { auth, primary, replica } = setup(behindPool);
		const session = await auth.createSession({ userId: user.userId, attributes: {} });
		primary.length = 0;
		assert.equal((await auth.validateSession(session.sessionId)).sessionId, session.sessionId);
		assert.deepEqual(names(replica), ["lucia_auth.validate_session"]);
		assert.deepEqual(names(primary), ["lucia_auth.validate_session"]);
		assert.equal((await auth.getSession(session.sessionId)).sessionId, session.sessionId);
		primary.length = 0;
		await assert.rejects(
			auth.validateSession("no-such-session"),
			(error) => error instanceof LuciaError && error.message === "AUTH_INVALID_SESSION_ID"
		);
		assert.deepEqual(names(primary), ["lucia_auth.validate_session"]);
	});

	it("asks the primary when the standby fails, and reports the standby's error", async () => {
		const { auth, primary, replicaErrors } = setup(downPool);
		const session = await auth.createSession({ userId: user.userId, attributes: {} });
		primary.length = 0;
		assert.equal((await auth.validateSession(session.sessionId)).sessionId, session.sessionId);
		assert.deepEqual(names(primary), ["lucia_auth.validate_session"]);
		assert.equal(replicaErrors.length, 1);
		assert.equal(replicaErrors[0].name, "DatabaseError");
		assert.equal(replicaErrors[0].code, "ECONNREFUSED");
	});

	it("writes on the primary only, and logs out with remote_apply unless told not to", async () => {
		const { auth, primary, replica } = setup(standbyPool);
		const session = await auth.createSession({ userId: user.userId, attributes: {} });
		const other = await auth.createSession({ userId: user.userId, attributes: {} });
		await auth.invalidateOtherSessions(session.sessionId);
		await auth.invalidateSession(session.sessionId);
		assert.deepEqual(names(replica), []);
		assert.deepEqual(names(primary), [
			"lucia_auth.create_session",
			"lucia_auth.create_session",
			"lucia_auth.invalidate_other_sessions:remote_apply",
			"lucia_auth.invalidate_session:remote_apply"
		]);
		assert.match(primary[2].text, /^select set_config\('synchronous_commit', 'remote_apply', true\), lucia_auth\./);
		for (const gone of [session, other]) {
			await assert.rejects(auth.validateSession(gone.sessionId), (error) => error.message === "AUTH_INVALID_SESSION_ID");
		}
		// The setting was local to the logout's transaction.
		const [{ synchronous_commit }] = (await primaryConnection.adapter.query({ name: "show", text: "show synchronous_commit" }, []));
		assert.equal(synchronous_commit, "on");

		const noWait = setup(standbyPool, { waitForReplicaOnLogout: false });
		const third = await noWait.auth.createSession({ userId: user.userId, attributes: {} });
		await noWait.auth.invalidateSession(third.sessionId);
		assert.equal(noWait.primary.at(-1).name, "lucia_auth.invalidate_session");

		const single = recording(primaryConnection.adapter);
		const plain = lucia({ adapter: single.driver, env: "DEV" });
		await plain.invalidateAllUserSessions(user.userId);
		assert.deepEqual(names(single.calls), ["lucia_auth.invalidate_all_user_sessions"]);
	});
});
