-- Session lifetimes beyond Lucia v2, each off by default: an absolute lifetime (lucia_auth.absolute_period,
-- counted from created_at, which lucia_auth fills), a per-user cap (lucia_auth.max_sessions_per_user),
-- signing out everywhere else (invalidate_other_sessions), and the sweep of dead sessions of all users
-- (delete_expired_sessions).
\i test/sql/include/setup.sql
\pset null (null)
CREATE SCHEMA sl;
SET lucia_auth.user_table = 'sl.auth_user';
SET lucia_auth.key_table = 'sl.user_key';
SET lucia_auth.session_table = 'sl.user_session';
SELECT lucia_auth.create_tables();
SELECT user_id FROM lucia_auth.create_user('ada');
SELECT user_id FROM lucia_auth.create_user('bob');

-- created_at: filled by lucia_auth, and not one of the session's attributes.
SELECT session_id AS s1, session_attributes FROM lucia_auth.create_session('ada', '{}', 'ada-1') \gset
SELECT created_at BETWEEN regress.now_ms() - 5000 AND regress.now_ms() AS created_now FROM sl.user_session;

-- 1. Absolute lifetime. Off by default: a session renews for as long as it is used.
SHOW lucia_auth.absolute_period;
SET lucia_auth.absolute_period = '1h';
-- A new session's expiries stop at the end of its lifetime (the active period is 1 day).
SELECT active_expires - regress.now_ms() BETWEEN 3600000 - 5000 AND 3600000 AS active_ends_with_lifetime,
       idle_expires = active_expires AS idle_ends_with_lifetime
  FROM lucia_auth.create_session('ada', '{}', 'ada-2');
-- Renewal never extends a session past it: created 50 minutes ago, idle now, renewed up to 10 more
-- minutes only.
UPDATE sl.user_session SET created_at = regress.now_ms() - 3000000, active_expires = 0,
                           idle_expires = regress.now_ms() + 86400000 WHERE id = 'ada-1';
SELECT state, fresh, idle_expires - regress.now_ms() BETWEEN 600000 - 5000 AND 600000 AS ten_more_minutes
  FROM lucia_auth.validate_session('ada-1');
SELECT idle_expires - created_at AS lifetime_ms, active_expires - created_at AS active_until_ms
  FROM sl.user_session WHERE id = 'ada-1';
-- Past it (here by a minute, clear of any step of the clock), the session is dead everywhere, whatever
-- its expiries say.
UPDATE sl.user_session SET created_at = regress.now_ms() - 3660000,
                           active_expires = regress.now_ms() + 86400000, idle_expires = regress.now_ms() + 86400000
  WHERE id = 'ada-1';
SELECT f, regress.error_of(format('SELECT lucia_auth.%s(%L)', f, 'ada-1'))
  FROM unnest(ARRAY['validate_session', 'get_session', 'invalidate_other_sessions']) AS f;
SELECT session_id FROM lucia_auth.get_all_user_sessions('ada') ORDER BY 1;
-- A session without created_at (made before the column, or by Lucia itself) gets one at its first
-- renewal, and its lifetime counts from there.
SELECT session_id FROM lucia_auth.create_session('ada', '{}', 'ada-3');
UPDATE sl.user_session SET created_at = NULL, active_expires = 0 WHERE id = 'ada-3';
SELECT state, fresh FROM lucia_auth.validate_session('ada-3');
SELECT created_at BETWEEN regress.now_ms() - 5000 AND regress.now_ms() AS created_at_set,
       idle_expires - created_at AS lifetime_ms FROM sl.user_session WHERE id = 'ada-3';
-- The period and its bounds.
SELECT regress.error_of($$SET lucia_auth.absolute_period = '-1'$$);
SELECT regress.error_of($$SET lucia_auth.absolute_period = '366000d'$$);
-- A session table without created_at: a clear error at the first call that needs the column.
CREATE TABLE sl.bare_session (id text PRIMARY KEY, user_id text NOT NULL, active_expires bigint NOT NULL,
                              idle_expires bigint NOT NULL);
SET lucia_auth.session_table = 'sl.bare_session';
SELECT f, regress.error_of(format('SELECT lucia_auth.%s', f))
  FROM unnest(ARRAY['create_session(''ada'')', 'validate_session(''x'')', 'get_all_user_sessions(''ada'')',
                    'delete_expired_sessions()']) AS f;
RESET lucia_auth.absolute_period;
SELECT state FROM lucia_auth.create_session('ada', '{}', 'bare');
SET lucia_auth.session_table = 'sl.user_session';

-- 2. A per-user cap: creating a session removes the user's oldest beyond it.
DELETE FROM sl.user_session;
SET lucia_auth.max_sessions_per_user = 2;
SELECT session_id FROM lucia_auth.create_session('ada', '{}', 'cap-1');
UPDATE sl.user_session SET created_at = created_at - 3000 WHERE id = 'cap-1';
SELECT session_id FROM lucia_auth.create_session('ada', '{}', 'cap-2');
UPDATE sl.user_session SET created_at = created_at - 2000 WHERE id = 'cap-2';
SELECT session_id FROM lucia_auth.create_session('bob', '{}', 'bob-1');
SELECT session_id FROM lucia_auth.create_session('ada', '{}', 'cap-3');
SELECT user_id, id FROM sl.user_session ORDER BY 1, 2;
SELECT session_id FROM lucia_auth.create_session('ada', '{}', 'cap-4');
SELECT user_id, id FROM sl.user_session ORDER BY 1, 2;
SET lucia_auth.max_sessions_per_user = 1;
SELECT session_id FROM lucia_auth.create_session('ada', '{}', 'cap-5');
SELECT user_id, id FROM sl.user_session ORDER BY 1, 2;
SELECT regress.error_of($$SET lucia_auth.max_sessions_per_user = -1$$);
RESET lucia_auth.max_sessions_per_user;

-- 3. Sign out everywhere else.
SELECT session_id FROM lucia_auth.create_session('ada', '{}', 'here');
SELECT session_id FROM lucia_auth.create_session('ada', '{}', 'there');
SELECT session_id FROM lucia_auth.create_session('ada', '{}', 'elsewhere');
SELECT lucia_auth.invalidate_other_sessions('here') AS signed_out;
SELECT user_id, id FROM sl.user_session ORDER BY 1, 2;
SELECT lucia_auth.invalidate_other_sessions('here') AS signed_out_again;
SELECT regress.error_of($$SELECT lucia_auth.invalidate_other_sessions('no-such-session')$$);
SELECT regress.error_of($$SELECT lucia_auth.invalidate_other_sessions(NULL)$$);
SELECT regress.error_of($$SELECT lucia_auth.invalidate_other_sessions('')$$);
-- A dead session signs nobody out.
UPDATE sl.user_session SET idle_expires = 0 WHERE id = 'here';
SELECT regress.error_of($$SELECT lucia_auth.invalidate_other_sessions('here')$$);
SELECT count(*) AS bob_sessions FROM sl.user_session WHERE user_id = 'bob';

-- 4. The sweep: dead sessions of every user, in batches; live ones stay.
DELETE FROM sl.user_session;
INSERT INTO sl.user_session (id, user_id, active_expires, idle_expires, created_at)
  SELECT 'dead-' || g, CASE WHEN g % 2 = 0 THEN 'ada' ELSE 'bob' END, 0, regress.now_ms() - 1000, 0
    FROM generate_series(1, 5) AS g
  UNION ALL
  SELECT 'live-' || g, 'ada', regress.now_ms() + 86400000, regress.now_ms() + 86400000, regress.now_ms()
    FROM generate_series(1, 3) AS g
  UNION ALL
  -- Idle but not dead: still renewable, kept.
  SELECT 'idle-1', 'bob', 0, regress.now_ms() + 86400000, regress.now_ms();
SELECT lucia_auth.delete_expired_sessions(2) AS deleted;
SELECT lucia_auth.delete_expired_sessions(2) AS deleted;
SELECT lucia_auth.delete_expired_sessions(2) AS deleted;
SELECT lucia_auth.delete_expired_sessions() AS deleted_when_none_is_dead;
SELECT id FROM sl.user_session ORDER BY 1;
-- With an absolute period, the sessions past it go too.
UPDATE sl.user_session SET created_at = regress.now_ms() - 7200000 WHERE id = 'live-1';
SELECT lucia_auth.delete_expired_sessions() AS deleted_without_period;
SET lucia_auth.absolute_period = '1h';
SELECT lucia_auth.delete_expired_sessions() AS deleted_with_period;
SELECT id FROM sl.user_session ORDER BY 1;
RESET lucia_auth.absolute_period;
-- Bad input.
SELECT b, regress.error_of(format('SELECT lucia_auth.delete_expired_sessions(%s)', b))
  FROM unnest(ARRAY[0, -5, 1000001]) AS b;
SELECT lucia_auth.delete_expired_sessions(NULL) AS null_batch;

DROP SCHEMA sl CASCADE;
RESET lucia_auth.user_table;
RESET lucia_auth.key_table;
RESET lucia_auth.session_table;

\i test/sql/include/teardown.sql
