// Writes test/sql/password_import_vectors.sql: password hashes made by the libraries whose formats
// lucia_auth imports, for pg_regress:
//   - lucia@3's Scrypt ("<hex salt>:<hex key>", scrypt r=16 over the salt's hex text) and LegacyScrypt
//     (Lucia v2's "s2:" form, with a 32-character salt);
//   - better-auth's hashPassword (the same format as Lucia v3's Scrypt);
//   - bcryptjs ("$2a$", "$2b$", "$2y$"; the password as typed, not normalised; at most 72 bytes read).
//
// Run from this folder, with the versions pinned in package.json and package-lock.json:
//   cd test/vectors && npm ci && node make_import_vectors.mjs > ../sql/password_import_vectors.sql
// Every hash is checked with its own library's verify function before it is written. The Lucia v1 row
// ("salt:hex", scrypt r=8) and the two rows that mix the forms are made with node's scrypt.
import { scryptSync } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Scrypt, LegacyScrypt } from "lucia";
import { hashPassword, verifyPassword } from "better-auth/crypto";
import bcrypt from "bcryptjs";

import { cases, sqlString } from "./password_cases.mjs";

// The installed version of a package (read from node_modules, since not every package exports its
// package.json).
const here = path.dirname(fileURLToPath(import.meta.url));
const version = (name) =>
  JSON.parse(readFileSync(path.join(here, "node_modules", name, "package.json"), "utf8")).version;

const rows = [];
const add = (name, format, expr, hash) =>
  rows.push(`  (${sqlString(name)}, ${sqlString(format)}, ${expr}, ${sqlString(hash)})`);

const lucia3 = new Scrypt();
for (const [name, expr, js] of cases) {
  const hash = await lucia3.hash(js);
  if (!(await lucia3.verify(hash, js))) throw new Error(`Lucia v3 rejected its own hash for ${name}`);
  add(`lucia3_${name}`, "lucia3", expr, hash);
}
const legacy = new LegacyScrypt();
for (const [name, expr, js] of cases.slice(0, 5)) {
  const hash = await legacy.hash(js);
  if (!(await legacy.verify(hash, js))) throw new Error(`Lucia v3 rejected its own legacy hash for ${name}`);
  add(`lucia3_legacy_${name}`, "lucia3_legacy", expr, hash);
}
for (const [name, expr, js] of cases) {
  const hash = await hashPassword(js);
  if (!(await verifyPassword({ hash, password: js }))) throw new Error(`Better Auth rejected its hash for ${name}`);
  add(`better_auth_${name}`, "better_auth", expr, hash);
}
// bcryptjs writes "$2b$"; the "$2a$" and "$2y$" variants are made from the same kind of salt with the
// other prefix, which bcryptjs takes as given. Costs are low to keep the test fast, but for one hash at
// bcryptjs's default (10), one at lucia_auth's default bound (12) and one beyond it (13).
const bcryptCases = [
  ["2b", 4],
  ["2a", 4],
  ["2y", 4],
];
for (const [variant, cost] of bcryptCases) {
  for (const [name, expr, js] of cases) {
    const salt = bcrypt.genSaltSync(cost).replace(/^\$2b\$/, `$${variant}$`);
    const hash = bcrypt.hashSync(js, salt);
    if (!hash.startsWith(`$${variant}$0${cost}$`) || !bcrypt.compareSync(js, hash)) {
      throw new Error(`bcryptjs rejected its hash for ${variant} ${name}`);
    }
    add(`bcrypt_${variant}_${name}`, `bcrypt_${variant}`, expr, hash);
  }
}
for (const cost of [10, 12, 13]) {
  const hash = bcrypt.hashSync("correct horse battery staple", cost);
  if (!bcrypt.compareSync("correct horse battery staple", hash)) throw new Error(`bcryptjs cost ${cost}`);
  add(`bcrypt_cost_${cost}`, `bcrypt_cost_${cost}`, "'correct horse battery staple'", hash);
}

// The two-part forms are told apart by the salt alone: a Lucia v1 hash (16-character salt, r=8) stays
// v1; a key made with the other block size under either salt is no match.
const nodeScrypt = (js, salt, r) =>
  scryptSync(js.normalize("NFKC"), salt, 64, { N: 16384, r, p: 1, maxmem: 64 * 1024 * 1024 }).toString("hex");
add("v1_ascii", "lucia_v1", "'correct horse battery staple'",
    `legacyascii00000:${nodeScrypt("correct horse battery staple", "legacyascii00000", 8)}`);
add("mixed_v1_salt_r16", "mixed", "'correct horse battery staple'",
    `legacyascii00000:${nodeScrypt("correct horse battery staple", "legacyascii00000", 16)}`);
const hexSalt = "00112233445566778899aabbccddeeff";
add("mixed_hex_salt_r8", "mixed", "'correct horse battery staple'",
    `${hexSalt}:${nodeScrypt("correct horse battery staple", hexSalt, 8)}`);

const lines = [];
lines.push(`-- Password hashes made by lucia@${version("lucia")} (Scrypt, LegacyScrypt), better-auth@${version("better-auth")}`);
lines.push(`-- (hashPassword) and bcryptjs@${version("bcryptjs")}, written by test/vectors/make_import_vectors.mjs.`);
lines.push("-- Do not edit by hand: run the script again.");
lines.push("\\i test/sql/include/setup.sql");
lines.push("CALL regress.fresh_tables();");
lines.push("CREATE TEMP TABLE import_vectors (name text PRIMARY KEY, format text NOT NULL, password text NOT NULL,");
lines.push("                                  hash text NOT NULL);");
lines.push("INSERT INTO import_vectors VALUES");
lines.push(rows.join(",\n") + ";");
lines.push(`
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
  FROM (VALUES ('ligature', 'fiancé'), ('angstrom', U&'\\00C5'), ('combining', U&'\\00C5'),
               ('latin', U&'pa\\0308sswo\\0308rd✓')) AS t(name, spelling)
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

\\i test/sql/include/teardown.sql`);
process.stdout.write(lines.join("\n") + "\n");
