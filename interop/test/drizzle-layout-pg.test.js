import { defineCases } from "../lib/cases.js";
import { drizzleLayout } from "../lib/layouts.js";

defineCases({ database: "interop_drizzle_pg", layout: drizzleLayout, driver: "pg" });
