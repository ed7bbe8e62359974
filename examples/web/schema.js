// Drizzle declarations of the application's own table (migrations/0002_notes.sql). The auth tables
// have none: the application cannot read them; it reaches them through lucia_auth.

import { pgSchema, serial, text, timestamp, varchar } from "drizzle-orm/pg-core";

export const app = pgSchema("app");

export const note = app.table("note", {
	id: serial("id").primaryKey(),
	userId: varchar("user_id", { length: 15 }).notNull(),
	body: text("body").notNull(),
	createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow()
});
