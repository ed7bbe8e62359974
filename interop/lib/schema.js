// Drizzle declarations of the two table layouts the suite runs against.
//
// `drizzleLayout` is the PostgreSQL schema of Lucia's "Using Drizzle ORM" guide
// (varchar ids, bigint expiries in number mode) with a few attribute columns.
// `quotedLayout` is the plain-SQL schema of @lucia-auth/adapter-postgresql
// (text columns) placed in a schema and tables whose names need quoting.

import { bigint, boolean, integer, pgSchema, pgTable, text, varchar } from "drizzle-orm/pg-core";

export const user = pgTable("auth_user", {
	id: varchar("id", {
		length: 15
	}).primaryKey(),
	username: text("username"),
	age: integer("age"),
	verified: boolean("verified")
});

export const session = pgTable("user_session", {
	id: varchar("id", {
		length: 128
	}).primaryKey(),
	userId: varchar("user_id", {
		length: 15
	})
		.notNull()
		.references(() => user.id),
	activeExpires: bigint("active_expires", {
		mode: "number"
	}).notNull(),
	idleExpires: bigint("idle_expires", {
		mode: "number"
	}).notNull(),
	country: text("country"),
	ip: text("ip")
});

export const key = pgTable("user_key", {
	id: varchar("id", {
		length: 255
	}).primaryKey(),
	userId: varchar("user_id", {
		length: 15
	})
		.notNull()
		.references(() => user.id),
	hashedPassword: varchar("hashed_password", {
		length: 255
	})
});

export const authZone = pgSchema("Auth Zone");

export const people = authZone.table("People", {
	id: text("id").primaryKey(),
	displayName: text("Display Name")
});

export const keys = authZone.table("Keys", {
	id: text("id").primaryKey(),
	userId: text("user_id")
		.notNull()
		.references(() => people.id),
	hashedPassword: text("hashed_password")
});

export const sessions = authZone.table("Sessions", {
	id: text("id").primaryKey(),
	userId: text("user_id")
		.notNull()
		.references(() => people.id),
	activeExpires: bigint("active_expires", {
		mode: "number"
	}).notNull(),
	idleExpires: bigint("idle_expires", {
		mode: "number"
	}).notNull(),
	country: text("Country")
});
