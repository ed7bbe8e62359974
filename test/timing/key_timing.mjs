// The measures of test/timing/key_timing.sh: use_key for each case below, in a new random order each
// round, $ROUNDS rounds; fails when a case checked against the missing key has a median more than 25%
// away from the missing key's. Connects with the libpq variables (PG*); node-postgres comes from
// interop/node_modules.
import { createRequire } from "node:module";

const require = createRequire(new URL("../../interop/package.json", import.meta.url));
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
  // dominates the cost of a new backend's first call): the dummy hash a missing key is verified against
  // must not be made by hashing at that call.
  const admin = new Client();
  await admin.connect();
  const database = (await admin.query("SELECT current_database() AS db")).rows[0].db;
  for (const setting of ["password_hash = argon2id", "argon2id_memory = '64MB'", "argon2id_iterations = 3"]) {
    await admin.query(`ALTER DATABASE "${database}" SET lucia_auth.${setting}`);
  }
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
