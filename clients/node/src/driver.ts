// What the client needs of a database driver: run one statement with bind parameters and return its
// rows, and run a function in a transaction. pg.ts, postgres.ts and drizzle.ts make one of these from
// a node-postgres Pool or Client, a postgres.js sql, or a Drizzle database.

/** One SQL statement of the client: constant text with $1, $2, … placeholders, and a unique name. */
export type Statement = {
	/** Unique per text; node-postgres uses it as the name of the prepared statement. */
	readonly name: string;
	readonly text: string;
};

export type Row = Record<string, unknown>;

export interface Driver {
	/** "pg", "postgres" or "drizzle". */
	readonly kind: string;
	/** Runs the statement with its parameters (bind parameters, never spliced into the text). */
	query(statement: Statement, params: readonly unknown[]): Promise<Row[]>;
	/**
	 * Runs `run` in one transaction on one connection (committed when it resolves, rolled back when it
	 * rejects), with a driver for that transaction and the driver's own transaction object (a pg client,
	 * a postgres.js transaction sql, a Drizzle transaction) for the application's own statements.
	 */
	transaction<T>(run: (driver: Driver, raw: unknown) => Promise<T>): Promise<T>;
}
