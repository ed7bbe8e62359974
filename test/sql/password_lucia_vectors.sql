-- Password hashes made by lucia@2.7.7 (generateLuciaPasswordHash), written by
-- test/vectors/make_password_vectors.mjs. Do not edit by hand: run the script again.
\i test/sql/include/setup.sql
CREATE TEMP TABLE lucia_vectors (name text PRIMARY KEY, password text NOT NULL, hash text NOT NULL);
INSERT INTO lucia_vectors VALUES
  ('ascii', 'correct horse battery staple', 's2:sjtrtwqi9vvv2f5c:650ec0a6484a60b34f512541ca4dc9ab3aaf9627305fc58109131d6e0bcac8c8c585bfea16641b7a01910ca706d7b9506dc3b431ffdde93055766916600160a3'),
  ('empty', '', 's2:fn69xq2bjz226dsw:e0195096b613880fcd1244953488d7b9ed24a35e28e0ef5d529e85afbca9744a7e632f044f44ae7400d79efe56b849f1dcbe31c5431139db65368dae2bd51a39'),
  ('quote', 'it''s a pa$$word', 's2:drdm5l7cdtz80fyz:6aa0d7f824e611f08d29a6ab50b6b704a061f6c0fc0e9930ddc60a81f7cb537fe0d7c1e663c503f2444a4fb90faa9087463ee2a69e4b9aad3d449720a8584a1e'),
  ('latin', 'pässwörd✓', 's2:ajsmwpt4oavyej06:53602e1b9955c1bccb0e48624332cb3a7b54ac673293f8ed33b932ab4ce77f46f89e995aabab73c7769d846b454e144e48988572ee8f10cbe87cae994f858daa'),
  ('emoji', '🔐 clé 鍵', 's2:7tg776hbfoppcvvc:a3e2a2bcb583307bdb636b897f05a28dc153f2f8adca6abf8fa7a5d6f128fdbeab0496e79e40b581d71358e4fcca03272d7d37502f82fc31f6efdbbbd3408187'),
  ('ligature', 'ﬁancé', 's2:6i8oh4jubx9c87m9:d9aefcf58196081dd0f65ca48b606053caaf533bf28836b7e25f3e8ce519bf4d34b2cd485b6613ec64b766a14b7a08de8822ee19dc163c3deaee6740d35b7a16'),
  ('angstrom', U&'\212B', 's2:aqx9ref32ewu7ylp:d9d232550f8e4df15c0907f7592c64db8954d146f0b3ec558549fbd3b6fe6b8401e17a80877906e504c0d185fd31a667fe52f2643d96eb10017d796212a0fa42'),
  ('combining', U&'A\030A', 's2:j6qg0jjtjn3gi04c:1928292e8df905ededa013a7913028523354a817c867bc0d719ea674447403435d7477ed7d70b3072c7b52a0144a81dba04e14831ab91ac354bc066e76c7d22b'),
  ('long_ascii', repeat('ab', 5000), 's2:yarhv55gk7p6duby:3e7d43e06eef0df94f2fe8292423b7b6ba4c2986f88f0fbdc716dc13626c5c4a4b95be38e383198f2cc3382f5049e752bd8d61ed6cbcffffe1b2adc681e80c85'),
  ('long_multibyte', repeat('ü', 10000), 's2:4n1hmvmjvozguqol:678eb50a4ab0b2ad58712c620cca9e2902571b84073173d29e432c7629528cc7a1f22e0abef887e680fe5694e1249a50d01718f2705ae697f6987863d5e7f1ba'),
  ('v1_ascii', 'correct horse battery staple', 'legacyascii00000:9a64db0bde81911409028d574288ba9792396ecae015cf2e42f597a1466082314ab97d05c736121484c144199afc5b8443597e4d792ee0088ae6a0afd580d3bb'),
  ('v1_empty', '', 'legacyempty00000:9fa3f2d00db304e042b157534c95bd1ba643d51cbee0d2203d3daa12c8ac32efe8e2c997f16a16acdfcaccfeaff14663a2b5ee40e8753010441d6e74fa82f7ae'),
  ('v1_quote', 'it''s a pa$$word', 'legacyquote00000:dc83cfc3b53c094bbeda8eed6a6ed095fefc8543faf9b0d5fab56c84a74651abbfdc8880f581f863de4a337f32a24b69147cedd73f5cb11c5e5dcb7152ff9bef'),
  ('v1_latin', 'pässwörd✓', 'legacylatin00000:2295c836de11223c91778141f43e088eaa96cef2f95ac7f2df714be1eac3a3ec887439099cf0ebc2b07f4635227a06ed915299e68bfdc940b1f0e0bb4a431658'),
  ('v1_emoji', '🔐 clé 鍵', 'legacyemoji00000:e293923d48c035e52e4acd313a4507ef01c9e5feb20e194fe6494b24345dfa4ecf259ae38a378fa2d77053918c64ca62014b48e922b51a7ac9853f5c1def61d5');

-- Every Lucia hash verifies with its own password, and not with a changed one.
SELECT name, lucia_auth.verify_password(password, hash) AS own,
       lucia_auth.verify_password(password || 'x', hash) AS changed,
       lucia_auth.verify_password('x' || password, hash) AS prefixed
  FROM lucia_vectors ORDER BY name;

-- NFKC-equivalent spellings verify against Lucia's hashes, as they do in Lucia.
SELECT name, lucia_auth.verify_password(spelling, (SELECT hash FROM lucia_vectors v WHERE v.name = t.name)) AS ok
  FROM (VALUES ('ligature', 'fiancé'), ('angstrom', U&'\00C5'), ('angstrom', U&'A\030A'),
               ('combining', U&'\00C5'), ('combining', U&'\212B'), ('latin', U&'pa\0308sswo\0308rd✓'))
       AS t(name, spelling)
  ORDER BY 1, 2;

-- A password that differs only in a way NFKC keeps does not verify.
SELECT lucia_auth.verify_password('fiance', hash) AS accent_dropped FROM lucia_vectors WHERE name = 'ligature';

-- Our hashes of the same passwords verify, and are new s2 hashes (Lucia's interop suite checks that
-- Lucia accepts them).
SELECT name, h ~ '^s2:[a-z0-9]{16}:[0-9a-f]{128}$' AS s2_shape, h <> hash AS fresh_salt,
       lucia_auth.verify_password(password, h) AS verifies
  FROM lucia_vectors, LATERAL lucia_auth.hash_password(password) AS h
  WHERE name !~ '^(v1_|long)'
  ORDER BY name;

\i test/sql/include/teardown.sql
