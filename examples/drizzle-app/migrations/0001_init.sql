-- Tables of the example application: Lucia's Drizzle schema for PostgreSQL
-- (auth_user, user_session, user_key) with a few attribute columns, and the
-- application's own note table.
CREATE EXTENSION IF NOT EXISTS lucia_auth;

CREATE TABLE IF NOT EXISTS auth_user (
	id varchar(15) PRIMARY KEY,
	username text NOT NULL
);

CREATE TABLE IF NOT EXISTS user_session (
	id varchar(128) PRIMARY KEY,
	user_id varchar(15) NOT NULL REFERENCES auth_user (id),
	active_expires bigint NOT NULL,
	idle_expires bigint NOT NULL,
	user_agent text
);

CREATE TABLE IF NOT EXISTS user_key (
	id varchar(255) PRIMARY KEY,
	user_id varchar(15) NOT NULL REFERENCES auth_user (id),
	hashed_password varchar(255)
);

CREATE INDEX IF NOT EXISTS user_session_user_id_idx ON user_session (user_id);
CREATE INDEX IF NOT EXISTS user_key_user_id_idx ON user_key (user_id);

CREATE TABLE IF NOT EXISTS note (
	id serial PRIMARY KEY,
	user_id varchar(15) NOT NULL REFERENCES auth_user (id) ON DELETE CASCADE,
	body text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS note_user_id_idx ON note (user_id);
