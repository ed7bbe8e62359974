-- A request under the policy: sign in, then read the user's notes; the policy picks them.
\set n random(1, :sessions)
BEGIN;
SELECT user_id FROM lucia_auth.authenticate(:n);
SELECT id, body FROM notes;
COMMIT;
