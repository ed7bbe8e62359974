// Writes test/sql/password_lucia_vectors.sql: password hashes made by Lucia v2 itself, for pg_regress.
//
// Run from a folder where lucia@2.7.7 is installed (the interop project has it):
//   cd interop && npm ci && node ../test/vectors/make_password_vectors.mjs > ../test/sql/password_lucia_vectors.sql
// Every hash is checked with Lucia's own validateLuciaPasswordHash before it is written. The Lucia v1
// ("salt:hex", scrypt r=8) hashes are made with node's scrypt, since Lucia v2 only verifies that format.
import { createRequire } from "node:module";
import { scryptSync } from "node:crypto";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { readFileSync } from "node:fs";

import { cases, sqlString } from "./password_cases.mjs";

const require = createRequire(path.join(process.cwd(), "package.json"));
const utils = await import(pathToFileURL(require.resolve("lucia/utils")).href);
const { generateLuciaPasswordHash, validateLuciaPasswordHash } = utils;
const luciaEntry = require.resolve("lucia/utils");
const pkg = JSON.parse(readFileSync(path.join(luciaEntry.slice(0, luciaEntry.lastIndexOf("/dist/")), "package.json"), "utf8"));

const lines = [];
lines.push(`-- Password hashes made by lucia@${pkg.version} (generateLuciaPasswordHash), written by`);
lines.push("-- test/vectors/make_password_vectors.mjs. Do not edit by hand: run the script again.");
lines.push("\\i test/sql/include/setup.sql");
lines.push("CREATE TEMP TABLE lucia_vectors (name text PRIMARY KEY, password text NOT NULL, hash text NOT NULL);");
lines.push("INSERT INTO lucia_vectors VALUES");
const rows = [];
for (const [name, expr, js] of cases) {
  const hash = await generateLuciaPasswordHash(js);
  if (!(await validateLuciaPasswordHash(js, hash))) throw new Error(`Lucia rejected its own hash for ${name}`);
  rows.push(`  (${sqlString(name)}, ${expr}, ${sqlString(hash)})`);
}
for (const [name, expr, js] of cases.slice(0, 5)) {
  const salt = "legacy" + name.padEnd(10, "0").slice(0, 10);
  const key = scryptSync(js.normalize("NFKC"), salt, 64, { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  const hash = `${salt}:${key.toString("hex")}`;
  if (!(await validateLuciaPasswordHash(js, hash))) throw new Error(`Lucia rejected the v1 hash for ${name}`);
  rows.push(`  (${sqlString("v1_" + name)}, ${expr}, ${sqlString(hash)})`);
}
lines.push(rows.join(",\n") + ";");
lines.push(`
-- Every Lucia hash verifies with its own password, and not with a changed one.
SELECT name, lucia_auth.verify_password(password, hash) AS own,
       lucia_auth.verify_password(password || 'x', hash) AS changed,
       lucia_auth.verify_password('x' || password, hash) AS prefixed
  FROM lucia_vectors ORDER BY name;

-- NFKC-equivalent spellings verify against Lucia's hashes, as they do in Lucia.
SELECT name, lucia_auth.verify_password(spelling, (SELECT hash FROM lucia_vectors v WHERE v.name = t.name)) AS ok
  FROM (VALUES ('ligature', 'fiancé'), ('angstrom', U&'\\00C5'), ('angstrom', U&'A\\030A'),
               ('combining', U&'\\00C5'), ('combining', U&'\\212B'), ('latin', U&'pa\\0308sswo\\0308rd✓'))
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

\\i test/sql/include/teardown.sql`);
process.stdout.write(lines.join("\n") + "\n");
