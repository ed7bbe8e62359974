// One pg Pool shared by Drizzle and the lucia_auth calls. Connection
// parameters come from DATABASE_URL or the libpq variables (PGHOST, PGPORT,
// PGUSER, PGPASSWORD, PGDATABASE).

import { readFile } from "node:fs/promises";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { luciaAuth } from "./auth.js";

/** @param {pg.PoolConfig} [config] */
export const connect = (config = {}) => {
	const pool = new pg.Pool({
		...(process.env.DATABASE_URL ? { connectionString: process.env.DATABASE_URL } : {}),
		...config
	});
	const db = drizzle(pool);
	return { pool, db, auth: luciaAuth(db) };
};

/**
 * Creates the extension and the tables when they are missing.
 * @param {pg.Pool} pool
 */
export const migrate = async (pool) => {
	const ddl = await readFile(new URL("./migrations/0001_init.sql", import.meta.url), "utf8");
	await pool.query(ddl);
};
