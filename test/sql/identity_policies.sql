-- Row-level security on the signed-in user: an application role under a policy
-- `owner = lucia_auth.current_user_id()` reaches the rows of the user whose session it authenticated in
-- the transaction, and no other row, through SELECT, UPDATE, DELETE and INSERT … WITH CHECK; without a
-- session it reaches none. Once invalidate_session has committed, the session signs in nobody. The
-- planner makes the call the key of an index scan, evaluated once per statement.
\i test/sql/include/setup.sql
CALL regress.fresh_tables();
\pset null (null)
SELECT user_id FROM lucia_auth.create_user('ada');
SELECT user_id FROM lucia_auth.create_user('bob');
SELECT session_id FROM lucia_auth.create_session('ada', '{}', 'ada-session');
SELECT session_id FROM lucia_auth.create_session('bob', '{}', 'bob-session');

CREATE TABLE regress.notes (id int PRIMARY KEY, owner text NOT NULL DEFAULT lucia_auth.current_user_id(), body text);
CREATE INDEX notes_owner ON regress.notes (owner);
INSERT INTO regress.notes SELECT g, CASE WHEN g % 2 = 0 THEN 'ada' ELSE 'bob' END, 'note ' || g
  FROM generate_series(1, 1000) g;
ANALYZE regress.notes;
ALTER TABLE regress.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_notes ON regress.notes
  USING (owner = lucia_auth.current_user_id()) WITH CHECK (owner = lucia_auth.current_user_id());

-- The application role: the README's recipe (USAGE on lucia_auth, EXECUTE on its functions) and the
-- privileges on the notes; it does not own them, so the policy applies.
CREATE ROLE lucia_regress_rls_app;
GRANT USAGE ON SCHEMA lucia_auth TO lucia_regress_rls_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA lucia_auth TO lucia_regress_rls_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON regress.notes TO lucia_regress_rls_app;
SET ROLE lucia_regress_rls_app;

-- No session: nothing.
SELECT count(*) AS visible_without_session FROM regress.notes;

-- ada's session: ada's notes, and only hers, through every command.
BEGIN;
SELECT user_id FROM lucia_auth.authenticate('ada-session');
SELECT count(*) AS visible, count(*) FILTER (WHERE owner = 'ada') AS ada_s, min(id), max(id) FROM regress.notes;
SELECT count(*) AS bob_s_note_by_id FROM regress.notes WHERE id = 1;
UPDATE regress.notes SET body = 'edited by ada' WHERE id IN (1, 2);
DELETE FROM regress.notes WHERE id IN (3, 4);
INSERT INTO regress.notes (id, body) VALUES (1001, 'ada''s new note') RETURNING id, owner;
SELECT regress.error_of($$INSERT INTO regress.notes (id, owner, body) VALUES (1002, 'bob', 'forged')$$) AS insert_as_bob;
SELECT regress.error_of($$UPDATE regress.notes SET owner = 'bob' WHERE id = 2$$) AS give_away;
COMMIT;
-- What ada's transaction did, seen without the policy.
RESET ROLE;
SELECT id, owner, body FROM regress.notes WHERE id IN (1, 2, 3, 4, 1001, 1002) ORDER BY id;
SET ROLE lucia_regress_rls_app;

-- bob's session in the next transaction: bob's notes.
BEGIN;
SELECT user_id FROM lucia_auth.authenticate('bob-session');
SELECT count(*) AS visible, count(*) FILTER (WHERE owner = 'bob') AS bob_s, count(*) FILTER (WHERE id = 1001) AS ada_s_new_note
  FROM regress.notes;
COMMIT;

-- The call is an index condition, evaluated once for the scan.
BEGIN;
SELECT user_id FROM lucia_auth.authenticate('ada-session');
SET LOCAL enable_seqscan = off;
SET LOCAL enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM regress.notes WHERE body LIKE 'note%';
COMMIT;

-- A role that may not even use schema lucia_auth is held by the policy just the same: the policy's call
-- needs EXECUTE (PUBLIC has it), not USAGE on the schema.
RESET ROLE;
CREATE ROLE lucia_regress_rls_reader;
GRANT SELECT ON regress.notes TO lucia_regress_rls_reader;
SELECT has_schema_privilege('lucia_regress_rls_reader', 'lucia_auth', 'USAGE') AS reader_uses_schema;
BEGIN;
SET LOCAL ROLE lucia_regress_rls_app;
SELECT user_id FROM lucia_auth.authenticate('bob-session');
SET LOCAL ROLE lucia_regress_rls_reader;
SELECT count(*) AS reader_sees, bool_and(owner = 'bob') AS all_bob_s FROM regress.notes;
COMMIT;
SET ROLE lucia_regress_rls_app;

-- Sign-out: once invalidate_session has committed, the session signs in nobody and the role sees
-- nothing.
SELECT lucia_auth.invalidate_session('ada-session');
BEGIN;
SELECT regress.error_of($$SELECT lucia_auth.authenticate('ada-session')$$) AS after_sign_out;
SELECT count(*) AS visible_after_sign_out FROM regress.notes;
COMMIT;
-- So does invalidate_all_user_sessions, for every session of the user.
SELECT session_id FROM lucia_auth.create_session('bob', '{}', 'bob-session-2');
SELECT lucia_auth.invalidate_all_user_sessions('bob');
SELECT s AS session, regress.error_of(format('SELECT lucia_auth.authenticate(%L)', s)) AS error
  FROM unnest(ARRAY['bob-session', 'bob-session-2']) AS s;

RESET ROLE;
DROP TABLE regress.notes;
DROP OWNED BY lucia_regress_rls_app, lucia_regress_rls_reader;
DROP ROLE lucia_regress_rls_app, lucia_regress_rls_reader;
\i test/sql/include/teardown.sql
