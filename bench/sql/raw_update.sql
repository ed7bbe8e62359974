\set n random(1, :users)
UPDATE user_session SET active_expires = (extract(epoch FROM clock_timestamp()) * 1000)::bigint,
                        idle_expires = (extract(epoch FROM clock_timestamp()) * 1000)::bigint + 1209600000
  WHERE id = :n;
