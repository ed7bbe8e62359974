DELETE FROM user_session WHERE ctid IN (
  SELECT ctid FROM user_session WHERE idle_expires < (extract(epoch FROM clock_timestamp()) * 1000)::bigint
  LIMIT 1000 FOR UPDATE SKIP LOCKED);
