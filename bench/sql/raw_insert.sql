\set n random(1, :users)
INSERT INTO user_session (id, user_id, active_expires, idle_expires)
  VALUES (md5(random()::text) || md5(random()::text), 'user' || :n, 1, 2);
