// Drizzle ORM: a database from drizzle-orm/node-postgres or drizzle-orm/postgres-js, or a transaction
// inside db.transaction(). Routing to standbys is the underlying driver's: see pg.ts and postgres.ts.
//
// Drizzle wraps a failed query's error in a DrizzleQueryError whose message repeats the parameters;
// the client never lets it out (see errors.ts).

import { sql, type SQL } from "drizzle-orm";
import type { Driver, Row, Statement } from "./driver.js";

/** What the client uses of a Drizzle database or transaction. */
export type DrizzleDatabase = {
	execute(query: SQL): PromiseLike<unknown>;
	transaction?: (run: (tx: any) => Promise<any>) => Promise<any>;
};

const placeholder = /\$(\d+)/g;

/** The statement as a Drizzle SQL object: its text, with each $n a bound parameter. */
const toSql = (statement: Statement, params: readonly unknown[]): SQL => {
	const chunks: SQL[] = [];
	let last = 0;
	for (const match of statement.text.matchAll(placeholder)) {
		chunks.push(sql.raw(statement.text.slice(last, match.index)));
		chunks.push(sql`${params[Number(match[1]) - 1]}`);
		last = match.index! + match[0].length;
	}
	chunks.push(sql.raw(statement.text.slice(last)));
	return sql.join(chunks);
};

/** node-postgres gives a QueryResult (rows), postgres.js an array of rows. */
const rowsOf = (result: unknown): Row[] =>
	Array.isArray(result) ? [...result] : ((result as { rows: Row[] }).rows ?? []);

/** A driver over a Drizzle database (node-postgres or postgres.js) or transaction. */
export const drizzle = (db: DrizzleDatabase): Driver => {
	const on = (target: DrizzleDatabase): Driver => ({
		kind: "drizzle",
		query: async (statement, params) => rowsOf(await target.execute(toSql(statement, params))),
		transaction: async (body) => {
			if (typeof target.transaction !== "function") return body(on(target), target);
			return target.transaction((tx) => body(on(tx), tx));
		}
	});
	return on(db);
};

export default drizzle;
