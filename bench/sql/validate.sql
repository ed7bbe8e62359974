\set n random(1, :sessions)
SELECT * FROM lucia_auth.validate_session(:n);
