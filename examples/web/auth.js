// The application's auth: lucia_auth's Node client, Lucia v2's Auth over Drizzle, connected as the
// least-privileged role web_app. Cookies are Lucia's (HttpOnly, SameSite=Lax, Secure in production),
// and handleRequest() reads the session cookie only from requests that pass Lucia's Origin check.

import { drizzle as drizzleOrm } from "drizzle-orm/node-postgres";
import { lucia } from "lucia_auth";
import { drizzle } from "lucia_auth/drizzle";
import { node } from "lucia_auth/middleware";
import pg from "pg";
import { APP_ROLE } from "./setup.js";

/**
 * @param {{ database: string, password: string, production?: boolean, pool?: pg.PoolConfig }} options
 */
export const connect = ({ database, password, production = process.env.NODE_ENV === "production", pool: poolConfig = {} }) => {
	const pool = new pg.Pool({
		...(process.env.DATABASE_URL ? { connectionString: process.env.DATABASE_URL } : {}),
		database,
		user: APP_ROLE,
		password,
		max: 5,
		...poolConfig
	});
	const db = drizzleOrm(pool);
	const auth = lucia({
		adapter: drizzle(db),
		env: production ? "PROD" : "DEV",
		middleware: node(),
		getUserAttributes: (user) => ({ username: user.username }),
		getSessionAttributes: (session) => ({ userAgent: session.user_agent, signedInAt: session.signed_in_at })
	});
	return { pool, db, auth };
};
