// A Lucia v2 application's auth module and request handler as Lucia's guide writes them, with the
// imports changed from "lucia", "lucia/middleware" and "@lucia-auth/adapter-postgresql" to this
// package: `npm run typecheck` compiles it against the package's declarations.
import http from "node:http";
import pgModule from "pg";
import postgresJs from "postgres";
import { drizzle as drizzleOrm } from "drizzle-orm/node-postgres";
import { LuciaError, lucia, type Session, type User } from "lucia_auth";
import { node } from "lucia_auth/middleware";
import { pg } from "lucia_auth/pg";
import { postgres } from "lucia_auth/postgres";
import { drizzle } from "lucia_auth/drizzle";

const pool = new pgModule.Pool();

export const auth = lucia({
	adapter: pg(pool, { user: "auth_user", key: "user_key", session: "user_session" }),
	replica: postgres(postgresJs("postgres://standby1,standby2/app", { target_session_attrs: "prefer-standby" })),
	env: "PROD",
	middleware: node(),
	getUserAttributes: (data) => ({ username: data.username }),
	getSessionAttributes: (data) => ({ country: data.country })
});

export type Auth = typeof auth;

export const other = lucia({ adapter: drizzle(drizzleOrm(pool)), env: "DEV" });

const signUp = async (username: string, password: string): Promise<User> => {
	const user = await auth.createUser({
		key: { providerId: "username", providerUserId: username.toLowerCase(), password },
		attributes: { username }
	});
	const name: string = user.username;
	void name;
	return user;
};

const logIn = async (username: string, password: string, client: string): Promise<Session> => {
	const key = await auth.useKey("username", username.toLowerCase(), password, client);
	const session = await auth.createSession({ userId: key.userId, attributes: { country: null } });
	const country: string | null = session.country;
	const expires: Date = session.idlePeriodExpiresAt;
	void country;
	void expires;
	return session;
};

export const server = http.createServer(async (req, res) => {
	const authRequest = auth.handleRequest(req, res);
	try {
		const session = await authRequest.validate();
		if (!session) {
			await signUp("ada", "analytical engine");
			authRequest.setSession(await logIn("ada", "analytical engine", req.socket.remoteAddress ?? ""));
			res.end();
			return;
		}
		const others: number = await auth.invalidateOtherSessions(session.sessionId);
		const listed: Session[] = await auth.getAllUserSessions(session.user.userId);
		const cookie: string = auth.createSessionCookie(session).serialize();
		res.end(`${session.user.username} ${others} ${listed.length} ${cookie}`);
	} catch (error) {
		if (error instanceof LuciaError && error.message === "AUTH_INVALID_KEY_ID") res.statusCode = 400;
		else res.statusCode = 500;
		res.end();
	}
});

// Not part of Lucia's configuration with lucia_auth: the server decides these.
// @ts-expect-error sessionExpiresIn is a server setting
lucia({ adapter: pg(pool), env: "DEV", sessionExpiresIn: { activePeriod: 1, idlePeriod: 1 } });
