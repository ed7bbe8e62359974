-- lucia_auth 0.1.0: Lucia v2 authentication inside PostgreSQL.
\echo Use "CREATE EXTENSION lucia_auth" to load this file. \quit

-- Passwords and ids ---------------------------------------------------------------------------------

CREATE FUNCTION lucia_auth.hash_password(password text) RETURNS text
  LANGUAGE c VOLATILE STRICT PARALLEL SAFE COST 100000
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_hash_password';
COMMENT ON FUNCTION lucia_auth.hash_password(text) IS
  'Hashes a password for a key: Lucia v2 "s2:<salt>:<hex>" scrypt by default, Argon2id when lucia_auth.password_hash = argon2id';

CREATE FUNCTION lucia_auth.verify_password(password text, hash text) RETURNS boolean
  LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE COST 100000
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_verify_password';
COMMENT ON FUNCTION lucia_auth.verify_password(text, text) IS
  'True when the password matches an s2, Lucia v1 or Argon2id hash; AUTH_OUTDATED_PASSWORD for bcrypt; false for anything else';

CREATE FUNCTION lucia_auth.password_needs_rehash(hash text) RETURNS boolean
  LANGUAGE c STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_password_needs_rehash';
COMMENT ON FUNCTION lucia_auth.password_needs_rehash(text) IS
  'True when the hash is not in the current default format and parameters (lucia_auth.password_hash)';

CREATE FUNCTION lucia_auth.generate_random_string(length integer,
    alphabet text DEFAULT 'abcdefghijklmnopqrstuvwxyz1234567890') RETURNS text
  LANGUAGE c VOLATILE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_generate_random_string';
COMMENT ON FUNCTION lucia_auth.generate_random_string(integer, text) IS
  'A string of length characters drawn uniformly from alphabet by libsodium''s CSPRNG';
