import { defineAuthCases } from "../lib/auth-cases.js";
import { drizzleLayout } from "../lib/layouts.js";

defineAuthCases({ database: "interop_client_drizzle_pg", layout: drizzleLayout, driver: "pg" });
