import { defineCases } from "../lib/cases.js";
import { quotedLayout } from "../lib/layouts.js";

defineCases({ database: "interop_quoted_postgres_js", layout: quotedLayout, driver: "postgres-js" });
