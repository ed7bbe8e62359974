\set n random(1, :users)
SELECT * FROM lucia_auth.use_key('email', 'user' || :n || '@example.com', 'hello', '192.0.2.' || (:n % 250 + 1));
