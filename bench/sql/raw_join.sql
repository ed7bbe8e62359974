\set n random(1, :sessions)
SELECT s.*, u.* FROM user_session s JOIN auth_user u ON u.id = s.user_id WHERE s.id = :n;
