#!/usr/bin/env bash
# Measures use_key for a key that does not exist against use_key with a wrong password for a key that
# does (default settings: s2 hashes), and fails when their medians differ by more than 25%: timing must
# not tell a caller which keys exist. Also measures, against the same missing key, a password given for
# a key that has none and for a key whose stored hash cannot be read (checked the same way), and an
# empty password (shown only: no hash is computed on either side, so both take well under a
# millisecond and only noise separates them). Then, with Argon2id as the format of new hashes, the first
# use_key of a new connection for a missing key against the first one for a wrong password (checked the
# same way): the dummy hash a missing key is verified against must not be made by hashing at that call.
#
# Run inside pg_virtualenv (the PG* variables point at the cluster, as a superuser), from anywhere:
#   pg_virtualenv -t -v 15 scripts/check-key-timing.sh
# LUCIA_TIMING_ROUNDS sets the number of samples of each case (default 21, at least 15).
set -euo pipefail
cd "$(dirname "$0")/.."

export PGDATABASE=lucia_timing_check
NODE_PATH="$(pwd)/interop/node_modules"
export NODE_PATH
if [ ! -d "$NODE_PATH/pg" ]; then
  echo "node-postgres is missing: run (cd interop && npm ci) first" >&2
  exit 2
fi
ROUNDS=${LUCIA_TIMING_ROUNDS:-21}
if [ "$ROUNDS" -lt 15 ]; then ROUNDS=15; fi

admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
admin -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS lucia_timing_check" \
  -c "CREATE DATABASE lucia_timing_check"
trap 'admin -c "DROP DATABASE IF EXISTS lucia_timing_check" >/dev/null 2>&1 || true' EXIT
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE EXTENSION lucia_auth;
SELECT lucia_auth.create_tables();
SELECT lucia_auth.create_user('timing-user', 'email', 'user@example.com', 'the right password');
SELECT lucia_auth.create_key('timing-user', 'github', '4242', NULL);
SELECT lucia_auth.create_key('timing-user', 'legacy', 'old@example.com', NULL);
UPDATE user_key SET hashed_password = 'not a hash lucia_auth can read' WHERE id = 'legacy:old@example.com';
SQL

ROUNDS=$ROUNDS node - <<'EOF'
const { Client } = require("pg");

const cases = [
  // [name, provider_id, provider_user_id, password, compared with the missing key?]
  ["missing key", "email", "nobody@example.com", "a wrong password", false],
  ["wrong password", "email", "user@example.com", "a wrong password", true],
  ["password for a key without one", "github", "4242", "a wrong password", true],
  ["unreadable stored hash", "legacy", "old@example.com", "a wrong password", true],
  ["missing key, empty password", "email", "nobody@example.com", "", false],
  ["empty password", "email", "user@example.com", "", false],
];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

(async () => {
  const rounds = Number(process.env.ROUNDS);
  const client = new Client();
  await client.connect();
  const call = async ([, provider, user, password]) => {
    const start = process.hrtime.bigint();
    try {
      await client.query("SELECT * FROM lucia_auth.use_key($1, $2, $3)", [provider, user, password]);
      throw new Error(`use_key(${provider}, ${user}) succeeded`);
    } catch (error) {
      if (!error.code) throw error;
    }
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  // Warm up: load the module, prepare the statements, make the dummy hash.
  for (let i = 0; i < 3; i++) for (const c of cases) await call(c);
  const samples = cases.map(() => []);
  // Every round runs each case once, in a new random order, so that drift of the machine's speed and
  // the cache left by the call before touch all cases alike.
  for (let round = 0; round < rounds; round++) {
    const order = [...cases.keys()];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const i of order) samples[i].push(await call(cases[i]));
  }
  await client.end();

  const missing = median(samples[0]);
  let failed = false;
  console.log(`${rounds} samples of each case; medians in ms:`);
  cases.forEach(([name, , , , checked], i) => {
    const m = median(samples[i]);
    let line = `  ${name.padEnd(32)} ${m.toFixed(3).padStart(9)}`;
    if (checked) {
      const ratio = m / missing;
      const ok = Math.abs(ratio - 1) <= 0.25;
      if (!ok) failed = true;
      line += `   ratio to missing key ${ratio.toFixed(3)} ${ok ? "ok" : "FAIL (more than 25% apart)"}`;
    }
    console.log(line);
  });

  // The first call of a new connection, with Argon2id hashes (64 MiB, 3 passes, so that the hash
  // dominates the cost of a new backend's first call).
  const admin = new Client();
  await admin.connect();
  await admin.query("ALTER DATABASE lucia_timing_check SET lucia_auth.password_hash = argon2id");
  await admin.query("ALTER DATABASE lucia_timing_check SET lucia_auth.argon2id_memory = '64MB'");
  await admin.query("ALTER DATABASE lucia_timing_check SET lucia_auth.argon2id_iterations = 3");
  await admin.end();
  const setup = new Client();
  await setup.connect();
  await setup.query("SELECT lucia_auth.create_user('argon-user', 'argon', 'user@example.com', 'the right password')");
  await setup.end();
  const firstCases = [
    ["first call, missing key", "argon", "nobody@example.com", "a wrong password", false],
    ["first call, wrong password", "argon", "user@example.com", "a wrong password", true],
  ];
  const firstSamples = firstCases.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [1, 0] : [0, 1];
    for (const i of order) {
      const fresh = new Client();
      await fresh.connect();
      const [, provider, user, password] = firstCases[i];
      const start = process.hrtime.bigint();
      try {
        await fresh.query("SELECT * FROM lucia_auth.use_key($1, $2, $3)", [provider, user, password]);
        throw new Error(`use_key(${provider}, ${user}) succeeded`);
      } catch (error) {
        if (!error.code) throw error;
      }
      firstSamples[i].push(Number(process.hrtime.bigint() - start) / 1e6);
      await fresh.end();
    }
  }
  const firstMissing = median(firstSamples[0]);
  console.log(`${rounds} new connections for each case (Argon2id, 64 MiB, 3 passes); medians in ms:`);
  firstCases.forEach(([name, , , , checked], i) => {
    const m = median(firstSamples[i]);
    let line = `  ${name.padEnd(32)} ${m.toFixed(3).padStart(9)}`;
    if (checked) {
      const ratio = m / firstMissing;
      const ok = Math.abs(ratio - 1) <= 0.25;
      if (!ok) failed = true;
      line += `   ratio to missing key ${ratio.toFixed(3)} ${ok ? "ok" : "FAIL (more than 25% apart)"}`;
    }
    console.log(line);
  });
  console.log(failed ? "key timing check FAILED" : "key timing check passed");
  process.exitCode = failed ? 1 : 0;
})().catch((error) => { console.error(error); process.exit(2); });
EOF
