\set ECHO none
-- The whole flow of lucia_auth's table functions for one user, in whatever role and search_path the
-- caller has set: security.sql runs it as the application role, then as that role with a hostile
-- search_path, then as the superuser with one. It uses the same ids each time and leaves no row behind.
-- The caller sets the attributes passed: :user_attributes and :user_update (auth_user),
-- :session_attributes and :session_update (user_session). Operators the caller's search_path could
-- capture are written OPERATOR(pg_catalog.…).
\set ECHO all
SELECT * FROM lucia_auth.create_user('flow-user', 'email', 'flow@example.com', 'flow secret', :'user_attributes');
SELECT * FROM lucia_auth.use_key('email', 'flow@example.com', 'flow secret');
SELECT regress.error_of($$SELECT lucia_auth.use_key('email', 'flow@example.com', 'flow guess')$$);
SELECT * FROM lucia_auth.get_user('flow-user');
SELECT * FROM lucia_auth.update_user_attributes('flow-user', :'user_update');
SELECT * FROM lucia_auth.create_key('flow-user', 'github', 'flow-user', NULL);
SELECT * FROM lucia_auth.get_key('github', 'flow-user');
SELECT * FROM lucia_auth.get_all_user_keys('flow-user');
SELECT * FROM lucia_auth.update_key_password('email', 'flow@example.com', 'flow secret 2');
SELECT * FROM lucia_auth.use_key('email', 'flow@example.com', 'flow secret 2');
SELECT session_id, user_id, state, fresh, user_attributes, session_attributes
  FROM lucia_auth.create_session('flow-user', :'session_attributes', 'flow-session-1');
SELECT session_id, state, fresh FROM lucia_auth.validate_session('flow-session-1');
-- Renewal of an idle session (regress.make_idle runs as the superuser).
SELECT regress.make_idle('flow-session-1');
SELECT session_id, state, fresh, active_expires OPERATOR(pg_catalog.>) regress.now_ms() AS renewed
  FROM lucia_auth.validate_session('flow-session-1');
SELECT session_id, state, fresh FROM lucia_auth.get_session('flow-session-1');
SELECT session_id, state FROM lucia_auth.get_all_user_sessions('flow-user');
SELECT session_id, session_attributes FROM lucia_auth.update_session_attributes('flow-session-1', :'session_update');
SELECT lucia_auth.delete_dead_user_sessions('flow-user');
SELECT lucia_auth.invalidate_session('flow-session-1');
SELECT regress.error_of($$SELECT lucia_auth.validate_session('flow-session-1')$$);
SELECT session_id FROM lucia_auth.create_session('flow-user', session_id => 'flow-session-2');
SELECT lucia_auth.invalidate_all_user_sessions('flow-user');
SELECT lucia_auth.delete_key('github', 'flow-user');
SELECT lucia_auth.delete_user('flow-user');
SELECT regress.error_of($$SELECT lucia_auth.get_user('flow-user')$$);
\i test/sql/include/table_free_calls.sql
