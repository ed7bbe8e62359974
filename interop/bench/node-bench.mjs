// Throughput through node-postgres: lucia_auth's functions next to Lucia v2 on the same pool and data.
// Prints one line per measure for scripts/bench-in-cluster.sh: name|ours|reference|ratio|goal.
import pg from "pg";
import { lucia } from "lucia";
import { pg as pgAdapter } from "@lucia-auth/adapter-postgresql";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const users = Number(process.env.BENCH_USERS ?? 10000);
const sessions = Number(process.env.BENCH_SESSIONS ?? 100000);
const callers = 8;

const pool = new pg.Pool({ max: callers });
const auth = lucia({
  adapter: pgAdapter(pool, { user: "auth_user", key: "user_key", session: "user_session" }),
  env: "DEV",
});

const randomInt = (n) => 1 + Math.floor(Math.random() * n);

// Runs op with `callers` concurrent loops for the given time; returns completed operations per second.
async function throughput(op, duration = seconds) {
  const deadline = Date.now() + duration * 1000;
  let done = 0;
  const loop = async () => {
    while (Date.now() < deadline) {
      await op();
      done += 1;
    }
  };
  const start = Date.now();
  await Promise.all(Array.from({ length: callers }, loop));
  return done / ((Date.now() - start) / 1000);
}

// lucia_auth's calls are named prepared statements, as an application that cares for speed sends them:
// parsed and planned once per connection. Lucia's adapter sends its own queries as it always does.
const validateOurs = () =>
  pool.query({
    name: "lucia_validate_session",
    text: "select * from lucia_auth.validate_session($1)",
    values: [String(randomInt(sessions))],
  });
const validateLucia = () => auth.validateSession(String(randomInt(sessions)));
const useKeyOurs = () =>
  pool.query({
    name: "lucia_use_key",
    text: "select * from lucia_auth.use_key($1, $2, $3)",
    values: ["email", `user${randomInt(users)}@example.com`, "hello"],
  });
const useKeyLucia = () => auth.useKey("email", `user${randomInt(users)}@example.com`, "hello");

// Warm up the pool and both code paths.
await throughput(validateOurs, 0.5);
await throughput(validateLucia, 0.5);

const line = (name, ours, reference, goal) =>
  console.log(`${name}|${ours.toFixed(0)}/s|${reference.toFixed(0)}/s|${(ours / reference).toFixed(2)}|${goal}`);

const oursValidate = [];
const luciaValidate = [];
for (let round = 0; round < 2; round++) {
  luciaValidate.push(await throughput(validateLucia));
  oursValidate.push(await throughput(validateOurs));
}
const best = (xs) => Math.max(...xs);
line("node-postgres: validate_session vs Lucia validateSession", best(oursValidate), best(luciaValidate), ">= 2.5");

const luciaUseKey = await throughput(useKeyLucia, Math.max(seconds, 3));
const oursUseKey = await throughput(useKeyOurs, Math.max(seconds, 3));
line("node-postgres: use_key vs Lucia useKey", oursUseKey, luciaUseKey, ">= 3.5 (hashing)");

await pool.end();
