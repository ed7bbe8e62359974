SELECT lucia_auth.hash_password('correct horse battery staple');
