// postgres.js: a `sql` from postgres(), or a transaction's `sql` inside sql.begin(). postgres.js can
// route by itself: with several hosts and target_session_attrs (standby, prefer-standby, primary,
// read-write, read-only), e.g. postgres("postgres://standby1,standby2/app", { target_session_attrs:
// "prefer-standby" }), give that sql as `replica` to lucia().

import type { Driver, Row, Statement } from "./driver.js";

/** What the client uses of a postgres.js sql (or transaction sql). */
export type PostgresJsSql = {
	unsafe(query: string, parameters?: any[], options?: { prepare?: boolean }): PromiseLike<any>;
	begin?: (run: (sql: any) => Promise<any>) => PromiseLike<any>;
	options?: { prepare?: boolean };
};

export type PostgresJsOptions = {
	/**
	 * Named prepared statements, described once per connection (default: the connection's own
	 * `prepare` option, true unless it was turned off for a pooler). Unprepared, postgres.js describes
	 * each statement in a round trip of its own before running it.
	 */
	prepare?: boolean;
};

/**
 * A driver over a postgres.js sql. `tables` (as given to Lucia's adapter) is accepted and ignored:
 * lucia_auth's settings name the tables, on the server.
 */
export const postgres = (
	sql: PostgresJsSql,
	tables?: { user: string; key: string; session?: string | null } | null,
	{ prepare }: PostgresJsOptions = {}
): Driver => {
	void tables;
	const on = (target: PostgresJsSql): Driver => ({
		kind: "postgres",
		query: async (statement: Statement, params: readonly unknown[]) => {
			const result = await target.unsafe(statement.text, [...params] as any[], {
				prepare: prepare ?? target.options?.prepare ?? true
			});
			return [...(result as Iterable<Row>)];
		},
		transaction: async (body) => {
			if (typeof target.begin !== "function") return body(on(target), target);
			return (await target.begin((transactionSql) => body(on(transactionSql), transactionSql))) as any;
		}
	});
	return on(sql);
};

export default postgres;
