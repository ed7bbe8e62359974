// Sets the database up as the README's security recipe says (Security → Privileges), then migrates it:
//
//   as a superuser (once): the roles web_lucia_owner (owns the tables; nobody logs in as it) and
//     web_app (the application logs in as it), the extension, the schemas auth and app owned by
//     web_lucia_owner, the lucia_auth.* settings of the database, and web_app's grants: USAGE on
//     schema lucia_auth and EXECUTE on its functions, USAGE on schema app — nothing on the auth tables;
//   as web_lucia_owner (SET ROLE): the migrations in migrations/, each once, in order.
//
// The superuser connection comes from the PG* variables (or DATABASE_ADMIN_URL); web_app's password
// from WEB_APP_PASSWORD. Run it with `npm run setup`; it is idempotent.

import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import pg from "pg";

export const OWNER_ROLE = "web_lucia_owner";
export const APP_ROLE = "web_app";

const migrationsDirectory = new URL("./migrations/", import.meta.url);

const connect = async (config) => {
	const client = new pg.Client(config);
	await client.connect();
	return client;
};

/**
 * @param {{ database: string, appPassword: string, admin?: pg.ClientConfig, settings?: Record<string, string> }} options
 *   admin: the superuser's connection (default: DATABASE_ADMIN_URL or the PG* variables);
 *   settings: more lucia_auth.* settings for the database
 * @returns {Promise<string[]>} the migrations applied by this run
 */
export const setUp = async ({ database, appPassword, admin = adminConfig(), settings = {} }) => {
	const server = await connect({ ...admin, database: admin.database ?? process.env.PGDATABASE ?? "postgres" });
	try {
		const exists = await server.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
		if (exists.rowCount === 0) await server.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
		for (const [role, login] of [
			[OWNER_ROLE, false],
			[APP_ROLE, true]
		]) {
			const found = await server.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
			if (found.rowCount === 0) await server.query(`CREATE ROLE ${role} ${login ? "LOGIN" : "NOLOGIN"}`);
		}
		// ALTER ROLE takes no bind parameters: send the SCRAM verifier, never the password itself.
		await server.query(`ALTER ROLE ${APP_ROLE} LOGIN PASSWORD ${pg.escapeLiteral(scramVerifier(appPassword))}`);
		await server.query(`ALTER ROLE ${APP_ROLE} SET log_statement = 'none'`);
	} finally {
		await server.end();
	}

	const db = await connect({ ...admin, database });
	try {
		const quoted = pg.escapeIdentifier(database);
		const all = {
			"lucia_auth.user_table": "auth.auth_user",
			"lucia_auth.key_table": "auth.user_key",
			"lucia_auth.session_table": "auth.user_session",
			"lucia_auth.session_id_storage": "sha256",
			...settings
		};
		for (const [setting, value] of Object.entries(all)) {
			await db.query(`ALTER DATABASE ${quoted} SET ${setting} = ${pg.escapeLiteral(value)}`);
		}
		await db.query(`
			CREATE EXTENSION IF NOT EXISTS lucia_auth;
			CREATE SCHEMA IF NOT EXISTS auth AUTHORIZATION ${OWNER_ROLE};
			CREATE SCHEMA IF NOT EXISTS app AUTHORIZATION ${OWNER_ROLE};
			REVOKE ALL ON DATABASE ${quoted} FROM PUBLIC;
			GRANT CONNECT ON DATABASE ${quoted} TO ${APP_ROLE};
			GRANT USAGE ON SCHEMA lucia_auth TO ${APP_ROLE};
			GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA lucia_auth TO ${APP_ROLE};
			GRANT USAGE ON SCHEMA app TO ${APP_ROLE};
		`);

		// The migrations, as the owner of the tables.
		await db.query(`SET ROLE ${OWNER_ROLE}`);
		await db.query("CREATE TABLE IF NOT EXISTS app.schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
		const applied = new Set((await db.query("SELECT name FROM app.schema_migrations")).rows.map((row) => row.name));
		const files = (await readdir(migrationsDirectory)).filter((file) => file.endsWith(".sql")).sort();
		const ran = [];
		for (const file of files) {
			if (applied.has(file)) continue;
			const text = await readFile(new URL(file, migrationsDirectory), "utf8");
			await db.query("BEGIN");
			try {
				await db.query(text);
				await db.query("INSERT INTO app.schema_migrations (name) VALUES ($1)", [file]);
				await db.query("COMMIT");
			} catch (error) {
				await db.query("ROLLBACK");
				throw new Error(`migration ${file} failed: ${error.message}`);
			}
			ran.push(file);
		}
		await db.query("RESET ROLE");
		return ran;
	} finally {
		await db.end();
	}
};

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802, 4096 iterations), so that the
 * password itself never reaches the server's statement text or log. For passwords that SASLprep leaves
 * as they are (ASCII without control characters).
 */
export const scramVerifier = (password, salt = randomBytes(16), iterations = 4096) => {
	const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
	const clientKey = createHmac("sha256", salted).update("Client Key").digest();
	const storedKey = createHash("sha256").update(clientKey).digest();
	const serverKey = createHmac("sha256", salted).update("Server Key").digest();
	return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
};

/** The superuser's connection: DATABASE_ADMIN_URL, or the PG* variables. */
export const adminConfig = () =>
	process.env.DATABASE_ADMIN_URL ? { connectionString: process.env.DATABASE_ADMIN_URL } : {};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const database = process.env.WEB_DATABASE ?? "web_example";
	const appPassword = process.env.WEB_APP_PASSWORD;
	if (!appPassword) {
		console.error("set WEB_APP_PASSWORD: the password of the application's role, web_app");
		process.exit(1);
	}
	setUp({ database, appPassword })
		.then((ran) => console.log(`database ${database} ready; migrations applied: ${ran.length ? ran.join(", ") : "none"}`))
		.catch((error) => {
			console.error(`setup failed: ${error.message}`);
			process.exit(1);
		});
}
