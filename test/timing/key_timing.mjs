// The measures of test/timing/key_timing.sh: use_key for each case below, in a new random order each
// round, $ROUNDS rounds; fails when a case compared with another has a median more than 25% (and more
// than 0.25 ms) away from that one's. Connects with the libpq variables (PG*); node-postgres comes from interop/node_modules.
import { createRequire } from "node:module";

const require = createRequire(new URL("../../interop/package.json", import.meta.url));
const { Client } = require("pg");

// [name, provider_id, provider_user_id, password, compared with (a case's name) or null, connection]
const cases = [
  ["missing key", "email", "nobody@example.com", "a wrong password", null, "plain"],
  ["wrong password", "email", "user@example.com", "a wrong password", "missing key", "plain"],
  ["password for a key without one", "github", "4242", "a wrong password", "missing key", "plain"],
  ["unreadable stored hash", "legacy", "old@example.com", "a wrong password", "missing key", "plain"],
  ["missing key, empty password", "email", "nobody@example.com", "", null, "plain"],
  ["empty password", "email", "user@example.com", "", null, "plain"],
];
// With lucia_auth preloaded, throttled attempts too: they fail at once, without hashing, and must take
// the same time for a key that exists and one that does not. (They are far faster than the others:
// throttling is meant to be seen; what it must not show is whether the key exists.)
const throttledCases = [
  ["throttled, missing key", "email", "nobody-throttled@example.com", "a wrong password", null, "throttled"],
  ["throttled, existing key", "email", "throttled@example.com", "a wrong password", "throttled, missing key",
   "throttled"],
];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Prints each case's median and, for a case compared with another, whether they are within 25%.
function report(list, samples) {
  let failed = false;
  const medians = new Map(list.map(([name], i) => [name, median(samples[i])]));
  list.forEach(([name, , , , reference], i) => {
    const m = medians.get(name);
    let line = `  ${name.padEnd(32)} ${m.toFixed(3).padStart(9)}`;
    if (reference) {
      // Within 25%, or within a quarter of a millisecond for attempts that take about one: below that
      // a median is the noise of the round trip.
      const base = medians.get(reference);
      const ratio = m / base;
      const ok = Math.abs(m - base) <= Math.max(0.25 * base, 0.25);
      if (!ok) failed = true;
      line += `   ratio to ${reference} ${ratio.toFixed(3)} ${ok ? "ok" : "FAIL (more than 25% apart)"}`;
    }
    console.log(line);
  });
  return failed;
}

(async () => {
  const rounds = Number(process.env.ROUNDS);
  const connections = { plain: new Client() };
  await connections.plain.connect();
  const preloaded = (await connections.plain.query(
    "SELECT 'lucia_auth' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS yes",
  )).rows[0].yes;
  if (preloaded) {
    connections.throttled = new Client();
    await connections.throttled.connect();
    await connections.throttled.query("SET lucia_auth.throttle_key_attempts = 1");
    await connections.throttled.query("SET lucia_auth.throttle_window = '1h'");
    cases.push(...throttledCases);
  }
  const call = async ([, provider, user, password, , connection]) => {
    const start = process.hrtime.bigint();
    try {
      await connections[connection].query("SELECT * FROM lucia_auth.use_key($1, $2, $3)", [provider, user, password]);
      throw new Error(`use_key(${provider}, ${user}) succeeded`);
    } catch (error) {
      if (!error.code) throw error;
    }
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  // Warm up: load the module, prepare the statements, make the dummy hash; the first failures of the
  // throttled cases are what throttles them.
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
  await connections.plain.end();
  if (connections.throttled) {
    // Still throttled, both: the measures were of throttled attempts.
    for (const c of throttledCases) {
      try {
        await connections.throttled.query("SELECT lucia_auth.use_key($1, $2, $3)", c.slice(1, 4));
      } catch (error) {
        if (error.message !== "AUTH_TOO_MANY_ATTEMPTS") throw new Error(`${c[0]}: ${error.message}`);
      }
    }
    await connections.throttled.end();
  } else {
    console.log("lucia_auth is not in shared_preload_libraries: the throttled cases are not measured");
  }

  console.log(`${rounds} samples of each case; medians in ms:`);
  let failed = report(cases, samples);

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
    ["first call, missing key", "argon", "nobody@example.com", "a wrong password", null],
    ["first call, wrong password", "argon", "user@example.com", "a wrong password", "first call, missing key"],
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
  console.log(`${rounds} new connections for each case (Argon2id, 64 MiB, 3 passes); medians in ms:`);
  if (report(firstCases, firstSamples)) failed = true;
  console.log(failed ? "key timing check FAILED" : "key timing check passed");
  process.exitCode = failed ? 1 : 0;
})().catch((error) => { console.error(error); process.exit(2); });
