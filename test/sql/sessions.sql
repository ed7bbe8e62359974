-- Sessions: create_session, validate_session, get_session, get_all_user_sessions,
-- update_session_attributes, invalidate_session, invalidate_all_user_sessions, delete_dead_user_sessions.
-- Time is simulated by moving the expiry columns; "now" is the wall clock in ms, as Lucia's Date.now().
\i test/sql/include/setup.sql
CALL regress.fresh_tables();
ALTER TABLE auth_user ADD COLUMN username text;
ALTER TABLE user_session ADD COLUMN country text, ADD COLUMN created_by text DEFAULT 'default';
SELECT user_id FROM lucia_auth.create_user('s-user', attributes => '{"username": "sam"}');

-- A new session: 40 chars of a-z0-9, active for a day, then idle for 14 days.
SELECT session_id ~ '^[a-z0-9]{40}$' AS generated_id, user_id, state, fresh, user_attributes, session_attributes,
       active_expires - regress.now_ms() BETWEEN 86400000 - 5000 AND 86400000 AS active_one_day,
       idle_expires - active_expires AS idle_period
  FROM lucia_auth.create_session('s-user');
SELECT * FROM lucia_auth.create_session('s-user', '{"country": "FR"}', 'fixed-session-id') \gset fixed_
SELECT :'fixed_session_id' AS session_id, :'fixed_session_attributes' AS session_attributes;
SELECT id, user_id, country, created_by FROM user_session WHERE id = 'fixed-session-id';

-- Active: returned as it is, nothing written.
SELECT xmin AS row_version FROM user_session WHERE id = 'fixed-session-id' \gset
SELECT session_id, state, fresh, active_expires = :fixed_active_expires AS same_expiry, user_attributes
  FROM lucia_auth.validate_session('fixed-session-id');
SELECT xmin = :'row_version' AS not_rewritten FROM user_session WHERE id = 'fixed-session-id';
-- get_session reads the same session without renewing it.
SELECT state, fresh FROM lucia_auth.get_session('fixed-session-id');

-- Idle: renewed in place with fresh expiries, returned with fresh = true (state as read: idle).
UPDATE user_session SET active_expires = regress.now_ms() - 1000, idle_expires = regress.now_ms() + 1000
  WHERE id = 'fixed-session-id';
SELECT state FROM lucia_auth.get_session('fixed-session-id');
SELECT session_id, state, fresh,
       active_expires - regress.now_ms() BETWEEN 86400000 - 5000 AND 86400000 AS renewed_one_day,
       idle_expires - active_expires AS idle_period, session_attributes
  FROM lucia_auth.validate_session('fixed-session-id');
SELECT active_expires - regress.now_ms() BETWEEN 86400000 - 5000 AND 86400000 AS stored_renewal,
       idle_expires - active_expires AS stored_idle_period
  FROM user_session WHERE id = 'fixed-session-id';
SELECT state, fresh FROM lucia_auth.validate_session('fixed-session-id');

-- Dead, missing, empty, NULL, or without its user: AUTH_INVALID_SESSION_ID.
UPDATE user_session SET active_expires = regress.now_ms() - 2000, idle_expires = regress.now_ms() - 1000
  WHERE id = 'fixed-session-id';
SELECT f, regress.error_of(pg_catalog.format('SELECT lucia_auth.%s(%L)', f, id))
  FROM (VALUES ('validate_session'), ('get_session')) AS fns(f),
       (VALUES ('fixed-session-id'), ('no-such-session'), (''), (NULL)) AS ids(id)
  ORDER BY 1, 2;
-- The dead session is not deleted by validation (as in Lucia).
SELECT count(*) AS dead_kept FROM user_session WHERE id = 'fixed-session-id';
ALTER TABLE user_session DROP CONSTRAINT user_session_user_id_fkey;
INSERT INTO user_session (id, user_id, active_expires, idle_expires)
  VALUES ('orphan-session', 'no-such-user', regress.now_ms() + 100000, regress.now_ms() + 200000);
SELECT regress.error_of($$SELECT lucia_auth.validate_session('orphan-session')$$);
-- Without the foreign key, create_session still refuses a missing user and leaves no row.
SELECT regress.error_of($$SELECT lucia_auth.create_session('no-such-user', '{}', 'orphan-2')$$);
SELECT count(*) AS orphans FROM user_session WHERE id = 'orphan-2';
DELETE FROM user_session WHERE id = 'orphan-session';
ALTER TABLE user_session ADD FOREIGN KEY (user_id) REFERENCES auth_user (id);

-- create_session arguments.
SELECT regress.error_of($$SELECT lucia_auth.create_session(NULL)$$);
SELECT regress.error_of($$SELECT lucia_auth.create_session('s-user', '{}', '')$$);
SELECT regress.error_of($$SELECT lucia_auth.create_session('s-user', '{}', 'fixed-session-id')$$);
SELECT regress.error_of($$SELECT lucia_auth.create_session('s-user', '{"user_id": "x"}')$$);
SELECT regress.error_of($$SELECT lucia_auth.create_session('s-user', '{"idle_expires": 1}')$$);
SELECT regress.error_of($$SELECT lucia_auth.create_session('s-user', '{"city": "Oslo"}')$$);
SELECT regress.error_of($$SELECT lucia_auth.create_session('s-user', '[1, 2]')$$);
SELECT session_attributes FROM lucia_auth.create_session('s-user', NULL);

-- Custom periods, in PostgreSQL's units; a fractional millisecond is truncated as by JavaScript's Date.
SET lucia_auth.active_period = '1h';
SET lucia_auth.idle_period = '90min';
SELECT active_expires - regress.now_ms() BETWEEN 3600000 - 5000 AND 3600000 AS active_one_hour,
       idle_expires - active_expires AS idle_period
  FROM lucia_auth.create_session('s-user');
SET lucia_auth.active_period = 0;
SET lucia_auth.idle_period = 2.75;
SELECT idle_expires - active_expires AS idle_period FROM lucia_auth.create_session('s-user');
SET lucia_auth.active_period = '365000d';
SELECT regress.error_of($$SET lucia_auth.active_period = -1$$);
SELECT regress.error_of($$SET lucia_auth.idle_period = '365001d'$$);
SELECT regress.error_of($$SET lucia_auth.idle_period = '1 year'$$);
RESET lucia_auth.active_period;
RESET lucia_auth.idle_period;

-- get_all_user_sessions: every session of the user that is not dead, idle ones as they are.
DELETE FROM user_session;
SELECT user_id FROM lucia_auth.create_user('s-other');
INSERT INTO user_session (id, user_id, active_expires, idle_expires, country) VALUES
  ('a-active', 's-user', regress.now_ms() + 100000, regress.now_ms() + 200000, 'SE'),
  ('b-idle', 's-user', regress.now_ms() - 100000, regress.now_ms() + 200000, 'DK'),
  ('c-dead', 's-user', regress.now_ms() - 200000, regress.now_ms() - 100000, 'FI'),
  ('d-other-user', 's-other', regress.now_ms() + 100000, regress.now_ms() + 200000, NULL);
SELECT session_id, user_id, state, fresh, user_attributes, session_attributes
  FROM lucia_auth.get_all_user_sessions('s-user');
SELECT count(*) AS none FROM lucia_auth.get_all_user_sessions((SELECT user_id FROM lucia_auth.create_user('s-lonely')));
SELECT regress.error_of($$SELECT * FROM lucia_auth.get_all_user_sessions('nobody')$$);
SELECT regress.error_of($$SELECT * FROM lucia_auth.get_all_user_sessions(NULL)$$);

-- update_session_attributes: sets the columns, then reads the session as get_session does.
SELECT session_id, state, fresh, session_attributes
  FROM lucia_auth.update_session_attributes('b-idle', '{"country": "IS", "created_by": "admin"}');
SELECT session_id, session_attributes FROM lucia_auth.update_session_attributes('a-active', '{}');
SELECT regress.error_of($$SELECT lucia_auth.update_session_attributes('c-dead', '{"country": "NO"}')$$);
SELECT regress.error_of($$SELECT lucia_auth.update_session_attributes('nope', '{"country": "NO"}')$$);
SELECT regress.error_of($$SELECT lucia_auth.update_session_attributes('', '{}')$$);
SELECT regress.error_of($$SELECT lucia_auth.update_session_attributes('a-active', '{"active_expires": 0}')$$);
SELECT regress.error_of($$SELECT lucia_auth.update_session_attributes('a-active', '"x"')$$);

-- delete_dead_user_sessions removes only the user's dead sessions.
SELECT lucia_auth.delete_dead_user_sessions('s-user');
SELECT lucia_auth.delete_dead_user_sessions(NULL);
SELECT id FROM user_session ORDER BY id;

-- invalidate_session and invalidate_all_user_sessions.
SELECT lucia_auth.invalidate_session('a-active');
SELECT lucia_auth.invalidate_session('a-active');
SELECT regress.error_of($$SELECT lucia_auth.invalidate_session('')$$);
SELECT regress.error_of($$SELECT lucia_auth.invalidate_session(NULL)$$);
SELECT regress.error_of($$SELECT lucia_auth.validate_session('a-active')$$);
SELECT lucia_auth.invalidate_all_user_sessions('s-user');
SELECT lucia_auth.invalidate_all_user_sessions(NULL);
SELECT id FROM user_session ORDER BY id;

DELETE FROM user_session;
DELETE FROM user_key;
DELETE FROM auth_user;
ALTER TABLE auth_user DROP COLUMN username;
ALTER TABLE user_session DROP COLUMN country, DROP COLUMN created_by;

-- Lucia's minimal tables (no attribute columns): create_session reads the user row before it inserts,
-- so a missing user is refused at once, with an immediate or a deferred foreign key.
SELECT user_id FROM lucia_auth.create_user('s-minimal');
SELECT user_id, state, user_attributes, session_attributes FROM lucia_auth.create_session('s-minimal');
SELECT regress.error_of($$SELECT lucia_auth.create_session('no-such-user')$$);
ALTER TABLE user_session DROP CONSTRAINT user_session_user_id_fkey;
ALTER TABLE user_session ADD CONSTRAINT user_session_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth_user (id)
  DEFERRABLE INITIALLY DEFERRED;
BEGIN;
SELECT regress.error_of($$SELECT lucia_auth.create_session('no-such-user')$$);
SELECT count(*) AS pending_orphans FROM user_session WHERE user_id = 'no-such-user';
COMMIT;
ALTER TABLE user_session DROP CONSTRAINT user_session_user_id_fkey;
ALTER TABLE user_session ADD CONSTRAINT user_session_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth_user (id);
SELECT count(*) AS sessions FROM lucia_auth.get_all_user_sessions('s-minimal');
-- With foreign-key triggers off (session_replication_role = replica, as logical replication and some
-- restores run), create_session still inserts nothing for a user that does not exist: it reads the
-- user row itself.
SET session_replication_role = replica;
SELECT regress.error_of($$SELECT lucia_auth.create_session('no-such-user', '{}', 'replica-orphan')$$);
SELECT session_id FROM lucia_auth.create_session('s-minimal', '{}', 'replica-session');
RESET session_replication_role;
SELECT count(*) FILTER (WHERE user_id = 'no-such-user') AS orphans, count(*) FILTER (WHERE id = 'replica-session') AS made
  FROM user_session;

\i test/sql/include/teardown.sql
