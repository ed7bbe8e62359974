// One failed login through bind parameters, for test/logs/log_secrets.sh: runs the SET statements of
// $SETS (separated by ';'), then use_key('email', $UID_ARG, $PASSWORD), which must fail. Connects with
// the libpq variables (PG*); node-postgres comes from interop/node_modules.
import { createRequire } from "node:module";

const require = createRequire(new URL("../../interop/package.json", import.meta.url));
const { Client } = require("pg");

const client = new Client();
await client.connect();
try {
  for (const statement of process.env.SETS.split(";").filter((s) => s.trim())) await client.query(statement);
  try {
    await client.query("SELECT * FROM lucia_auth.use_key($1, $2, $3)",
                       ["email", process.env.UID_ARG, process.env.PASSWORD]);
    console.error("use_key succeeded with a wrong password");
    process.exitCode = 1;
  } catch (error) {
    if (!error.code) throw error;
    console.log(`  use_key failed as expected: ${error.code} ${error.message}`);
  }
} finally {
  await client.end();
}
