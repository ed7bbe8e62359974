// npm pack makes a tarball that installs without the network into an empty project, with the built
// JavaScript and its declarations, and each entry point imports.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";

const here = new URL("..", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "lucia_auth-pack-"));
after(() => rmSync(work, { recursive: true, force: true }));

const npm = (args, cwd) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

it("packs the built package and installs it offline", () => {
	const [packed] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], here));
	const files = packed.files.map((file) => file.path).sort();
	for (const entry of ["index", "auth", "client", "pg", "postgres", "drizzle", "middleware", "errors"]) {
		assert.ok(files.includes(`dist/${entry}.js`), `dist/${entry}.js`);
		assert.ok(files.includes(`dist/${entry}.d.ts`), `dist/${entry}.d.ts`);
	}
	assert.ok(files.includes("README.md"));
	assert.deepEqual(
		files.filter((file) => !file.startsWith("dist/") && !["README.md", "package.json"].includes(file)),
		[]
	);

	const app = join(work, "app");
	execFileSync("mkdir", ["-p", app]);
	writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
	npm(["install", "--offline", "--no-audit", "--no-fund", join(work, packed.filename)], app);
	const exported = execFileSync(
		"node",
		[
			"--input-type=module",
			"-e",
			`const main = await import("lucia_auth");
			 const entries = await Promise.all(["pg", "postgres", "middleware"].map((name) => import("lucia_auth/" + name)));
			 console.log(JSON.stringify([Object.keys(main).sort(), entries.map((entry) => Object.keys(entry).sort())]));`
		],
		{ cwd: app, encoding: "utf8" }
	);
	const [main, [pgEntry, postgresEntry, middlewareEntry]] = JSON.parse(exported);
	for (const name of ["lucia", "Auth", "LuciaError", "DatabaseError", "createClient", "sessionIdMatches"]) {
		assert.ok(main.includes(name), name);
	}
	assert.ok(pgEntry.includes("pg"));
	assert.ok(postgresEntry.includes("postgres"));
	assert.deepEqual(middlewareEntry, ["express", "fastify", "lucia", "node", "web"]);
});
