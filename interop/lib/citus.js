// The suite against a Citus cluster: with LUCIA_INTEROP_CITUS_WORKERS set
// ("host:port host:port", the workers; the PG* variables name the
// coordinator), every test database is made on the coordinator and on each
// worker with the citus extension, the workers are added to it, and once the
// layout's tables exist they are distributed as the README's "Scaling out"
// section says: the user table a reference table, the session and key tables
// distributed by id and co-located. Every case then runs unchanged against
// the distributed tables. test/t/014_citus_cluster.pl runs it so.

import pg from "pg";

/** The workers named by LUCIA_INTEROP_CITUS_WORKERS, or [] without Citus. */
export const citusWorkers = () =>
	(process.env.LUCIA_INTEROP_CITUS_WORKERS ?? "")
		.split(/[\s,]+/)
		.filter(Boolean)
		.map((worker) => {
			const at = worker.lastIndexOf(":");
			return { host: worker.slice(0, at), port: Number(worker.slice(at + 1)) };
		});

const withClient = async (options, run) => {
	const client = new pg.Client(options);
	await client.connect();
	try {
		return await run(client);
	} finally {
		await client.end();
	}
};

/**
 * Makes database `name` (already created on the coordinator) a Citus
 * database: the same database with the citus extension on every worker, and
 * the workers added to it on the coordinator. Call before CREATE EXTENSION
 * lucia_auth, which Citus then creates on the workers too.
 * @param {string} name
 * @param {string} maintenanceDatabase
 */
export const prepareCitusDatabase = async (name, maintenanceDatabase) => {
	const workers = citusWorkers();
	for (const { host, port } of workers) {
		await withClient({ host, port, database: maintenanceDatabase }, async (admin) => {
			await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
			await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
		});
		await withClient({ host, port, database: name }, (client) => client.query("CREATE EXTENSION citus"));
	}
	await withClient({ database: name }, async (client) => {
		await client.query("CREATE EXTENSION citus");
		for (const { host, port } of workers) {
			await client.query("SELECT pg_catalog.citus_add_node($1, $2)", [host, port]);
		}
		// A case turns foreign key checks off with SET LOCAL session_replication_role: Citus passes SET
		// LOCAL on to the workers, where the checks of the distributed tables run, only when told to.
		await client.query(
			`ALTER DATABASE ${pg.escapeIdentifier(name)} SET citus.propagate_set_commands = 'local'`
		);
	});
};

/**
 * Distributes the tables that lucia_auth uses in database `name` (as its
 * settings name them): the user table a reference table, sessions and keys
 * distributed by id and co-located. Four shards, so that each worker holds
 * some and the suite stays quick.
 * @param {string} name
 */
export const distributeTables = async (name) => {
	await withClient({ database: name }, async (client) => {
		const {
			rows: [tables]
		} = await client.query("SELECT * FROM lucia_auth.table_names()");
		await client.query("SET citus.shard_count = 4");
		await client.query("SELECT pg_catalog.create_reference_table($1)", [tables.user_table]);
		await client.query("SELECT pg_catalog.create_distributed_table($1, 'id')", [tables.session_table]);
		await client.query("SELECT pg_catalog.create_distributed_table($1, 'id', colocate_with => $2)", [
			tables.key_table,
			tables.session_table
		]);
	});
};
