-- lucia_auth 0.2.0: Lucia v2 authentication inside PostgreSQL, and beyond.
\echo Use "CREATE EXTENSION lucia_auth" to load this file. \quit

-- The schema ------------------------------------------------------------------------------------------

-- CREATE EXTENSION adopts an existing schema lucia_auth as it finds it, and ALTER EXTENSION UPDATE
-- writes into the schema as it is. Whoever owns the schema or may create objects in it could put there
-- a function that callers reach in place of lucia_auth's own (use_key(varchar, varchar, varchar) is
-- the better match for a client that binds varchar parameters) and so see every password. So the
-- scripts go on only into a schema that superusers alone control: a superuser owns it, no other role
-- (nor PUBLIC) may create objects in it, and it holds nothing but extension lucia_auth's own objects
-- (at install, nothing at all). Default privileges and publications that name the schema are left
-- alone: they act only on objects created in it, which the rules above leave to superusers. This block
-- is the same in every install and upgrade script from 0.2.0 on (0.1.0 had none).
DO $check_schema$
DECLARE
  saved_path text;
  ext oid;
  nsp oid;
  nsp_name text;
  owner_name text;
  owner_is_superuser boolean;
  creator text;
  creator_sql text;
  catalog oid;
  nsp_column text;
  objects_sql text := '';
  foreign_object text;
  foreign_count bigint;
  why text;
BEGIN
  -- The schema is on search_path while the script runs: resolve every name below in pg_catalog only,
  -- so that this check never calls what the schema holds.
  saved_path := pg_catalog.current_setting('search_path');
  PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);

  SELECT e.oid, n.oid, n.nspname, r.rolname, r.rolsuper
    INTO ext, nsp, nsp_name, owner_name, owner_is_superuser
    FROM pg_extension AS e
    JOIN pg_namespace AS n ON n.oid = e.extnamespace
    JOIN pg_authid AS r ON r.oid = n.nspowner
    WHERE e.extname = 'lucia_auth';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'this script runs only within CREATE EXTENSION lucia_auth or ALTER EXTENSION lucia_auth UPDATE'
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  why := format('The owner of schema %s, and any role that may create objects in it, could add a function '
                'there that callers reach in place of lucia_auth''s own, with its arguments, passwords '
                'included.', quote_ident(nsp_name));

  IF NOT owner_is_superuser THEN
    RAISE EXCEPTION 'schema "%" is owned by role "%", which is not a superuser', nsp_name, owner_name
      USING ERRCODE = 'insufficient_privilege', DETAIL = why,
            HINT = format('Check what the schema holds, then make a superuser its owner '
                          '(ALTER SCHEMA %s OWNER TO CURRENT_USER) or, before the extension is installed, '
                          'drop the schema; then run the command again.', quote_ident(nsp_name));
  END IF;

  SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE format('role "%s"', r.rolname) END,
         CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END
    INTO creator, creator_sql
    FROM pg_namespace AS n, aclexplode(n.nspacl) AS a
    LEFT JOIN pg_authid AS r ON r.oid = a.grantee
    WHERE n.oid = nsp AND a.privilege_type = 'CREATE' AND (a.grantee = 0 OR NOT r.rolsuper)
    ORDER BY a.grantee <> 0, r.rolname
    LIMIT 1;
  IF creator IS NOT NULL THEN
    RAISE EXCEPTION '% may create objects in schema "%"', creator, nsp_name
      USING ERRCODE = 'insufficient_privilege', DETAIL = why,
            HINT = format('Revoke it (REVOKE CREATE ON SCHEMA %s FROM %s), check what the schema holds, '
                          'then run the command again.', quote_ident(nsp_name), creator_sql);
  END IF;

  -- Every row of every catalog that places objects in a schema, but the extension's members and what
  -- PostgreSQL made for them (array types, the relations of composite types, and so on).
  FOR catalog, nsp_column IN
    SELECT fk.fktable, fk.fkcols[1] FROM pg_get_catalog_foreign_keys() AS fk
      WHERE fk.pktable = 'pg_namespace'::regclass
        AND fk.fktable NOT IN ('pg_default_acl'::regclass, 'pg_publication_namespace'::regclass)
      ORDER BY fk.fktable
  LOOP
    objects_sql := objects_sql || CASE WHEN objects_sql = '' THEN '' ELSE ' UNION ALL ' END
      || format('SELECT %s::oid AS classid, c.oid AS objid FROM %s AS c WHERE c.%I = $1',
                catalog, catalog::regclass, nsp_column);
  END LOOP;
  EXECUTE format($sql$
    WITH RECURSIVE part(classid, objid) AS (
        SELECT d.classid, d.objid FROM pg_depend AS d
          WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = $2 AND d.deptype = 'e'
      UNION
        SELECT d.classid, d.objid FROM pg_depend AS d JOIN part AS p ON (d.refclassid, d.refobjid) = (p.classid, p.objid)
          WHERE d.deptype IN ('i', 'a'))
    SELECT pg_describe_object(o.classid, o.objid, 0), count(*) OVER ()
      FROM (%s) AS o
      WHERE (o.classid, o.objid) <> ('pg_extension'::regclass, $2)
        AND (o.classid, o.objid) NOT IN (SELECT p.classid, p.objid FROM part AS p)
      ORDER BY 1
      LIMIT 1$sql$, objects_sql)
    INTO foreign_object, foreign_count
    USING nsp, ext;
  IF foreign_object IS NOT NULL THEN
    RAISE EXCEPTION 'schema "%" holds %, which is not part of extension lucia_auth', nsp_name, foreign_object
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = CASE WHEN foreign_count > 1
                       THEN format('It holds %s objects that are not part of the extension. ', foreign_count)
                       ELSE '' END || why,
            HINT = 'Find out who created each such object and why (one may be there to capture passwords), '
                   'drop it or move it to another schema, then run the command again.';
  END IF;

  PERFORM set_config('search_path', saved_path, true);
END
$check_schema$;

-- Redaction ---------------------------------------------------------------------------------------------
-- A printed plan (EXPLAIN VERBOSE, auto_explain) shows each constant, and a custom plan holds the values
-- of bind parameters as constants. The planner support function lucia_auth.redact_support, attached to
-- every function below that takes or returns a password, a hash or a session id, rewrites the constants
-- of those arguments into values of type lucia_auth.redacted: the same bytes, printed as '<redacted>',
-- handed back unchanged at execution by lucia_auth.redacted_value.

CREATE TYPE lucia_auth.redacted;

CREATE FUNCTION lucia_auth.redacted_in(cstring) RETURNS lucia_auth.redacted
  LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_redacted_in';
COMMENT ON FUNCTION lucia_auth.redacted_in(cstring) IS
  'Input of lucia_auth.redacted: always an error, its values are made only inside plans';

CREATE FUNCTION lucia_auth.redacted_out(lucia_auth.redacted) RETURNS cstring
  LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_redacted_out';
COMMENT ON FUNCTION lucia_auth.redacted_out(lucia_auth.redacted) IS
  'Output of lucia_auth.redacted: the marker <redacted>, never the value';

CREATE TYPE lucia_auth.redacted (
  INPUT = lucia_auth.redacted_in, OUTPUT = lucia_auth.redacted_out,
  INTERNALLENGTH = VARIABLE, ALIGNMENT = int4, STORAGE = extended);
COMMENT ON TYPE lucia_auth.redacted IS
  'A secret argument inside a plan: the bytes of the value, printed as <redacted>';

CREATE FUNCTION lucia_auth.redacted_value(lucia_auth.redacted) RETURNS text
  LANGUAGE c STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_redacted_value';
COMMENT ON FUNCTION lucia_auth.redacted_value(lucia_auth.redacted) IS
  'The value behind a redacted plan constant, unchanged; planned by lucia_auth.redact_support only';

CREATE FUNCTION lucia_auth.redact_support(internal) RETURNS internal
  LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_redact_support';
COMMENT ON FUNCTION lucia_auth.redact_support(internal) IS
  'Planner support: shows the password, hash, session_id, cookie_header and authorization_header arguments of a plan, and the folded results of read_session_cookie, read_bearer_token and create_session_cookie, as <redacted>';

-- Passwords and ids ---------------------------------------------------------------------------------

CREATE FUNCTION lucia_auth.hash_password(password text) RETURNS text
  LANGUAGE c VOLATILE STRICT PARALLEL SAFE COST 100000
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_hash_password';
COMMENT ON FUNCTION lucia_auth.hash_password(text) IS
  'Hashes a password for a key: Lucia v2 "s2:<salt>:<hex>" scrypt by default, Argon2id when lucia_auth.password_hash = argon2id';

CREATE FUNCTION lucia_auth.verify_password(password text, hash text) RETURNS boolean
  LANGUAGE c STABLE STRICT PARALLEL SAFE COST 100000
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_verify_password';
COMMENT ON FUNCTION lucia_auth.verify_password(text, text) IS
  'True when the password matches an s2, Lucia v1, Lucia v3 or Better Auth scrypt, Argon2id or (with lucia_auth.verify_bcrypt) bcrypt hash within the bounds of the settings; AUTH_OUTDATED_PASSWORD for $2a hashes while verify_bcrypt is off; false for anything else';

CREATE FUNCTION lucia_auth.password_needs_rehash(hash text) RETURNS boolean
  LANGUAGE c STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
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

-- Row shapes --------------------------------------------------------------------------------------------

CREATE TYPE lucia_auth.user_record AS (user_id text, attributes jsonb);
COMMENT ON TYPE lucia_auth.user_record IS 'A user: its id and every other column of the user table as a JSON object';

CREATE TYPE lucia_auth.key_record AS (
  provider_id text, provider_user_id text, user_id text, password_defined boolean);
COMMENT ON TYPE lucia_auth.key_record IS 'A key, as Lucia''s Key: provider, user and whether it has a password';

CREATE TYPE lucia_auth.session_record AS (
  session_id text, user_id text, active_expires bigint, idle_expires bigint, state text, fresh boolean,
  user_attributes jsonb, session_attributes jsonb);
COMMENT ON TYPE lucia_auth.session_record IS
  'A session, as Lucia''s Session: expiries in ms since the epoch, state active or idle, fresh when just renewed';

-- The functions below read and write the auth tables. They run as the extension's owner (SECURITY
-- DEFINER), so that an application role needs no privilege on the tables and can never read a hash;
-- PUBLIC may not execute them (see the REVOKE at the end of this file).

-- Users -------------------------------------------------------------------------------------------------

CREATE FUNCTION lucia_auth.create_user(user_id text DEFAULT NULL, provider_id text DEFAULT NULL,
    provider_user_id text DEFAULT NULL, password text DEFAULT NULL, attributes jsonb DEFAULT '{}')
  RETURNS lucia_auth.user_record
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_create_user';
COMMENT ON FUNCTION lucia_auth.create_user(text, text, text, text, jsonb) IS
  'Lucia createUser: a user (15 random a-z0-9 chars unless user_id is given) and, with provider_id, its key, atomically';

CREATE FUNCTION lucia_auth.get_user(user_id text) RETURNS lucia_auth.user_record
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_get_user';
COMMENT ON FUNCTION lucia_auth.get_user(text) IS 'Lucia getUser; AUTH_INVALID_USER_ID when there is no such user';

CREATE FUNCTION lucia_auth.update_user_attributes(user_id text, attributes jsonb) RETURNS lucia_auth.user_record
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_update_user_attributes';
COMMENT ON FUNCTION lucia_auth.update_user_attributes(text, jsonb) IS
  'Lucia updateUserAttributes: sets the given columns of the user and returns it';

CREATE FUNCTION lucia_auth.delete_user(user_id text) RETURNS void
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_delete_user';
COMMENT ON FUNCTION lucia_auth.delete_user(text) IS 'Lucia deleteUser: deletes the user''s sessions, keys, then the user';

-- Keys --------------------------------------------------------------------------------------------------

CREATE FUNCTION lucia_auth.create_key(user_id text, provider_id text, provider_user_id text, password text)
  RETURNS lucia_auth.key_record
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_create_key';
COMMENT ON FUNCTION lucia_auth.create_key(text, text, text, text) IS
  'Lucia createKey: a key for an existing user, with the password hashed (NULL: a key without password)';

CREATE FUNCTION lucia_auth.use_key(provider_id text, provider_user_id text, password text)
  RETURNS lucia_auth.key_record
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_use_key';
COMMENT ON FUNCTION lucia_auth.use_key(text, text, text) IS
  'Lucia useKey: the key when the password matches; AUTH_INVALID_KEY_ID, AUTH_INVALID_PASSWORD or AUTH_OUTDATED_PASSWORD otherwise, AUTH_TOO_MANY_ATTEMPTS when throttled; rewrites an outdated hash with lucia_auth.rehash_on_login';

CREATE FUNCTION lucia_auth.use_key(provider_id text, provider_user_id text, password text, client text)
  RETURNS lucia_auth.key_record
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_use_key';
COMMENT ON FUNCTION lucia_auth.use_key(text, text, text, text) IS
  'useKey with a client identifier (an IP address, say) whose failed attempts lucia_auth.throttle_client_attempts limits';

CREATE FUNCTION lucia_auth.get_key(provider_id text, provider_user_id text) RETURNS lucia_auth.key_record
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_get_key';
COMMENT ON FUNCTION lucia_auth.get_key(text, text) IS 'Lucia getKey; AUTH_INVALID_KEY_ID when there is no such key';

CREATE FUNCTION lucia_auth.get_all_user_keys(user_id text) RETURNS SETOF lucia_auth.key_record
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER ROWS 2
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_get_all_user_keys';
COMMENT ON FUNCTION lucia_auth.get_all_user_keys(text) IS 'Lucia getAllUserKeys: every key of the user';

CREATE FUNCTION lucia_auth.update_key_password(provider_id text, provider_user_id text, password text)
  RETURNS lucia_auth.key_record
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_update_key_password';
COMMENT ON FUNCTION lucia_auth.update_key_password(text, text, text) IS
  'Lucia updateKeyPassword: a new hash for the key (NULL removes the password); ends a throttle on the key, and deletes the user''s sessions with lucia_auth.revoke_sessions_on_password_change';

CREATE FUNCTION lucia_auth.delete_key(provider_id text, provider_user_id text) RETURNS void
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_delete_key';
COMMENT ON FUNCTION lucia_auth.delete_key(text, text) IS 'Lucia deleteKey';

-- Sessions ----------------------------------------------------------------------------------------------

CREATE FUNCTION lucia_auth.create_session(user_id text, attributes jsonb DEFAULT '{}', session_id text DEFAULT NULL)
  RETURNS lucia_auth.session_record
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_create_session';
COMMENT ON FUNCTION lucia_auth.create_session(text, jsonb, text) IS
  'Lucia createSession: a new session (40 random a-z0-9 chars unless session_id is given) for an existing user; stored as a digest with lucia_auth.session_id_storage = sha256; the user''s oldest sessions beyond lucia_auth.max_sessions_per_user are deleted';

CREATE FUNCTION lucia_auth.validate_session(session_id text) RETURNS lucia_auth.session_record
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_validate_session';
COMMENT ON FUNCTION lucia_auth.validate_session(text) IS
  'Lucia validateSession: the session and its user; an idle session is renewed (fresh) where the transaction can write, never past lucia_auth.absolute_period; AUTH_INVALID_SESSION_ID otherwise';

CREATE FUNCTION lucia_auth.get_session(session_id text) RETURNS lucia_auth.session_record
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_get_session';
COMMENT ON FUNCTION lucia_auth.get_session(text) IS 'Lucia getSession: as validate_session, without renewal';

CREATE FUNCTION lucia_auth.get_all_user_sessions(user_id text) RETURNS SETOF lucia_auth.session_record
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER ROWS 4
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_get_all_user_sessions';
COMMENT ON FUNCTION lucia_auth.get_all_user_sessions(text) IS 'Lucia getAllUserSessions: the user''s sessions that are not dead';

CREATE FUNCTION lucia_auth.update_session_attributes(session_id text, attributes jsonb)
  RETURNS lucia_auth.session_record
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_update_session_attributes';
COMMENT ON FUNCTION lucia_auth.update_session_attributes(text, jsonb) IS
  'Lucia updateSessionAttributes: sets the given columns of the session and returns it';

CREATE FUNCTION lucia_auth.invalidate_session(session_id text) RETURNS void
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_invalidate_session';
COMMENT ON FUNCTION lucia_auth.invalidate_session(text) IS 'Lucia invalidateSession: deletes the session';

CREATE FUNCTION lucia_auth.invalidate_all_user_sessions(user_id text) RETURNS void
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_invalidate_all_user_sessions';
COMMENT ON FUNCTION lucia_auth.invalidate_all_user_sessions(text) IS 'Lucia invalidateAllUserSessions: deletes every session of the user';

CREATE FUNCTION lucia_auth.delete_dead_user_sessions(user_id text) RETURNS void
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_delete_dead_user_sessions';
COMMENT ON FUNCTION lucia_auth.delete_dead_user_sessions(text) IS 'Lucia deleteDeadUserSessions: deletes the user''s dead sessions';

CREATE FUNCTION lucia_auth.invalidate_other_sessions(session_id text) RETURNS bigint
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_invalidate_other_sessions';
COMMENT ON FUNCTION lucia_auth.invalidate_other_sessions(text) IS
  'Sign out everywhere else: deletes every other session of the user of this valid session; returns how many';

CREATE FUNCTION lucia_auth.delete_expired_sessions(batch_size integer DEFAULT 1000) RETURNS bigint
  LANGUAGE c VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_delete_expired_sessions';
COMMENT ON FUNCTION lucia_auth.delete_expired_sessions(integer) IS
  'Deletes up to batch_size dead sessions of all users, skipping rows locked by others; returns how many';

CREATE FUNCTION lucia_auth.hash_session_ids(batch_size integer DEFAULT 1000) RETURNS bigint
  LANGUAGE c VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_hash_session_ids';
COMMENT ON FUNCTION lucia_auth.hash_session_ids(integer) IS
  'Stores up to batch_size plain-stored session ids as their SHA-256 digest; returns how many (0: none left)';

-- Requests ----------------------------------------------------------------------------------------------
-- STABLE although their results depend on their arguments only: an immutable function with constant
-- arguments is folded by the planner into a plain constant, which a printed plan would show; these are
-- folded by lucia_auth.redact_support instead, into a redacted one.


CREATE FUNCTION lucia_auth.read_session_cookie(cookie_header text, cookie_name text DEFAULT 'auth_session')
  RETURNS text
  LANGUAGE c STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_read_session_cookie';
COMMENT ON FUNCTION lucia_auth.read_session_cookie(text, text) IS
  'Lucia readSessionCookie: the session id in a Cookie header, or NULL';

CREATE FUNCTION lucia_auth.read_bearer_token(authorization_header text) RETURNS text
  LANGUAGE c STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_read_bearer_token';
COMMENT ON FUNCTION lucia_auth.read_bearer_token(text) IS
  'Lucia readBearerToken: the token of an "Authorization: Bearer <token>" header, or NULL';

CREATE FUNCTION lucia_auth.create_session_cookie(session_id text, idle_expires bigint, secure boolean DEFAULT true,
    cookie_name text DEFAULT 'auth_session') RETURNS text
  LANGUAGE c STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_create_session_cookie';
COMMENT ON FUNCTION lucia_auth.create_session_cookie(text, bigint, boolean, text) IS
  'Lucia createSessionCookie(...).serialize(): the Set-Cookie value; a NULL session gives the blank cookie';

-- Identity ----------------------------------------------------------------------------------------------
-- The signed-in user as the identity of the transaction, for row-level security policies:
-- authenticate() sets it and current_user_id() reads it. It is carried by the setting
-- lucia_auth.authenticated_user_id, which only authenticate() and postgrest_pre_request() can give a
-- value (SET, set_config(), a function's SET clause, ALTER ROLE/DATABASE/SYSTEM and configuration files
-- are refused, for superusers too), as SET LOCAL does: it ends with the transaction, is dropped with a
-- rolled-back subtransaction that set it, and reaches parallel workers.

CREATE FUNCTION lucia_auth.authenticate(session_id text) RETURNS lucia_auth.session_record
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SUPPORT lucia_auth.redact_support
  AS 'MODULE_PATHNAME', 'lucia_authenticate';
COMMENT ON FUNCTION lucia_auth.authenticate(text) IS
  'validate_session, and the session''s user becomes the identity of the transaction (lucia_auth.current_user_id()); AUTH_INVALID_SESSION_ID otherwise';

-- current_user_id() pins search_path like every other function. A policy calls it once per scan where
-- it is an index condition (owner = lucia_auth.current_user_id() with an index on owner), otherwise on
-- every row: there, write (SELECT lucia_auth.current_user_id()), which the planner runs once per
-- statement. It takes no argument and fails only for lack of memory, so it is LEAKPROOF. PUBLIC may
-- execute it: a policy needs nothing more (schema USAGE is checked when a name is looked up, that is
-- when the policy is created, not when it runs).
CREATE FUNCTION lucia_auth.current_user_id() RETURNS text
  LANGUAGE c STABLE PARALLEL SAFE LEAKPROOF
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_current_user_id';
COMMENT ON FUNCTION lucia_auth.current_user_id() IS
  'The user signed in by lucia_auth.authenticate() in this transaction, or NULL; for row-level security policies';

CREATE FUNCTION lucia_auth.postgrest_pre_request() RETURNS void
  LANGUAGE c VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_postgrest_pre_request';
COMMENT ON FUNCTION lucia_auth.postgrest_pre_request() IS
  'PostgREST db-pre-request: authenticates the session cookie (lucia_auth.cookie_name) of request.cookies, else the bearer token of request.headers; without a valid session no identity and no error; a renewed session''s cookie goes to response.headers';

-- Tables ------------------------------------------------------------------------------------------------

CREATE TYPE lucia_auth.table_names_record AS (user_table text, key_table text, session_table text);
COMMENT ON TYPE lucia_auth.table_names_record IS 'The three auth tables, as the functions name them in SQL';

CREATE FUNCTION lucia_auth.table_names() RETURNS lucia_auth.table_names_record
  LANGUAGE c STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS 'MODULE_PATHNAME', 'lucia_table_names';
COMMENT ON FUNCTION lucia_auth.table_names() IS
  'The tables named by lucia_auth.user_table, key_table and session_table, schema-qualified and quoted';

CREATE FUNCTION lucia_auth.create_tables() RETURNS void
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, pg_temp
  AS $function$
DECLARE
  user_table text;
  key_table text;
  session_table text;
BEGIN
  -- The tables named by the settings, in the layout of Lucia's PostgreSQL adapter, owned by the caller,
  -- with lucia_auth's created_at on sessions (filled by lucia_auth; lucia_auth.absolute_period).
  SELECT t.user_table, t.key_table, t.session_table INTO user_table, key_table, session_table
    FROM lucia_auth.table_names() AS t;
  EXECUTE pg_catalog.format('CREATE TABLE %s (id text PRIMARY KEY)', user_table);
  EXECUTE pg_catalog.format(
    'CREATE TABLE %s (id text PRIMARY KEY, user_id text NOT NULL REFERENCES %s (id), hashed_password text)',
    key_table, user_table);
  EXECUTE pg_catalog.format(
    'CREATE TABLE %s (id text PRIMARY KEY, user_id text NOT NULL REFERENCES %s (id),'
    ' active_expires bigint NOT NULL, idle_expires bigint NOT NULL, created_at bigint)',
    session_table, user_table);
  EXECUTE pg_catalog.format('CREATE INDEX ON %s (user_id)', key_table);
  -- A user's sessions (get_all_user_sessions, delete_dead_user_sessions); the dead sessions of all users
  -- (delete_expired_sessions), and the ones past lucia_auth.absolute_period.
  EXECUTE pg_catalog.format('CREATE INDEX ON %s (user_id, idle_expires)', session_table);
  EXECUTE pg_catalog.format('CREATE INDEX ON %s (idle_expires)', session_table);
  EXECUTE pg_catalog.format('CREATE INDEX ON %s (created_at)', session_table);
END
$function$;
COMMENT ON FUNCTION lucia_auth.create_tables() IS
  'Creates the user, key and session tables named by the settings, with the indexes the functions use';

-- Privileges --------------------------------------------------------------------------------------------

REVOKE EXECUTE ON FUNCTION
  lucia_auth.create_user(text, text, text, text, jsonb), lucia_auth.get_user(text),
  lucia_auth.update_user_attributes(text, jsonb), lucia_auth.delete_user(text),
  lucia_auth.create_key(text, text, text, text), lucia_auth.use_key(text, text, text),
  lucia_auth.use_key(text, text, text, text), lucia_auth.get_key(text, text), lucia_auth.get_all_user_keys(text),
  lucia_auth.update_key_password(text, text, text), lucia_auth.delete_key(text, text),
  lucia_auth.create_session(text, jsonb, text), lucia_auth.validate_session(text),
  lucia_auth.get_session(text), lucia_auth.get_all_user_sessions(text),
  lucia_auth.update_session_attributes(text, jsonb), lucia_auth.invalidate_session(text),
  lucia_auth.invalidate_all_user_sessions(text), lucia_auth.delete_dead_user_sessions(text),
  lucia_auth.invalidate_other_sessions(text), lucia_auth.delete_expired_sessions(integer),
  lucia_auth.hash_session_ids(integer),
  lucia_auth.authenticate(text), lucia_auth.postgrest_pre_request(),
  lucia_auth.create_tables()
FROM PUBLIC;
