SELECT lucia_auth.delete_expired_sessions(1000);
