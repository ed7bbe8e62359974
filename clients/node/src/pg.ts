// node-postgres: a Pool, a Client or a PoolClient. Statements are named prepared statements by
// default (parsed once per connection); `prepare: false` sends them unnamed, for poolers that do not
// keep prepared statements (PgBouncer in transaction mode before 1.21).
//
// node-postgres cannot choose a standby by itself (it has no target_session_attrs): point a second
// Pool at a standby (or at a service that routes to standbys) and give it as `replica` to lucia().

import type { Driver, Row, Statement } from "./driver.js";

type QueryConfig = { text: string; values: unknown[]; name?: string };

/** What the client uses of a node-postgres Pool, Client or PoolClient. */
export type NodePostgresQueryable = {
	query(config: QueryConfig): Promise<{ rows: Row[] }>;
};

type NodePostgresPool = NodePostgresQueryable & {
	connect(): Promise<NodePostgresQueryable & { release(error?: Error | boolean): void }>;
	totalCount: number;
};

export type NodePostgresOptions = {
	/** Named prepared statements (default true). */
	prepare?: boolean;
};

const isPool = (queryable: NodePostgresQueryable): queryable is NodePostgresPool =>
	"totalCount" in queryable && typeof (queryable as NodePostgresPool).connect === "function";

/**
 * A driver over a node-postgres Pool, Client or PoolClient. `tables` (as given to Lucia's adapter) is
 * accepted and ignored: lucia_auth's settings name the tables, on the server.
 */
export const pg = (
	queryable: NodePostgresQueryable,
	tables?: { user: string; key: string; session?: string | null } | null,
	{ prepare = true }: NodePostgresOptions = {}
): Driver => {
	void tables;
	const run = async (target: NodePostgresQueryable, statement: Statement, params: readonly unknown[]) =>
		(
			await target.query({
				text: statement.text,
				values: [...params],
				...(prepare ? { name: statement.name } : {})
			})
		).rows;

	const on = (target: NodePostgresQueryable, inTransaction: boolean): Driver => ({
		kind: "pg",
		query: (statement, params) => run(target, statement, params),
		transaction: async (body) => {
			if (inTransaction) return body(on(target, true), target);
			if (!isPool(target)) return inside(target, body);
			const connection = await target.connect();
			let broken: Error | undefined;
			try {
				return await inside(connection, body, (error) => {
					broken = error;
				});
			} finally {
				// A connection whose rollback failed is closed rather than returned to the pool.
				connection.release(broken);
			}
		}
	});

	const inside = async <T>(
		connection: NodePostgresQueryable,
		body: (driver: Driver, raw: unknown) => Promise<T>,
		onBroken?: (error: Error) => void
	): Promise<T> => {
		await connection.query({ text: "begin", values: [] });
		let result: T;
		try {
			result = await body(on(connection, true), connection);
		} catch (error) {
			try {
				await connection.query({ text: "rollback", values: [] });
			} catch (rollbackError) {
				onBroken?.(rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError)));
			}
			throw error;
		}
		await connection.query({ text: "commit", values: [] });
		return result;
	};

	return on(queryable, false);
};

export default pg;
