-- Row-level security on the signed-in user: :rows notes spread over the :users users (session g belongs
-- to user g % :users + 1), an index on owner, a policy on lucia_auth.current_user_id(), and a role that
-- reads them under the policy (the superuser is not held by policies).
SET client_min_messages = warning;
CREATE TABLE notes (id bigint PRIMARY KEY, owner text NOT NULL, body text NOT NULL);
INSERT INTO notes SELECT g, 'user' || (g % :users + 1), 'note ' || g FROM generate_series(1, :rows) g;
CREATE INDEX notes_owner ON notes (owner);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_notes ON notes USING (owner = lucia_auth.current_user_id());
CREATE ROLE bench_rls LOGIN PASSWORD :'password';
GRANT USAGE ON SCHEMA lucia_auth TO bench_rls;
GRANT EXECUTE ON FUNCTION lucia_auth.authenticate(text) TO bench_rls;
GRANT SELECT ON notes TO bench_rls;
VACUUM ANALYZE notes;
