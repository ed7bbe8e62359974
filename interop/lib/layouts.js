// The table layouts: DDL, the names given to Lucia's adapter, the
// lucia_auth settings that point the SQL functions at the same tables, and
// sample attribute values whose keys are column names.

import * as schema from "./schema.js";

/**
 * @typedef {object} Layout
 * @property {string} name
 * @property {string[]} ddl statements creating the tables
 * @property {{ user: string, key: string, session: string }} luciaTables names for the Lucia adapter
 * @property {Record<string, string>} settings lucia_auth settings for ALTER DATABASE
 * @property {{ user: any, key: any, session: any }} tables Drizzle tables
 * @property {(n: number) => Record<string, unknown>} userAttributes
 * @property {(n: number) => Record<string, unknown>} userAttributeUpdate a partial update
 * @property {(n: number) => Record<string, unknown>} sessionAttributes
 * @property {(n: number) => Record<string, unknown>} sessionAttributeUpdate a partial update
 * @property {Record<string, unknown>} emptyUserAttributes attributes of a user created without any
 * @property {Record<string, unknown>} emptySessionAttributes attributes of a session created without any
 * @property {Record<string, unknown>} unknownUserAttribute an attribute naming no column
 */

/** Lucia's "Using Drizzle ORM" PostgreSQL schema, as drizzle-kit would create it. @type {Layout} */
export const drizzleLayout = {
	name: "drizzle",
	ddl: [
		`CREATE TABLE "auth_user" (
			"id" varchar(15) PRIMARY KEY NOT NULL,
			"username" text,
			"age" integer,
			"verified" boolean
		)`,
		`CREATE TABLE "user_session" (
			"id" varchar(128) PRIMARY KEY NOT NULL,
			"user_id" varchar(15) NOT NULL,
			"active_expires" bigint NOT NULL,
			"idle_expires" bigint NOT NULL,
			"country" text,
			"ip" text
		)`,
		`CREATE TABLE "user_key" (
			"id" varchar(255) PRIMARY KEY NOT NULL,
			"user_id" varchar(15) NOT NULL,
			"hashed_password" varchar(255)
		)`,
		`ALTER TABLE "user_session" ADD CONSTRAINT "user_session_user_id_auth_user_id_fk"
			FOREIGN KEY ("user_id") REFERENCES "auth_user"("id") ON DELETE no action ON UPDATE no action`,
		`ALTER TABLE "user_key" ADD CONSTRAINT "user_key_user_id_auth_user_id_fk"
			FOREIGN KEY ("user_id") REFERENCES "auth_user"("id") ON DELETE no action ON UPDATE no action`,
		`CREATE INDEX "user_session_user_id_idx" ON "user_session" ("user_id")`,
		`CREATE INDEX "user_key_user_id_idx" ON "user_key" ("user_id")`
	],
	luciaTables: { user: "auth_user", key: "user_key", session: "user_session" },
	settings: {},
	tables: { user: schema.user, key: schema.key, session: schema.session },
	userAttributes: (n) => ({ username: `user ${n} ünïcode ✓`, age: 20 + n, verified: n % 2 === 0 }),
	userAttributeUpdate: (n) => ({ username: `renamed ${n}`, verified: true }),
	sessionAttributes: (n) => ({ country: n % 2 ? "NZ" : "DE", ip: `192.0.2.${n}` }),
	sessionAttributeUpdate: (n) => ({ ip: `198.51.100.${n}` }),
	emptyUserAttributes: { username: null, age: null, verified: null },
	emptySessionAttributes: { country: null, ip: null },
	unknownUserAttribute: { no_such_column: "x" }
};

/** The plain-SQL schema of Lucia's PostgreSQL adapter under quoted, schema-qualified names. @type {Layout} */
export const quotedLayout = {
	name: "quoted",
	ddl: [
		`CREATE SCHEMA "Auth Zone"`,
		`CREATE TABLE "Auth Zone"."People" (
			id TEXT PRIMARY KEY,
			"Display Name" TEXT
		)`,
		`CREATE TABLE "Auth Zone"."Keys" (
			id TEXT PRIMARY KEY,
			user_id TEXT REFERENCES "Auth Zone"."People"(id) NOT NULL,
			hashed_password TEXT
		)`,
		`CREATE TABLE "Auth Zone"."Sessions" (
			id TEXT PRIMARY KEY,
			user_id TEXT REFERENCES "Auth Zone"."People"(id) NOT NULL,
			active_expires BIGINT NOT NULL,
			idle_expires BIGINT NOT NULL,
			"Country" TEXT
		)`,
		`CREATE INDEX ON "Auth Zone"."Keys" (user_id)`,
		`CREATE INDEX ON "Auth Zone"."Sessions" (user_id)`
	],
	luciaTables: {
		user: `"Auth Zone"."People"`,
		key: `"Auth Zone"."Keys"`,
		session: `"Auth Zone"."Sessions"`
	},
	settings: {
		"lucia_auth.user_table": `"Auth Zone"."People"`,
		"lucia_auth.key_table": `"Auth Zone"."Keys"`,
		"lucia_auth.session_table": `"Auth Zone"."Sessions"`
	},
	tables: { user: schema.people, key: schema.keys, session: schema.sessions },
	userAttributes: (n) => ({ "Display Name": `Person "${n}" – Åsa` }),
	userAttributeUpdate: (n) => ({ "Display Name": `Renamed ${n}` }),
	sessionAttributes: (n) => ({ Country: n % 2 ? "NZ" : "DE" }),
	sessionAttributeUpdate: (n) => ({ Country: `C${n}` }),
	emptyUserAttributes: { "Display Name": null },
	emptySessionAttributes: { Country: null },
	unknownUserAttribute: { "display name": "x" }
};
