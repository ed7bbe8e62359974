-- Lucia's auth tables in the layout of Lucia's Drizzle guide (varchar ids, bigint expiries), in schema
-- auth, which the application's role does not own. Run as the tables' owner role: the tables belong
-- to it, and the application reaches them only through the lucia_auth functions.
CREATE TABLE auth.auth_user (
	id varchar(15) PRIMARY KEY,
	username text NOT NULL
);

CREATE UNIQUE INDEX auth_user_username_idx ON auth.auth_user (lower(username));

CREATE TABLE auth.user_key (
	id varchar(255) PRIMARY KEY,
	user_id varchar(15) NOT NULL REFERENCES auth.auth_user (id),
	hashed_password varchar(255)
);

CREATE INDEX user_key_user_id_idx ON auth.user_key (user_id);

-- id holds the SHA-256 digest of the token (lucia_auth.session_id_storage = sha256): 71 characters.
CREATE TABLE auth.user_session (
	id varchar(128) PRIMARY KEY,
	user_id varchar(15) NOT NULL REFERENCES auth.auth_user (id),
	active_expires bigint NOT NULL,
	idle_expires bigint NOT NULL,
	user_agent text,
	signed_in_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX user_session_user_id_idx ON auth.user_session (user_id, idle_expires);
