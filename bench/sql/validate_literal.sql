\set n random(1, :sessions)
-- The token built in the statement, from a literal and the parameter: the literal is part of a secret
-- argument, which the plan redacts (a call of lucia_auth.redacted_value at each execution).
SELECT * FROM lucia_auth.validate_session('' || :n);
