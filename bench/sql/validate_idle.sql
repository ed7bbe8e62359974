\set n random(1, :users)
SELECT * FROM lucia_auth.validate_session(:n);
