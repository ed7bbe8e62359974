// The application in a real browser: headless Chromium from Debian (/usr/bin/chromium), driven by
// playwright-core, goes through sign-up, sign-in from a second browser context (a second device), the
// account page listing both sessions, a forged cross-site POST that is refused, "sign out everywhere
// else" (the second device is signed out), idle renewal (the session aged in the database; the next
// page load carries the renewed cookie, and the browser stores its new expiry), and sign-out. Each page
// is saved as a screenshot under test-output/browser/ (WEB_TEST_OUTPUT changes the directory).
// Skipped, with a message, where Chromium is not installed (scripts/install-deps.sh browser).

import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { digestOf, startApp } from "./app.js";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const OUTPUT = process.env.WEB_TEST_OUTPUT ?? new URL("../test-output/browser/", import.meta.url).pathname;
const DATABASE = "web_example_browser";
const FLAGS = [
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	// Containers often have a small /dev/shm, which crashes Chromium's renderers.
	"--disable-dev-shm-usage"
];
const PASSWORD = "analytical engine";

describe("web example in Chromium", { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}: scripts/install-deps.sh browser` }, () => {
	let app;
	let browser;
	let laptop;
	let phone;
	let evil;
	let evilOrigin;
	const screenshots = [];

	before(async () => {
		mkdirSync(OUTPUT, { recursive: true });
		app = await startApp(DATABASE);
		const { chromium } = await import("playwright-core");
		// playwright-core starts the browser headless with a new, empty profile directory of its own.
		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 60_000 });
		laptop = await browser.newContext({ userAgent: "Laptop (browser test)", viewport: { width: 1000, height: 720 } });
		phone = await browser.newContext({ userAgent: "Phone (browser test)", viewport: { width: 420, height: 820 } });
		// Another site, on another port of the same host: same site for SameSite=Lax, another origin.
		evil = http.createServer((req, res) => {
			res.writeHead(200, { "content-type": "text/html" });
			res.end(`<!doctype html><title>Another site</title><h1>Win a prize</h1>
<form method="post" action="${app.origin}/account/sign-out-others"><button id="prize">Claim</button></form>`);
		});
		await new Promise((resolve) => evil.listen(0, "127.0.0.1", resolve));
		evilOrigin = `http://127.0.0.1:${evil.address().port}`;
	});

	after(async () => {
		await browser?.close();
		await new Promise((resolve) => (evil ? evil.close(resolve) : resolve()));
		await app?.close();
		if (screenshots.length) console.log(`screenshots:\n${screenshots.map((file) => `  ${file}`).join("\n")}`);
	});

	const shot = async (page, name) => {
		const file = join(OUTPUT, `${String(screenshots.length + 1).padStart(2, "0")}-${name}.png`);
		await page.screenshot({ path: file, fullPage: true });
		screenshots.push(file);
	};

	// Chromium sets a cookie's expiry as the server's Expires minus the server's Date, from its own clock:
	// within two seconds of the session's idle expiry.
	const assertExpiry = (cookie, idleExpires) =>
		assert.ok(Math.abs(cookie.expires - Number(idleExpires) / 1000) < 2, `${cookie.expires} vs ${idleExpires}`);

	const sessionCookie = async (context) => (await context.cookies(app.origin)).find((cookie) => cookie.name === "auth_session");

	const sessionsOf = (username) =>
		app.sql(
			`select s.id, s.active_expires, s.idle_expires, s.user_agent from auth.user_session s
			   join auth.auth_user u on u.id = s.user_id where u.username = $1 order by s.signed_in_at`,
			[username]
		);

	it("walks sign-up, a second device, sign out everywhere else, renewal and sign-out", async () => {
		// Sign-up on the laptop.
		const page = await laptop.newPage();
		await page.goto(`${app.origin}/signup`);
		assert.equal(await page.textContent("h1"), "Create an account");
		await page.fill("input[name=username]", "Ada_L");
		await page.fill("input[name=password]", PASSWORD);
		await shot(page, "signup");
		await page.click("button[type=submit]");
		await page.waitForURL(`${app.origin}/account`);
		assert.equal(await page.textContent("h1"), "Your account");
		assert.equal(await page.textContent("nav strong"), "Ada_L");
		assert.equal(await page.locator("#sessions tbody tr").count(), 1);
		await shot(page, "account-after-signup");

		// Lucia's cookie: the token, HttpOnly, SameSite=Lax, Path=/, expiring with the session's idle period;
		// the database holds the token's digest, not the token.
		const laptopCookie = await sessionCookie(laptop);
		assert.match(laptopCookie.value, /^[a-z0-9]{40}$/);
		assert.equal(laptopCookie.httpOnly, true);
		assert.equal(laptopCookie.sameSite, "Lax");
		assert.equal(laptopCookie.path, "/");
		assert.equal(laptopCookie.secure, false);
		let [row] = await sessionsOf("Ada_L");
		assert.equal(row.id, digestOf(laptopCookie.value));
		assert.equal(row.user_agent, "Laptop (browser test)");
		assertExpiry(laptopCookie, row.idle_expires);
		assert.equal(await page.evaluate(() => document.cookie), "", "HttpOnly: scripts cannot read the cookie");

		// Sign-in on the phone: a second session.
		const phonePage = await phone.newPage();
		await phonePage.goto(`${app.origin}/account`);
		await phonePage.waitForURL(`${app.origin}/login`);
		await phonePage.fill("input[name=username]", "ada_l");
		await phonePage.fill("input[name=password]", "not the password");
		await phonePage.click("button[type=submit]");
		assert.match(await phonePage.textContent("[role=alert]"), /Incorrect username or password/);
		await phonePage.fill("input[name=password]", PASSWORD);
		await shot(phonePage, "login");
		await phonePage.click("button[type=submit]");
		await phonePage.waitForURL(`${app.origin}/account`);
		assert.equal(await phonePage.locator("#sessions tbody tr").count(), 2);
		await shot(phonePage, "account-on-second-device");
		const phoneCookie = await sessionCookie(phone);
		assert.notEqual(phoneCookie.value, laptopCookie.value);

		// The laptop lists both sessions, its own marked.
		await page.goto(`${app.origin}/account`);
		assert.equal(await page.locator("#sessions tbody tr").count(), 2);
		assert.match(await page.textContent("#sessions tr.current"), /Laptop \(browser test\).*this device/s);
		assert.match(await page.textContent("#sessions tr.other"), /Phone \(browser test\)/);
		await shot(page, "account-two-sessions");

		// A form on another site posting to "sign out everywhere else": the browser sends the cookie
		// (same site), the application refuses the foreign Origin.
		const evilPage = await laptop.newPage();
		await evilPage.goto(evilOrigin);
		await shot(evilPage, "another-site");
		const [forged] = await Promise.all([evilPage.waitForNavigation(), evilPage.click("#prize")]);
		assert.equal(forged.status(), 403);
		assert.match(await evilPage.textContent("[role=alert]"), /sent from another site/);
		await shot(evilPage, "cross-site-post-refused");
		assert.equal((await sessionsOf("Ada_L")).length, 2);
		await evilPage.close();

		// Sign out everywhere else, from the laptop.
		await page.click("#sign-out-others");
		await page.waitForURL(`${app.origin}/account?signed-out=1`);
		assert.match(await page.textContent("[role=status]"), /Signed out 1 other session\./);
		assert.equal(await page.locator("#sessions tbody tr").count(), 1);
		assert.equal(await page.locator("#sign-out-others").isDisabled(), true);
		await shot(page, "signed-out-everywhere-else");
		[row] = await sessionsOf("Ada_L");
		assert.equal(row.id, digestOf(laptopCookie.value));

		// The phone is signed out: its next page is the sign-in page, and its cookie is blanked.
		await phonePage.goto(`${app.origin}/account`);
		await phonePage.waitForURL(`${app.origin}/login`);
		assert.equal(await sessionCookie(phone), undefined);
		await shot(phonePage, "second-device-signed-out");

		// Idle renewal: the session's active period ends in the database; the next page renews it and
		// sends the renewed cookie, which the browser keeps with the new expiry.
		await app.sql(
			`update auth.user_session set active_expires = (extract(epoch from now()) * 1000)::bigint - 60000,
			   idle_expires = (extract(epoch from now()) * 1000)::bigint + 60000 where id = $1`,
			[digestOf(laptopCookie.value)]
		);
		const aged = await page.goto(`${app.origin}/account`);
		const renewedHeader = await aged.headerValue("set-cookie");
		assert.match(renewedHeader, new RegExp(`^auth_session=${laptopCookie.value}; Path=/; Expires=.+; HttpOnly; SameSite=Lax$`));
		assert.match(await page.textContent("[role=status]"), /Your session was renewed/);
		assert.equal(await page.textContent("#state"), "idle");
		await shot(page, "renewed");
		[row] = await sessionsOf("Ada_L");
		assert.ok(Number(row.active_expires) > Date.now() + 23 * 60 * 60 * 1000, "active for another day");
		const renewedCookie = await sessionCookie(laptop);
		assert.equal(renewedCookie.value, laptopCookie.value);
		assertExpiry(renewedCookie, row.idle_expires);
		assert.ok(renewedCookie.expires > Date.now() / 1000 + 14 * 24 * 60 * 60);
		assert.ok(renewedHeader.includes(`Expires=${new Date(Number(row.idle_expires)).toUTCString()}`));
		// The next page finds it active: no cookie.
		const again = await page.goto(`${app.origin}/account`);
		assert.equal(await again.headerValue("set-cookie"), null);
		assert.equal(await page.textContent("#state"), "active");

		// Sign-out.
		await page.click("#logout");
		await page.waitForURL(`${app.origin}/login?signed-out`);
		assert.match(await page.textContent("[role=status]"), /You are signed out/);
		assert.equal(await sessionCookie(laptop), undefined);
		assert.deepEqual(await sessionsOf("Ada_L"), []);
		await shot(page, "signed-out");
		await page.goto(`${app.origin}/account`);
		await page.waitForURL(`${app.origin}/login`);
	});
});
