-- Password hashes made by lucia@3.2.2 (Scrypt, LegacyScrypt), better-auth@1.7.25
-- (hashPassword) and bcryptjs@3.0.3, written by test/vectors/make_import_vectors.mjs.
-- Do not edit by hand: run the script again.
\i test/sql/include/setup.sql
CALL regress.fresh_tables();
CREATE TEMP TABLE import_vectors (name text PRIMARY KEY, format text NOT NULL, password text NOT NULL,
                                  hash text NOT NULL);
INSERT INTO import_vectors VALUES
  ('lucia3_ascii', 'lucia3', 'correct horse battery staple', '4f4e09b4195e9c7180d5dd1aaaa6a4cb:a984f9fa621fa7ed60540d1a2e287a852230d8221d14c31b2abf6c43ea94e3a0a47ef0c086d5a57061c80752029cb377bceef24334c7d0399c1c34015d9df9de'),
  ('lucia3_empty', 'lucia3', '', '0215d8fc94f9ea8680a160a499c7c99d:451114ba5f4b551073f8863c931d33f3cf521ede5807e9fae44c335c89bf60926eba098d7151124fc8f2da74ddd56977d149647c85b717010eb3ad5b120c92e3'),
  ('lucia3_quote', 'lucia3', 'it''s a pa$$word', '918ff46f9bf3007344dd36bb7a33dbc6:f9399bf8d5d10417a3036a11ac914ed1ee48a254285c412a08de13931d9a55cc14843b244f272a441993d8322587663882c5e402bbbeaddce34fed6c64b24d7b'),
  ('lucia3_latin', 'lucia3', 'pässwörd✓', 'de5405bb90a76eb6dede41d623035f41:d23757218b1ff3381b80e69d51cc5a99da90cd0d8c37e3aeb255dff9bfa1359cfc89ba75a26c747814afef3ff8eb0e531e70d6c18d4a87001ccb675de62cca97'),
  ('lucia3_emoji', 'lucia3', '🔐 clé 鍵', '291919fea97d676b15412f6430eb8581:96a543a16bd3f22543d2e128b8422678f437c9539503802d28c0322a8d64e2cad3200b85fe20951b98b774dbb979458ef547a183b033cd01e0604885e44d5f0b'),
  ('lucia3_ligature', 'lucia3', 'ﬁancé', '1b0ebcce6a61e2052c094e0b0d88251a:2aa0ce29820c697b5c3919ebda8d460c2556be696e743ecba434f28bcd6ea3460b80ad495df56f8d98750ec9745feb12806b4acb7de869e861d0e5c307f960e4'),
  ('lucia3_angstrom', 'lucia3', U&'\212B', '338f5d991029d2608403a86d6d2d7daa:ec7721932c311a90101270a97f0652a38ff6d844a3f4a0de8e64fa74cca616b59dad986e1e01446a5c7efc49c5eaa0454eec0e2d4007745c6b733058206d8802'),
  ('lucia3_combining', 'lucia3', U&'A\030A', '65d25862c9a20506975d88d2008d29f1:65213110c1db58215bd3e85e0cd3ac0338f12659858df5427cb211b23baf2bf6c1aaaa87e6a3398652cf2a6a91190a3714ae974f8add672f993484841a673052'),
  ('lucia3_long_ascii', 'lucia3', repeat('ab', 5000), '4a23b6f6310a371440dcd0626b053d2e:ae1a94f1d79d32bd51141fcf2048ba6e4ab1a7ebd7867ae60721c9be9a946355225e347140e80b33f81cbe4f88061e26fc450b3968a25c371780950237393b56'),
  ('lucia3_long_multibyte', 'lucia3', repeat('ü', 10000), '895db9cbcfbcfd2da591a17574e1ee85:8f887a40a47b5af69d04d58c8ac72b6ec3cd9e10d136c7c0ce75260aff2646f39a0a39511dfa2d430a23b4aba083e8f43ff62565f34975f4542a14fec7f21f8a'),
  ('lucia3_legacy_ascii', 'lucia3_legacy', 'correct horse battery staple', 's2:773f4b26768e42c0c588942f2c712476:9d00cf6580c2b6b829f90bfddbf9796f658fa4cf347e52564407905ab806cccf911b62372d63d5e1dc740ccde972adfc926acc65199bdcc106dec9246352d7d3'),
  ('lucia3_legacy_empty', 'lucia3_legacy', '', 's2:7a8c369761d6d08f0a28fcfe62a47d6d:335e2566ebed6f3b1c97ea6c02721cf9624c835d752d1731116f60e15e4b0522d69e257a63f799e89d119075ec97309628d3f48c1d586422329139137ba5783d'),
  ('lucia3_legacy_quote', 'lucia3_legacy', 'it''s a pa$$word', 's2:23757ebd511b0910f919868dd0bd7a79:fd15d5e399302904cc8f0f4f9e5a5cb3be2f2600d5015b4a8d05a6d3f6230209b28821b400a92642391c6fbd1422fa1763057718527990a6b179ca931bfddfe1'),
  ('lucia3_legacy_latin', 'lucia3_legacy', 'pässwörd✓', 's2:6296b5f2d5df47a1e2d7e9ad1b9a3ce8:d0eaad797723f1bf91b1ef0ea7d2c461a69c4ee9c36abba0f4cf2dac949bd12a85d0c930cea5a06b54a70421f8af20326bf72ea918ffc4e12b72b1d938e642cf'),
  ('lucia3_legacy_emoji', 'lucia3_legacy', '🔐 clé 鍵', 's2:f40799fdde80c18f6e828b1f3f3e4bf2:c183fbb308b1f69fb49e4c35141f8b6236cf6c09cf517423572f922881beeb00026c66977be5db3d046dbe12e99ba178903af4a6ba0d614eca7535b2e6e87c34'),
  ('better_auth_ascii', 'better_auth', 'correct horse battery staple', '1d5f934720161cf85518d2d79212e3a9:6dbd01b91a000ed06fced2925cf4ad562f6813148029381db122fb953f9e9b031c3f529b3de6d45da407c5a8357ae57872a31625de1c8c8c28aa1139e91b948e'),
  ('better_auth_empty', 'better_auth', '', '92e967875061ebd33a92c4f9d33b4e85:4cb49483b2d96d65690dfc0299a3cea8d5525db18729f2adb5b08f15e54fe749b3978ab54d82c4e0b46f97a9f14b3ca513ae480d6d76b1a65a2a24669f9c1d0f'),
  ('better_auth_quote', 'better_auth', 'it''s a pa$$word', '676cd3cfacf1975130fb84320f1b0eed:084e4d0b24934d979469e1c4933245aa74ec77c633d8c1b56af18f2cdd221bad668067d175998d2785ed4a4030c3a9f6659a6c3469a1450a494dadeb9534590a'),
  ('better_auth_latin', 'better_auth', 'pässwörd✓', '1d847a1a3276f0e575308a49255562dc:caa65367deefb5b7224325a7f1ecae472da509e71aa7eda61c772c159bd18e7621219467d6f2b4cd994f7b8510aada3edce05f7981cb5d6643737e28672d45b2'),
  ('better_auth_emoji', 'better_auth', '🔐 clé 鍵', 'efdcf293b911667e9df7d396c6db9ee9:d9fea5e86467afdac1685b1497963e15bb8bf35a56d38e09eb486559ee34cc3230f9a144ff4a689f10ec4fcab832efa1cc64d93f666898778bfe145bf6a63037'),
  ('better_auth_ligature', 'better_auth', 'ﬁancé', '844e4900bba76f7ea40bc41a3c854698:af2282951952dfcafcfac8dab8224ad05e2ce61642434797feddbff10cda8506aa257da41fcbf5732a475f92b0f4321d80177b93c243c75be7570c65b47dc948'),
  ('better_auth_angstrom', 'better_auth', U&'\212B', '95361ace2513ee86134aa5765636ef29:42c5286f8b0baa1ea14734687f8dedf7ea5f5b9e2afaf7269193a33e05ff4dff3b394dfb5265482b3738efa86fb83fe3e861faf3aa8a194e14b04b0c5dee9067'),
  ('better_auth_combining', 'better_auth', U&'A\030A', 'e65f5d09eaca916f8b8ca759fa2d62f1:e7ab2dae898c67f45b43ab77225aba9b6758e0e2835f0ae59ad5e7baeada6b6ddb6c08a82576ca14d25c471408b4c447fe3312dc72ceca3246701e4e93d38841'),
  ('better_auth_long_ascii', 'better_auth', repeat('ab', 5000), 'ba2bce09ab5fb140013f6edd2186a0f9:02129c2d57160d995687aaa1fb3a6b56bece06c56c29555565a9fefe44cc6d13966d7632473407162d032975eb2a92c6f8ddfa17aea8aca1216cefc0538d3d7e'),
  ('better_auth_long_multibyte', 'better_auth', repeat('ü', 10000), 'f9aea45d7d07e9fc913ed985d614166d:93ad83784c65383ce6356d31f7c667761e02bf2f6c361f0e308468d667a7544d0113731dcd1863adba695b36af731cb17747db892becc209f860ba61b4770d98'),
  ('bcrypt_2b_ascii', 'bcrypt_2b', 'correct horse battery staple', '$2b$04$.HhHyOiwvmZfSThRitaRSuzy1JCrzgJOE7QemvEfYrtxm9m1OyNC.'),
  ('bcrypt_2b_empty', 'bcrypt_2b', '', '$2b$04$1.ST22wGDEtnW1fs33ex4.d4f7IQF7deqdvL.ZxYeBuTmhVYsGiga'),
  ('bcrypt_2b_quote', 'bcrypt_2b', 'it''s a pa$$word', '$2b$04$T/FC3ve.qY4sbs8TLyWE7.hFAOaSblLs92kldnnc05lOPSs6Bza36'),
  ('bcrypt_2b_latin', 'bcrypt_2b', 'pässwörd✓', '$2b$04$xc12ndRiGSOriS9iDDaSuedN2WJkKB3hFSdA.g6TZX8vexrVP8A7m'),
  ('bcrypt_2b_emoji', 'bcrypt_2b', '🔐 clé 鍵', '$2b$04$T9Cmj.mAdvEFX4emcdF0Ve0wu3XfB3hMeVhKAG2JCwUVCxtW.z8X6'),
  ('bcrypt_2b_ligature', 'bcrypt_2b', 'ﬁancé', '$2b$04$G7KpXzLyDctXlZiOXzZ/Re2lgovGdgzgQ2bwFdGCvXCK1zcMYZDQi'),
  ('bcrypt_2b_angstrom', 'bcrypt_2b', U&'\212B', '$2b$04$..Ss2jBfpVQ6y/RKiz0Ee.RgcjFi8.ZvwaCD3GdVZfslhkoxOwH8e'),
  ('bcrypt_2b_combining', 'bcrypt_2b', U&'A\030A', '$2b$04$hcQpaJrg/pprv2MGXcYJX.UTjDuhkkji0QAQ4W3ka4lo6MR5pB4K6'),
  ('bcrypt_2b_long_ascii', 'bcrypt_2b', repeat('ab', 5000), '$2b$04$euqS5F8287Um7OklnZYTdOnltWcNmOriC0PVkxpT/uM/kk0FieOIK'),
  ('bcrypt_2b_long_multibyte', 'bcrypt_2b', repeat('ü', 10000), '$2b$04$WEJLflhdb1K2Ys/QlS2l..8tr2fqH3RVV2eBJvJ2Bq64Mi8eCB1t.'),
  ('bcrypt_2a_ascii', 'bcrypt_2a', 'correct horse battery staple', '$2a$04$ToPVguwxqGmc0.1O2jJK6O7.v9tvE0fp./LrIE.u5OFIUT3h66p7m'),
  ('bcrypt_2a_empty', 'bcrypt_2a', '', '$2a$04$aHNrVGGSSK4v7bRZXQlYYublgSKMc0AZeHUSsHPytMdl6uc4iVnEu'),
  ('bcrypt_2a_quote', 'bcrypt_2a', 'it''s a pa$$word', '$2a$04$qrR95H7U8J3Rr16ntpmFJO4wnlp3tX6gCa7ctXNVB3R2B5kQNDPdq'),
  ('bcrypt_2a_latin', 'bcrypt_2a', 'pässwörd✓', '$2a$04$VQDdhpoI5z8bWfrKgfottO7aVM0P.UiCa0egEPaHxMj1W3J/7LcoS'),
  ('bcrypt_2a_emoji', 'bcrypt_2a', '🔐 clé 鍵', '$2a$04$Z5WhD.y4WDHf5IoPKmfsleO79eshvUxybiMIp/ZTdK3nntam3tVgK'),
  ('bcrypt_2a_ligature', 'bcrypt_2a', 'ﬁancé', '$2a$04$7z9bxbfnBqClSxzq5l6SCuKoZdDeq4zX5mcHj7opGMO1VRwTGzmRG'),
  ('bcrypt_2a_angstrom', 'bcrypt_2a', U&'\212B', '$2a$04$fEqughCH4L0i8QwlTA2b/e69zkJi17/VczznP0pMsQhKc4ONB7bLe'),
  ('bcrypt_2a_combining', 'bcrypt_2a', U&'A\030A', '$2a$04$Caik94vfAjvmwkOt6hdxK.6mnJrqXCkJT1egQpdCY6iffrZtRF8Dq'),
  ('bcrypt_2a_long_ascii', 'bcrypt_2a', repeat('ab', 5000), '$2a$04$vDo2PwjpaRWBskk34eQbd.nn7QiCqEg7skxhCdQ4IKMk2C.gkA/4.'),
  ('bcrypt_2a_long_multibyte', 'bcrypt_2a', repeat('ü', 10000), '$2a$04$z08O7PuQr/sPRS6EsMfsQuhLT2EuLpXfvso.1R55qnKwzYgEcHPd6'),
  ('bcrypt_2y_ascii', 'bcrypt_2y', 'correct horse battery staple', '$2y$04$sUtBka3vY2lJKh5WTQ0ate.gToQ5lwoe6iBmSxxG5DQFP6xnOLpcW'),
  ('bcrypt_2y_empty', 'bcrypt_2y', '', '$2y$04$oHAqxLMwH5HDrZSFoNKzH.IHdLJFvygYIXAmCvIgZf0miAKrrxaV6'),
  ('bcrypt_2y_quote', 'bcrypt_2y', 'it''s a pa$$word', '$2y$04$KnG02gkNE7eDbr/N23O1RuNb1BHwi8qfHEF0gySY1yoJzbD.tTsoK'),
  ('bcrypt_2y_latin', 'bcrypt_2y', 'pässwörd✓', '$2y$04$O2JCsfONKH6GQcMtnGXzIONOeBWYBDuUCY0zKm2gJDsi.7Qsm5CbW'),
  ('bcrypt_2y_emoji', 'bcrypt_2y', '🔐 clé 鍵', '$2y$04$rdAj.DmwDpwtNxUCgDwhnO9LZM31.6VyWIuIGJYNgVY1kNT0CJeHm'),
  ('bcrypt_2y_ligature', 'bcrypt_2y', 'ﬁancé', '$2y$04$f.fi8QKU0m/xAF4IcOBDAO.ouguABKqHRhJ0EKd1Z33Ph.oXnk3.G'),
  ('bcrypt_2y_angstrom', 'bcrypt_2y', U&'\212B', '$2y$04$WiS6RvZC2S/3QYHUynggLeGWL2WfOH9ht0H8dwR9Msx6Cfc5mBFbi'),
  ('bcrypt_2y_combining', 'bcrypt_2y', U&'A\030A', '$2y$04$l97wLFVYMgH0dD/1r4iltuPrZpyWRfXzEXuQ2m3NhFFIKbDJGE896'),
  ('bcrypt_2y_long_ascii', 'bcrypt_2y', repeat('ab', 5000), '$2y$04$SFNh1SDQg7jIuvjlEsizA.14g8coRBBSxTCY70Udc.q0wq.MUCc3a'),
  ('bcrypt_2y_long_multibyte', 'bcrypt_2y', repeat('ü', 10000), '$2y$04$o34KRftLmNV9gB29YCqUwOIoZl.lrPjc61LZibSnaC8g.EIxildu2'),
  ('bcrypt_cost_10', 'bcrypt_cost_10', 'correct horse battery staple', '$2b$10$s3xuA03jPjbm7b.97bJnduvcFEHaeq.GWH3lFfTmjbjRta9N0NXyS'),
  ('bcrypt_cost_12', 'bcrypt_cost_12', 'correct horse battery staple', '$2b$12$qHYvYXe4e.3dluqCzaiU3uzSUS31q86Zwsdb.ZHK.sLGc3aSvDJEC'),
  ('bcrypt_cost_13', 'bcrypt_cost_13', 'correct horse battery staple', '$2b$13$PN1wA0OQmxj2z/mvmYyCgeHs/dB7ANV/ZaCoDAbKr4.YuHU1mFjCG'),
  ('v1_ascii', 'lucia_v1', 'correct horse battery staple', 'legacyascii00000:9a64db0bde81911409028d574288ba9792396ecae015cf2e42f597a1466082314ab97d05c736121484c144199afc5b8443597e4d792ee0088ae6a0afd580d3bb'),
  ('mixed_v1_salt_r16', 'mixed', 'correct horse battery staple', 'legacyascii00000:31847e8d8da61b5c753b2a7c814fda7b803dc30ab10032f1ba9aab9c1826697805ba2267cf0ad7dc36fe1be01dc99da75f473d366e7b77f1d548b7e2c07d9145'),
  ('mixed_hex_salt_r8', 'mixed', 'correct horse battery staple', '00112233445566778899aabbccddeeff:5699cfee2c5c280e66678242092f368ce88ff05305af2c75a9e629d473deb2165b3797e0e31ec3cda30414573befb697f928384c38b187e8c176107e5be20f01');

LOAD 'lucia_auth';

-- The result of verify_password, or its error.
CREATE FUNCTION pg_temp.verified(password text, hash text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN lucia_auth.verify_password(password, hash)::text;
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- With lucia_auth.verify_bcrypt off (the default): every scrypt hash verifies with its own password and
-- not with a changed one; a "$2a$" hash is Lucia's AUTH_OUTDATED_PASSWORD, and "$2b$"/"$2y$" are not
-- hashes (false), as in Lucia.
SHOW lucia_auth.verify_bcrypt;
SELECT format, count(*) AS hashes, string_agg(DISTINCT pg_temp.verified(password, hash), ', ') AS own,
       string_agg(DISTINCT pg_temp.verified('x' || password, hash), ', ') AS changed
  FROM import_vectors WHERE format !~ '^bcrypt_cost' GROUP BY format ORDER BY format;

-- With it on, bcrypt hashes verify too. bcrypt reads 72 bytes of the password: a change after them
-- goes unseen (the long passwords), a change before them does not.
SET lucia_auth.verify_bcrypt = on;
SELECT name, lucia_auth.verify_password(password, hash) AS own,
       lucia_auth.verify_password(password || 'x', hash) AS changed,
       lucia_auth.verify_password('x' || password, hash) AS prefixed
  FROM import_vectors WHERE format ~ '^bcrypt_2' ORDER BY name;
-- The scrypt formats are unchanged by the setting.
SELECT name, lucia_auth.verify_password(password, hash) AS own
  FROM import_vectors WHERE format !~ '^bcrypt' AND name ~ '_ascii$' ORDER BY name;

-- bcrypt's cost factor: 10 and 12 verify under the default bound (lucia_auth.bcrypt_max_cost = 12); 13 is
-- refused without hashing, even with the right password, until the bound is raised.
SELECT name, lucia_auth.verify_password(password, hash) AS own FROM import_vectors
  WHERE format ~ '^bcrypt_cost' ORDER BY name;
SET lucia_auth.bcrypt_max_cost = 11;
SELECT name, lucia_auth.verify_password(password, hash) AS own FROM import_vectors
  WHERE format ~ '^bcrypt_cost' AND name <> 'bcrypt_cost_13' ORDER BY name;
RESET lucia_auth.bcrypt_max_cost;

-- NFKC-equivalent spellings verify against the scrypt hashes, which Lucia v3 and Better Auth make from
-- the NFKC form, and not against bcrypt hashes, which bcryptjs makes from the password as typed.
SELECT v.format, t.name, lucia_auth.verify_password(t.spelling, v.hash) AS ok
  FROM (VALUES ('ligature', 'fiancé'), ('angstrom', U&'\00C5'), ('combining', U&'\00C5'),
               ('latin', U&'pa\0308sswo\0308rd✓')) AS t(name, spelling)
  JOIN import_vectors v ON v.name ~ ('_' || t.name || '$') AND v.format !~ '^lucia3_legacy'
  ORDER BY 1, 2;

-- Every imported hash needs a rehash, whatever the current format; Lucia v3's LegacyScrypt writes Lucia
-- v2's s2 format, which is current unless Argon2id is chosen.
SELECT format, bool_and(lucia_auth.password_needs_rehash(hash)) AS needs_rehash
  FROM import_vectors GROUP BY format ORDER BY format;
SET lucia_auth.password_hash = argon2id;
SELECT bool_and(lucia_auth.password_needs_rehash(hash)) AS needs_rehash_argon2id FROM import_vectors;
RESET lucia_auth.password_hash;

-- use_key reads them from the key table: a user of those systems logs in unchanged (but with an empty
-- password, which use_key refuses for a key that has one, as Lucia does).
SELECT user_id FROM lucia_auth.create_user('import-user');
INSERT INTO user_key SELECT 'import:' || name, 'import-user', hash FROM import_vectors
  WHERE format IN ('lucia3', 'better_auth', 'lucia3_legacy', 'bcrypt_2a', 'bcrypt_2b', 'bcrypt_2y');
SELECT v.format, count(*) AS keys, bool_and(k.user_id = 'import-user' AND k.password_defined) AS logged_in
  FROM import_vectors v, LATERAL lucia_auth.use_key('import', v.name, v.password) k
  WHERE v.format IN ('lucia3', 'better_auth', 'lucia3_legacy', 'bcrypt_2a', 'bcrypt_2b', 'bcrypt_2y')
    AND v.password <> ''
  GROUP BY v.format ORDER BY v.format;
SELECT v.format, string_agg(DISTINCT regress.error_of(pg_catalog.format(
         'SELECT lucia_auth.use_key(%L, %L, %L)', 'import', v.name, 'x' || v.password)), ', ') AS wrong_password
  FROM import_vectors v
  WHERE v.format IN ('lucia3', 'better_auth', 'lucia3_legacy', 'bcrypt_2a', 'bcrypt_2b', 'bcrypt_2y')
    AND v.name ~ '_(ascii|latin)$'
  GROUP BY v.format ORDER BY v.format;
RESET lucia_auth.verify_bcrypt;
SELECT v.format, string_agg(DISTINCT regress.error_of(pg_catalog.format(
         'SELECT lucia_auth.use_key(%L, %L, %L)', 'import', v.name, v.password)), ', ') AS bcrypt_off
  FROM import_vectors v WHERE v.format IN ('bcrypt_2a', 'bcrypt_2b', 'bcrypt_2y') AND v.password <> ''
  GROUP BY v.format ORDER BY v.format;
SELECT lucia_auth.delete_user('import-user');

\i test/sql/include/teardown.sql
