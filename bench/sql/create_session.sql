\set n random(1, :users)
SELECT * FROM lucia_auth.create_session('user' || :n);
