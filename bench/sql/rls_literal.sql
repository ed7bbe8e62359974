-- The same request without the policy (as the superuser): validate the session, then read the notes of
-- its user, named in the query.
\set n random(1, :sessions)
\set u :n % :users + 1
BEGIN;
SELECT user_id FROM lucia_auth.validate_session(:n);
SELECT id, body FROM notes WHERE owner = 'user' || :u;
COMMIT;
