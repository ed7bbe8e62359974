-- Logins: the settings of throttling, the hash cap, rehash on login and the end of sessions at a
-- password change; what works without shared_preload_libraries (this suite's server does not preload
-- lucia_auth: throttling and the cap are tested with preloading in test/t/013_logins.pl); rehash on
-- login and the revocation of sessions, which need no shared memory.
\i test/sql/include/setup.sql
CALL regress.fresh_tables();
\pset null (null)

-- The settings: defaults, units, bounds, who may set them.
SELECT name, setting, unit, context, vartype, min_val, max_val FROM pg_settings
  WHERE name IN ('lucia_auth.hash_queue_timeout', 'lucia_auth.throttle_key_attempts',
                 'lucia_auth.throttle_client_attempts', 'lucia_auth.throttle_window',
                 'lucia_auth.rehash_on_login', 'lucia_auth.revoke_sessions_on_password_change')
  ORDER BY name;
-- The cap's default is the number of CPUs the server may use, at least one; it is the server's, read from
-- postgresql.conf (sighup), not a session's.
SELECT setting::int >= 1 AS at_least_one, setting = boot_val AS is_default, context, min_val, max_val
  FROM pg_settings WHERE name = 'lucia_auth.max_concurrent_hashes';
SELECT regress.error_of($$SET lucia_auth.max_concurrent_hashes = 4$$);
SELECT regress.error_of($$ALTER DATABASE postgres SET lucia_auth.max_concurrent_hashes = 4$$);
-- Bounds and bad values.
SELECT s, regress.error_of(s) FROM (VALUES
    ($$SET lucia_auth.hash_queue_timeout = -1$$),
    ($$SET lucia_auth.hash_queue_timeout = 'soon'$$),
    ($$SET lucia_auth.hash_queue_timeout = '2s'$$),
    ($$SET lucia_auth.hash_queue_timeout = 0$$),
    ($$SET lucia_auth.throttle_key_attempts = -1$$),
    ($$SET lucia_auth.throttle_key_attempts = 1000001$$),
    ($$SET lucia_auth.throttle_key_attempts = 1000000$$),
    ($$SET lucia_auth.throttle_key_attempts = 2.5$$),
    ($$SET lucia_auth.throttle_client_attempts = -1$$),
    ($$SET lucia_auth.throttle_client_attempts = 'many'$$),
    ($$SET lucia_auth.throttle_client_attempts = 1000000$$),
    ($$SET lucia_auth.throttle_window = 0$$),
    ($$SET lucia_auth.throttle_window = '31d'$$),
    ($$SET lucia_auth.throttle_window = '30d'$$),
    ($$SET lucia_auth.throttle_window = '500ms'$$),
    ($$SET lucia_auth.throttle_window = '1s'$$),
    ($$SET lucia_auth.throttle_window = '15min'$$),
    ($$SET lucia_auth.rehash_on_login = 'sometimes'$$),
    ($$SET lucia_auth.rehash_on_login = on$$),
    ($$SET lucia_auth.revoke_sessions_on_password_change = 2$$),
    ($$SET lucia_auth.revoke_sessions_on_password_change = true$$)) AS t(s);
SELECT name, setting, unit FROM pg_settings
  WHERE name IN ('lucia_auth.hash_queue_timeout', 'lucia_auth.throttle_key_attempts',
                 'lucia_auth.throttle_client_attempts', 'lucia_auth.throttle_window',
                 'lucia_auth.rehash_on_login', 'lucia_auth.revoke_sessions_on_password_change')
  ORDER BY name;
RESET lucia_auth.hash_queue_timeout;
RESET lucia_auth.throttle_key_attempts;
RESET lucia_auth.throttle_client_attempts;
RESET lucia_auth.throttle_window;
RESET lucia_auth.rehash_on_login;
RESET lucia_auth.revoke_sessions_on_password_change;
-- Superuser-only: a role that runs the functions cannot switch throttling off, lengthen its wait or
-- rewrite hashes.
CREATE ROLE lucia_regress_login_app;
SET ROLE lucia_regress_login_app;
SELECT s, regress.error_of(s) FROM (VALUES
    ($$SET lucia_auth.hash_queue_timeout = 0$$),
    ($$SET lucia_auth.throttle_key_attempts = 0$$),
    ($$SET lucia_auth.throttle_client_attempts = 0$$),
    ($$SET lucia_auth.throttle_window = '1s'$$),
    ($$SET lucia_auth.rehash_on_login = on$$),
    ($$SET lucia_auth.revoke_sessions_on_password_change = on$$)) AS t(s);
RESET ROLE;
-- The four-argument use_key is revoked from PUBLIC like the other functions on the tables.
SELECT has_function_privilege('lucia_regress_login_app', 'lucia_auth.use_key(text, text, text, text)'::regprocedure,
                              'EXECUTE') AS app_may_use_key4;
DROP ROLE lucia_regress_login_app;

-- use_key with a client: without throttling, the same as use_key; the client may be NULL.
SELECT user_id FROM lucia_auth.create_user('l-user', 'email', 'l@example.com', 'right password');
SELECT * FROM lucia_auth.use_key('email', 'l@example.com', 'right password', '192.0.2.1');
SELECT * FROM lucia_auth.use_key('email', 'l@example.com', 'right password', NULL);
SELECT c, regress.error_of(pg_catalog.format('SELECT lucia_auth.use_key(%L, %L, %L, %L)', p, u, pw, cl))
  FROM (VALUES ('wrong password', 'email', 'l@example.com', 'wrong', '192.0.2.1'),
               ('unknown key', 'email', 'nobody@example.com', 'wrong', '192.0.2.1'),
               ('no password', 'email', 'l@example.com', NULL, '192.0.2.1'),
               ('NULL provider', NULL, 'l@example.com', 'x', '192.0.2.1')) AS t(c, p, u, pw, cl);

-- Throttling needs shared memory: without preloading, a throttle setting is a clear error at use_key
-- (never a login that is silently not throttled); with both at 0 nothing changes.
SET lucia_auth.throttle_key_attempts = 5;
SELECT regress.error_of($$SELECT lucia_auth.use_key('email', 'l@example.com', 'right password')$$);
SELECT regress.error_of($$SELECT lucia_auth.use_key('email', 'nobody@example.com', 'x', '192.0.2.1')$$);
RESET lucia_auth.throttle_key_attempts;
SET lucia_auth.throttle_client_attempts = 5;
SELECT regress.error_of($$SELECT lucia_auth.use_key('email', 'l@example.com', 'right password', '192.0.2.1')$$);
RESET lucia_auth.throttle_client_attempts;
-- Without preloading there are no hash slots: hashing never waits, whatever the queue timeout.
SET lucia_auth.hash_queue_timeout = 1;
SELECT lucia_auth.verify_password('x', lucia_auth.hash_password('x')) AS hashed_without_slots;
RESET lucia_auth.hash_queue_timeout;

-- Rehash on login. A Lucia v1 hash (made by Lucia; test/sql/password_lucia_vectors.sql) is rewritten
-- as s2 at a successful login, in the caller's transaction; a failed login, a login with the setting
-- off, a read-only transaction and a rolled-back one leave it as it is.
INSERT INTO user_key VALUES ('legacy:ada', 'l-user',
  'legacyascii00000:9a64db0bde81911409028d574288ba9792396ecae015cf2e42f597a1466082314ab97d05c736121484c144199afc5b8443597e4d792ee0088ae6a0afd580d3bb');
CREATE FUNCTION regress.legacy_hash() RETURNS text LANGUAGE sql
  AS $$ SELECT hashed_password FROM user_key WHERE id = 'legacy:ada' $$;
SELECT lucia_auth.password_needs_rehash(regress.legacy_hash()) AS needs_rehash;
SELECT * FROM lucia_auth.use_key('legacy', 'ada', 'correct horse battery staple');
SELECT regress.legacy_hash() LIKE 'legacyascii00000:%' AS unchanged_with_setting_off;
SET lucia_auth.rehash_on_login = on;
SELECT regress.error_of($$SELECT lucia_auth.use_key('legacy', 'ada', 'wrong horse')$$);
SELECT regress.legacy_hash() LIKE 'legacyascii00000:%' AS unchanged_by_a_failure;
BEGIN TRANSACTION READ ONLY;
SELECT * FROM lucia_auth.use_key('legacy', 'ada', 'correct horse battery staple');
COMMIT;
SELECT regress.legacy_hash() LIKE 'legacyascii00000:%' AS unchanged_read_only;
BEGIN;
SELECT * FROM lucia_auth.use_key('legacy', 'ada', 'correct horse battery staple');
SELECT regress.legacy_hash() LIKE 's2:%' AS rewritten_in_transaction;
ROLLBACK;
SELECT regress.legacy_hash() LIKE 'legacyascii00000:%' AS unchanged_after_rollback;
SELECT * FROM lucia_auth.use_key('legacy', 'ada', 'correct horse battery staple');
SELECT regress.legacy_hash() LIKE 's2:%' AS rewritten, lucia_auth.password_needs_rehash(regress.legacy_hash()) AS needs_rehash;
-- The new hash verifies the same password (NFKC, as Lucia hashes it), and no other.
SELECT * FROM lucia_auth.use_key('legacy', 'ada', 'correct horse battery staple');
SELECT regress.error_of($$SELECT lucia_auth.use_key('legacy', 'ada', 'correct horse battery stapler')$$);
-- A current hash is left alone; with Argon2id as the format, s2 hashes are moved to it.
SELECT regress.legacy_hash() AS before \gset
SELECT * FROM lucia_auth.use_key('legacy', 'ada', 'correct horse battery staple');
SELECT regress.legacy_hash() = :'before' AS current_hash_kept;
SET lucia_auth.password_hash = argon2id;
SET lucia_auth.argon2id_memory = '64kB';
SET lucia_auth.argon2id_iterations = 1;
SELECT * FROM lucia_auth.use_key('legacy', 'ada', 'correct horse battery staple');
SELECT regress.legacy_hash() LIKE '$argon2id$v=19$m=64,t=1,p=1$%' AS moved_to_argon2id;
SELECT * FROM lucia_auth.use_key('legacy', 'ada', 'correct horse battery staple');
RESET lucia_auth.password_hash;
RESET lucia_auth.argon2id_memory;
RESET lucia_auth.argon2id_iterations;
-- Keys without a password, and imported hashes that cannot be read, are never rewritten.
SELECT * FROM lucia_auth.create_key('l-user', 'github', '4242', NULL);
SELECT * FROM lucia_auth.use_key('github', '4242', NULL);
SELECT hashed_password IS NULL AS still_no_password FROM user_key WHERE id = 'github:4242';
INSERT INTO user_key VALUES ('odd:hash', 'l-user', 'not a hash');
SELECT regress.error_of($$SELECT lucia_auth.use_key('odd', 'hash', 'not a hash')$$);
SELECT hashed_password FROM user_key WHERE id = 'odd:hash';
RESET lucia_auth.rehash_on_login;

-- Sessions end with a password change: with lucia_auth.revoke_sessions_on_password_change, every
-- session of the key's user goes, whatever the new password (NULL included); other users keep theirs.
SELECT user_id FROM lucia_auth.create_user('l-other', 'email', 'other@example.com', 'other password');
SELECT count(*) AS created FROM (VALUES ('s1'), ('s2'), ('s3')) AS t(id),
  lucia_auth.create_session(CASE WHEN id = 's3' THEN 'l-other' ELSE 'l-user' END, session_id => 'l-' || id);
SELECT user_id FROM lucia_auth.update_key_password('email', 'l@example.com', 'second password');
SELECT user_id, count(*) FROM user_session GROUP BY user_id ORDER BY user_id;
SET lucia_auth.revoke_sessions_on_password_change = on;
SELECT user_id, password_defined FROM lucia_auth.update_key_password('email', 'l@example.com', 'third password');
SELECT user_id, count(*) FROM user_session GROUP BY user_id ORDER BY user_id;
SELECT regress.error_of($$SELECT * FROM lucia_auth.validate_session('l-s1')$$);
SELECT session_id FROM lucia_auth.create_session('l-user', session_id => 'l-s4');
SELECT user_id, password_defined FROM lucia_auth.update_key_password('email', 'l@example.com', NULL);
SELECT user_id, count(*) FROM user_session GROUP BY user_id ORDER BY user_id;
-- A key that does not exist: AUTH_INVALID_KEY_ID, and no session is touched.
SELECT regress.error_of($$SELECT lucia_auth.update_key_password('email', 'nobody@example.com', 'x')$$);
SELECT user_id, count(*) FROM user_session GROUP BY user_id ORDER BY user_id;
-- In the caller's transaction: a rollback brings the sessions back with the old password.
BEGIN;
SELECT user_id FROM lucia_auth.update_key_password('email', 'other@example.com', 'changed');
SELECT count(*) AS other_sessions_in_transaction FROM user_session WHERE user_id = 'l-other';
ROLLBACK;
SELECT count(*) AS other_sessions_after_rollback FROM user_session WHERE user_id = 'l-other';
SELECT user_id FROM lucia_auth.use_key('email', 'other@example.com', 'other password');
RESET lucia_auth.revoke_sessions_on_password_change;

DROP FUNCTION regress.legacy_hash();
\i test/sql/include/teardown.sql
