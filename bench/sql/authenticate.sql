\set n random(1, :sessions)
SELECT * FROM lucia_auth.authenticate(:n);
