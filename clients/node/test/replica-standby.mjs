// The replica pattern through the client on a real primary and hot standby, run by
// test/t/012_replica_routing.pl with PRIMARY_PORT, STANDBY_PORT and PGUSER (both servers on
// 127.0.0.1, the standby synchronous). The primary is a node-postgres Pool; the replica is postgres.js
// given both hosts with target_session_attrs=standby, which picks the standby by itself. Prints a line
// per step and exits non-zero at the first that fails.

import assert from "node:assert/strict";
import pgModule from "pg";
import postgresJs from "postgres";
import { LuciaError, lucia } from "../dist/index.js";
import { pg } from "../dist/pg.js";
import { postgres } from "../dist/postgres.js";

const host = "127.0.0.1";
const user = process.env.PGUSER;
const database = "postgres";
const primaryPort = Number(process.env.PRIMARY_PORT);
const standbyPort = Number(process.env.STANDBY_PORT);

const primaryPool = new pgModule.Pool({ host, port: primaryPort, user, database, max: 4 });
const standbyPool = new pgModule.Pool({ host, port: standbyPort, user, database, max: 2 });
const replicaSql = postgresJs(`postgres://${user}@${host}:${primaryPort},${host}:${standbyPort}/${database}`, {
	target_session_attrs: "standby",
	max: 2,
	onnotice: () => {}
});

/** A driver that counts the validations it serves. */
const counted = (driver) => {
	const counter = { validations: 0 };
	return {
		counter,
		driver: {
			kind: driver.kind,
			query: (statement, params) => {
				if (statement.name === "lucia_auth.validate_session") counter.validations += 1;
				return driver.query(statement, params);
			},
			transaction: (run) => driver.transaction(run)
		}
	};
};

const primary = counted(pg(primaryPool));
const replica = counted(postgres(replicaSql));
const auth = lucia({ adapter: primary.driver, replica: replica.driver, env: "PROD" });
const noWait = lucia({ adapter: primary.driver, replica: replica.driver, env: "PROD", waitForReplicaOnLogout: false });

const step = (name) => console.log(`ok - ${name}`);
const reset = () => {
	primary.counter.validations = 0;
	replica.counter.validations = 0;
};
const served = () => [replica.counter.validations, primary.counter.validations];

const waitForReplay = async () => {
	const lsn = (await primaryPool.query("select pg_current_wal_lsn() as lsn")).rows[0].lsn;
	for (let i = 0; i < 600; i += 1) {
		const { rows } = await standbyPool.query("select pg_last_wal_replay_lsn() >= $1::pg_lsn as done", [lsn]);
		if (rows[0].done) return;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error("the standby did not replay");
};
const pauseReplay = async () => {
	await standbyPool.query("select pg_wal_replay_pause()");
	for (let i = 0; i < 600; i += 1) {
		if ((await standbyPool.query("select pg_get_wal_replay_pause_state() as s")).rows[0].s === "paused") return;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error("replay did not pause");
};
const resumeReplay = () => standbyPool.query("select pg_wal_replay_resume()");
const onStandby = async (token) => {
	try {
		const { rows } = await standbyPool.query("select state from lucia_auth.validate_session($1)", [token]);
		return rows[0].state;
	} catch (error) {
		return error.message;
	}
};
const isInvalid = (error) => error instanceof LuciaError && error.message === "AUTH_INVALID_SESSION_ID";

try {
	assert.equal((await replicaSql`select pg_is_in_recovery() as standby`)[0].standby, true);
	step("postgres.js with target_session_attrs=standby connected to the standby");

	const user = await auth.createUser({ key: null, attributes: {} });
	const created = await auth.createSession({ userId: user.userId, attributes: {} });
	await waitForReplay();
	reset();
	assert.equal((await auth.validateSession(created.sessionId)).state, "active");
	assert.deepEqual(served(), [1, 0]);
	step("a replayed session validates on the standby alone");

	await pauseReplay();
	const newer = await auth.createSession({ userId: user.userId, attributes: {} });
	reset();
	assert.equal((await auth.validateSession(newer.sessionId)).sessionId, newer.sessionId);
	assert.deepEqual(served(), [1, 1]);
	step("a session newer than the standby's replay validates through the primary");
	await resumeReplay();

	await primaryPool.query(
		"update user_session set active_expires = (extract(epoch from now()) * 1000)::bigint - 60000 where id = $1",
		[created.sessionId]
	);
	await waitForReplay();
	reset();
	const renewed = await auth.validateSession(created.sessionId);
	assert.equal(renewed.fresh, true);
	assert.deepEqual(served(), [1, 1]);
	await waitForReplay();
	reset();
	const active = await auth.validateSession(created.sessionId);
	assert.equal(active.state, "active");
	assert.equal(active.fresh, false);
	assert.deepEqual(served(), [1, 0]);
	step("an idle session is renewed through the primary, then validates on the standby alone");

	await pauseReplay();
	let settled = false;
	const logout = auth.invalidateSession(created.sessionId).then(() => {
		settled = true;
	});
	for (let i = 0; i < 600; i += 1) {
		const { rows } = await primaryPool.query("select count(*)::int as n from pg_stat_activity where wait_event = 'SyncRep'");
		if (rows[0].n > 0) break;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	assert.equal(settled, false);
	assert.equal(await onStandby(created.sessionId), "active");
	await resumeReplay();
	await logout;
	assert.equal(await onStandby(created.sessionId), "AUTH_INVALID_SESSION_ID");
	await assert.rejects(auth.validateSession(created.sessionId), isInvalid);
	step("a logout (remote_apply) returns only once the standby has applied it");

	await waitForReplay();
	await pauseReplay();
	await noWait.invalidateSession(newer.sessionId);
	reset();
	assert.equal((await noWait.validateSession(newer.sessionId)).sessionId, newer.sessionId);
	assert.deepEqual(served(), [1, 0]);
	await resumeReplay();
	await waitForReplay();
	await assert.rejects(noWait.validateSession(newer.sessionId), isInvalid);
	step("a logout without remote_apply leaves the session valid on the standby until it replays the logout");
} finally {
	await resumeReplay().catch(() => {});
	await primaryPool.end();
	await standbyPool.end();
	await replicaSql.end({ timeout: 5 });
}
