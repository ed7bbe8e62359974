// Errors: Lucia's error codes as LuciaError (message = the code, as Lucia v2), every other error of a
// call as a DatabaseError made afresh from the driver's, keeping only fields that cannot hold a bind
// parameter. postgres.js attaches the parameters of a failed query to its error (non-enumerable and
// not configurable, so they cannot be removed), and Drizzle's DrizzleQueryError repeats them in its
// message: neither ever leaves this package, so a logged error never shows a password or a token.

/** Lucia v2's error codes, and lucia_auth's AUTH_TOO_MANY_ATTEMPTS (throttled logins). */
export type ErrorMessage =
	| "AUTH_INVALID_SESSION_ID"
	| "AUTH_INVALID_PASSWORD"
	| "AUTH_DUPLICATE_KEY_ID"
	| "AUTH_INVALID_KEY_ID"
	| "AUTH_INVALID_USER_ID"
	| "AUTH_INVALID_REQUEST"
	| "AUTH_NOT_AUTHENTICATED"
	| "REQUEST_UNAUTHORIZED"
	| "UNKNOWN_ERROR"
	| "AUTH_OUTDATED_PASSWORD"
	| "AUTH_TOO_MANY_ATTEMPTS";

const SERVER_CODES: ReadonlySet<string> = new Set([
	"AUTH_INVALID_SESSION_ID",
	"AUTH_INVALID_PASSWORD",
	"AUTH_DUPLICATE_KEY_ID",
	"AUTH_INVALID_KEY_ID",
	"AUTH_INVALID_USER_ID",
	"AUTH_OUTDATED_PASSWORD",
	"AUTH_TOO_MANY_ATTEMPTS"
]);

/**
 * Lucia's error: `message` is the error code, as in `lucia`. Raised by the server, it also carries the
 * SQLSTATE in `code` (28000, 28P01, 23505, …).
 */
export class LuciaError extends Error {
	override message: ErrorMessage;
	detail: string;
	/** The SQLSTATE when the server raised it; undefined for errors made in the client. */
	code: string | undefined;

	constructor(errorMsg: ErrorMessage, detail?: string, code?: string) {
		super(errorMsg);
		this.name = "LuciaError";
		this.message = errorMsg;
		this.detail = detail ?? "";
		this.code = code;
	}
}

/**
 * Any other error of a call: a server error (SQLSTATE in `code`, e.g. 23505, 42501, 25006) or a
 * connection error (the driver's code, e.g. ECONNREFUSED). It holds no query parameters.
 */
export class DatabaseError extends Error {
	/** SQLSTATE for server errors; the driver's code (ECONNREFUSED, CONNECTION_ENDED, …) otherwise. */
	code: string | undefined;
	severity: string | undefined;
	detail: string | undefined;
	hint: string | undefined;
	schema: string | undefined;
	table: string | undefined;
	column: string | undefined;
	constraint: string | undefined;
	/** The name of the statement that failed, e.g. "lucia_auth.use_key". */
	statement: string | undefined;

	constructor(message: string, fields: Partial<Omit<DatabaseError, keyof Error>> = {}) {
		super(message);
		this.name = "DatabaseError";
		this.code = fields.code;
		this.severity = fields.severity;
		this.detail = fields.detail;
		this.hint = fields.hint;
		this.schema = fields.schema;
		this.table = fields.table;
		this.column = fields.column;
		this.constraint = fields.constraint;
		this.statement = fields.statement;
	}
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Drizzle wraps the driver's error (in `cause`); find the driver's own. */
const driverError = (error: unknown): Record<string, unknown> => {
	let current: unknown = error;
	for (let depth = 0; depth < 5; depth += 1) {
		if (current === null || typeof current !== "object") break;
		const record = current as Record<string, unknown>;
		if (typeof record.code === "string" || typeof record.severity === "string") return record;
		if (!("cause" in record) || record.cause === undefined) break;
		current = record.cause;
	}
	return (error !== null && typeof error === "object" ? error : { message: String(error) }) as Record<
		string,
		unknown
	>;
};

const isDrizzleQueryError = (error: Record<string, unknown>): boolean =>
	typeof error.message === "string" && error.message.startsWith("Failed query:") && "params" in error;

/**
 * The error a call throws for `error`, caught from the driver. `statement` names the call. Lucia's
 * codes become LuciaError; everything else a DatabaseError of safe fields.
 */
export const toClientError = (error: unknown, statement: string): Error => {
	if (error instanceof LuciaError || error instanceof DatabaseError) return error;
	const source = driverError(error);
	const message = text(source.message) ?? "unknown error";
	const code = text(source.code);
	const detail = text(source.detail);
	if (SERVER_CODES.has(message)) return new LuciaError(message as ErrorMessage, detail, code);
	// A DrizzleQueryError without a driver error under it: its message repeats the parameters.
	const safeMessage = isDrizzleQueryError(source) ? `query failed: ${statement}` : message;
	return new DatabaseError(safeMessage, {
		code,
		severity: text(source.severity),
		detail,
		hint: text(source.hint),
		// node-postgres names these schema/table/…; postgres.js schema_name/table_name/…
		schema: text(source.schema) ?? text(source.schema_name),
		table: text(source.table) ?? text(source.table_name),
		column: text(source.column) ?? text(source.column_name),
		constraint: text(source.constraint) ?? text(source.constraint_name),
		statement
	});
};
