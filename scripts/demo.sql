\pset footer off
\set QUIET on
\echo '== lucia_auth demo: a throwaway PostgreSQL 15 with the extension'
CREATE EXTENSION lucia_auth;
\echo
\echo '== 1. The auth tables, in the layout of Lucia''s PostgreSQL adapter, plus a username column'
SELECT lucia_auth.create_tables() \g /dev/null
ALTER TABLE auth_user ADD COLUMN username text;
SELECT * FROM lucia_auth.table_names();

\echo '== 2. Sign-up: a user and its email key, the password hashed as Lucia v2 does (s2 scrypt)'
SELECT * FROM lucia_auth.create_user(provider_id => 'email', provider_user_id => 'ada@example.com',
                                     password => 'correct horse battery staple',
                                     attributes => '{"username": "ada"}');
SELECT user_id AS uid FROM lucia_auth.get_key('email', 'ada@example.com') \gset
SELECT id AS key_id, left(hashed_password, 40) || '…' AS hashed_password FROM user_key;

\echo '== 3. Login: use_key checks the password (a wrong one is AUTH_INVALID_PASSWORD)'
SELECT * FROM lucia_auth.use_key('email', 'ada@example.com', 'correct horse battery staple');
DO $$
BEGIN
  PERFORM lucia_auth.use_key('email', 'ada@example.com', 'Tr0ub4dor&3');
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'wrong password -> % (SQLSTATE %)', SQLERRM, SQLSTATE;
END $$;

\echo
\echo '== 4. A session for the user, and the cookie to send back'
SELECT session_id AS sid FROM lucia_auth.create_session(:'uid') \gset
SELECT session_id, state, fresh, to_timestamp(active_expires / 1000.0) AS active_until,
       to_timestamp(idle_expires / 1000.0) AS renewable_until
  FROM lucia_auth.validate_session(:'sid');
SELECT lucia_auth.create_session_cookie(session_id, idle_expires) AS "Set-Cookie"
  FROM lucia_auth.get_session(:'sid');

\echo '== 5. The next request: read the cookie and validate the session, in one round trip'
SELECT s.session_id, s.state, s.fresh, s.user_attributes
  FROM lucia_auth.validate_session(
         lucia_auth.read_session_cookie('theme=dark; auth_session=' || :'sid')) AS s;

\echo '== 6. A day later the session is idle: validate_session renews it in place (fresh = true)'
UPDATE user_session SET active_expires = active_expires - 86400001, idle_expires = idle_expires - 86400001
  WHERE id = :'sid';
SELECT session_id, state, fresh, to_timestamp(active_expires / 1000.0) AS active_until
  FROM lucia_auth.validate_session(:'sid');
SELECT session_id, state, fresh FROM lucia_auth.validate_session(:'sid');

\echo '== 7. Logout: invalidate the session and clear the cookie'
SELECT lucia_auth.invalidate_session(:'sid') \g /dev/null
SELECT set_config('demo.sid', :'sid', false) \g /dev/null
SELECT lucia_auth.create_session_cookie(NULL, NULL) AS "Set-Cookie";
DO $$
BEGIN
  PERFORM lucia_auth.validate_session(pg_catalog.current_setting('demo.sid'));
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'the old session -> % (SQLSTATE %)', SQLERRM, SQLSTATE;
END $$;
