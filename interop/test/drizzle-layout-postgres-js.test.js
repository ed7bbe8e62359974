import { defineCases } from "../lib/cases.js";
import { drizzleLayout } from "../lib/layouts.js";

defineCases({ database: "interop_drizzle_postgres_js", layout: drizzleLayout, driver: "postgres-js" });
