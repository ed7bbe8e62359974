import { defineAuthCases } from "../lib/auth-cases.js";
import { quotedLayout } from "../lib/layouts.js";

defineAuthCases({ database: "interop_client_quoted_postgres_js", layout: quotedLayout, driver: "postgres-js" });
