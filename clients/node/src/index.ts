// lucia_auth for Node: Lucia v2's Auth on the lucia_auth PostgreSQL functions.
//
//   import { lucia } from "lucia_auth";
//   import { pg } from "lucia_auth/pg";            // or lucia_auth/postgres, lucia_auth/drizzle
//   export const auth = lucia({ adapter: pg(pool), env: "PROD" });

export {
	Auth,
	lucia,
	createKeyId,
	sessionIdMatches,
	type Configuration,
	type Env,
	type Key,
	type KeySchema,
	type Session,
	type SessionSchema,
	type User,
	type UserSchema
} from "./auth.js";
export {
	createClient,
	type Attributes,
	type CookieOptions,
	type CreateKeyOptions,
	type CreateSessionOptions,
	type CreateUserOptions,
	type KeyRecord,
	type LogoutOptions,
	type LuciaAuthClient,
	type SessionRecord,
	type TableNames,
	type UserRecord
} from "./client.js";
export {
	Cookie,
	DEFAULT_SESSION_COOKIE_NAME,
	parseCookie,
	serializeCookie,
	type CookieAttributes,
	type SessionCookieConfiguration
} from "./cookie.js";
export type { Driver, Row, Statement } from "./driver.js";
export { DatabaseError, LuciaError, type ErrorMessage } from "./errors.js";
export {
	AuthRequest,
	type CSRFProtectionConfiguration,
	type LuciaRequest,
	type Middleware,
	type RequestContext
} from "./request.js";
