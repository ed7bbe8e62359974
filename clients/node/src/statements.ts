// Every statement the client sends. The text is constant: arguments are bind parameters, cast to the
// types of the lucia_auth functions so that the server resolves exactly those functions. Attributes
// are sent as text and cast to jsonb on the server: postgres.js would otherwise serialize the JSON
// text again, as a JSON string.

import type { Statement } from "./driver.js";

const statement = (name: string, text: string): Statement => ({ name: `lucia_auth.${name}`, text });

/** A logout whose commit waits until synchronous standbys have applied it (remote_apply). */
const applied = (name: string, call: string): Statement =>
	statement(`${name}:remote_apply`, `select set_config('synchronous_commit', 'remote_apply', true), ${call}`);

export const statements = {
	hashPassword: statement("hash_password", "select lucia_auth.hash_password($1::text) as value"),
	verifyPassword: statement("verify_password", "select lucia_auth.verify_password($1::text, $2::text) as value"),
	passwordNeedsRehash: statement("password_needs_rehash", "select lucia_auth.password_needs_rehash($1::text) as value"),
	generateRandomString: statement("generate_random_string", "select lucia_auth.generate_random_string($1::int) as value"),
	generateRandomStringFrom: statement(
		"generate_random_string:alphabet",
		"select lucia_auth.generate_random_string($1::int, $2::text) as value"
	),

	createUser: statement(
		"create_user",
		"select * from lucia_auth.create_user($1::text, $2::text, $3::text, $4::text, $5::text::jsonb)"
	),
	getUser: statement("get_user", "select * from lucia_auth.get_user($1::text)"),
	updateUserAttributes: statement(
		"update_user_attributes",
		"select * from lucia_auth.update_user_attributes($1::text, $2::text::jsonb)"
	),
	deleteUser: statement("delete_user", "select lucia_auth.delete_user($1::text)"),
	deleteUserApplied: applied("delete_user", "lucia_auth.delete_user($1::text)"),

	createKey: statement("create_key", "select * from lucia_auth.create_key($1::text, $2::text, $3::text, $4::text)"),
	useKey: statement("use_key", "select * from lucia_auth.use_key($1::text, $2::text, $3::text)"),
	useKeyFromClient: statement(
		"use_key:client",
		"select * from lucia_auth.use_key($1::text, $2::text, $3::text, $4::text)"
	),
	getKey: statement("get_key", "select * from lucia_auth.get_key($1::text, $2::text)"),
	getAllUserKeys: statement("get_all_user_keys", "select * from lucia_auth.get_all_user_keys($1::text)"),
	updateKeyPassword: statement(
		"update_key_password",
		"select * from lucia_auth.update_key_password($1::text, $2::text, $3::text)"
	),
	deleteKey: statement("delete_key", "select lucia_auth.delete_key($1::text, $2::text)"),

	createSession: statement("create_session", "select * from lucia_auth.create_session($1::text, $2::text::jsonb, $3::text)"),
	validateSession: statement("validate_session", "select * from lucia_auth.validate_session($1::text)"),
	getSession: statement("get_session", "select * from lucia_auth.get_session($1::text)"),
	getAllUserSessions: statement("get_all_user_sessions", "select * from lucia_auth.get_all_user_sessions($1::text)"),
	updateSessionAttributes: statement(
		"update_session_attributes",
		"select * from lucia_auth.update_session_attributes($1::text, $2::text::jsonb)"
	),
	invalidateSession: statement("invalidate_session", "select lucia_auth.invalidate_session($1::text)"),
	invalidateSessionApplied: applied("invalidate_session", "lucia_auth.invalidate_session($1::text)"),
	invalidateAllUserSessions: statement(
		"invalidate_all_user_sessions",
		"select lucia_auth.invalidate_all_user_sessions($1::text)"
	),
	invalidateAllUserSessionsApplied: applied(
		"invalidate_all_user_sessions",
		"lucia_auth.invalidate_all_user_sessions($1::text)"
	),
	invalidateOtherSessions: statement(
		"invalidate_other_sessions",
		"select lucia_auth.invalidate_other_sessions($1::text) as value"
	),
	invalidateOtherSessionsApplied: applied(
		"invalidate_other_sessions",
		"lucia_auth.invalidate_other_sessions($1::text) as value"
	),
	deleteDeadUserSessions: statement("delete_dead_user_sessions", "select lucia_auth.delete_dead_user_sessions($1::text)"),
	deleteExpiredSessions: statement("delete_expired_sessions", "select lucia_auth.delete_expired_sessions() as value"),
	deleteExpiredSessionsBatch: statement(
		"delete_expired_sessions:batch",
		"select lucia_auth.delete_expired_sessions($1::int) as value"
	),
	hashSessionIds: statement("hash_session_ids", "select lucia_auth.hash_session_ids() as value"),
	hashSessionIdsBatch: statement("hash_session_ids:batch", "select lucia_auth.hash_session_ids($1::int) as value"),

	authenticate: statement("authenticate", "select * from lucia_auth.authenticate($1::text)"),
	currentUserId: statement("current_user_id", "select lucia_auth.current_user_id() as value"),

	readSessionCookie: statement("read_session_cookie", "select lucia_auth.read_session_cookie($1::text) as value"),
	readSessionCookieNamed: statement(
		"read_session_cookie:name",
		"select lucia_auth.read_session_cookie($1::text, $2::text) as value"
	),
	readBearerToken: statement("read_bearer_token", "select lucia_auth.read_bearer_token($1::text) as value"),
	createSessionCookie: statement(
		"create_session_cookie",
		"select lucia_auth.create_session_cookie($1::text, $2::bigint, $3::boolean) as value"
	),
	createSessionCookieNamed: statement(
		"create_session_cookie:name",
		"select lucia_auth.create_session_cookie($1::text, $2::bigint, $3::boolean, $4::text) as value"
	),

	tableNames: statement("table_names", "select * from lucia_auth.table_names()"),
	createTables: statement("create_tables", "select lucia_auth.create_tables()")
} as const;
