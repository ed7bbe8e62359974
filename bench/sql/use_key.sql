\set n random(1, :users)
SELECT * FROM lucia_auth.use_key('email', 'user' || :n || '@example.com', 'hello');
