// The pages, as HTML strings. Every value is escaped; no page runs a script.

const escapeHtml = (value) =>
	String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** A template tag that escapes every interpolated value, except the results of html`` itself. */
class Html {
	constructor(text) {
		this.text = text;
	}
	toString() {
		return this.text;
	}
}
export const html = (strings, ...values) =>
	new Html(
		strings.reduce((out, string, i) => {
			const value = values[i - 1];
			const text = Array.isArray(value)
				? value.map((item) => (item instanceof Html ? item.text : escapeHtml(item))).join("")
				: value instanceof Html
					? value.text
					: escapeHtml(value);
			return out + text + string;
		})
	);

const dateTime = (value) => {
	const date = value instanceof Date ? value : new Date(value);
	return Number.isNaN(date.getTime()) ? "" : date.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
};

const layout = (title, body, { user } = {}) =>
	html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · lucia_auth example</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header>
<a class="brand" href="/">lucia_auth example</a>
<nav>${
		user
			? html`<span class="who">Signed in as <strong>${user.username}</strong></span>
<form method="post" action="/logout"><button type="submit" id="logout">Sign out</button></form>`
			: html`<a href="/login">Sign in</a> <a href="/signup">Create account</a>`
	}</nav>
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`.text;

const message = (text, kind = "error") => (text ? html`<p class="${kind}" role="${kind === "error" ? "alert" : "status"}">${text}</p>` : "");

const credentialsForm = (action, submit, { username = "", autocomplete }) => html`<form method="post" action="${action}" class="card">
<label>Username <input name="username" value="${username}" required minlength="3" maxlength="31" pattern="[A-Za-z0-9_]+" autocomplete="username"></label>
<label>Password <input name="password" type="password" required minlength="8" maxlength="255" autocomplete="${autocomplete}"></label>
<button type="submit">${submit}</button>
</form>`;

export const signUpPage = ({ error, username } = {}) =>
	layout(
		"Create an account",
		html`${message(error)}
${credentialsForm("/signup", "Create account", { username, autocomplete: "new-password" })}
<p>Already have an account? <a href="/login">Sign in</a>.</p>`
	);

export const loginPage = ({ error, notice, username } = {}) =>
	layout(
		"Sign in",
		html`${message(error)}${message(notice, "notice")}
${credentialsForm("/login", "Sign in", { username, autocomplete: "current-password" })}
<p>New here? <a href="/signup">Create an account</a>.</p>`
	);

/**
 * @param {{ user: { username: string }, session: any, sessions: { current: boolean, session: any }[],
 *   notes: { body: string, createdAt: Date }[], signedOut?: number | null }} options
 */
export const accountPage = ({ user, session, sessions, notes, signedOut = null }) =>
	layout(
		"Your account",
		html`${session.fresh ? message("Your session was renewed: it is active for another day.", "notice") : ""}${
			signedOut === null
				? ""
				: message(`Signed out ${signedOut} other session${signedOut === 1 ? "" : "s"}.`, "notice")
		}
<section class="card">
<h2>Sessions</h2>
<p>This session is <strong id="state">${session.state}</strong>; active until <span id="active-until">${dateTime(
			session.activePeriodExpiresAt
		)}</span>, renewable until ${dateTime(session.idlePeriodExpiresAt)}.</p>
<table id="sessions">
<thead><tr><th>Device</th><th>Signed in</th><th>Active until</th><th></th></tr></thead>
<tbody>
${sessions.map(
	({ current, session: s }) => html`<tr class="${current ? "current" : "other"}">
<td>${(s.userAgent ?? "unknown").slice(0, 80)}</td><td>${dateTime(s.signedInAt)}</td><td>${dateTime(
		s.activePeriodExpiresAt
	)}</td><td>${current ? "this device" : ""}</td></tr>
`
)}</tbody>
</table>
<form method="post" action="/account/sign-out-others"><button type="submit" id="sign-out-others"${
			sessions.length > 1 ? "" : " disabled"
		}>Sign out everywhere else</button></form>
</section>
<section class="card">
<h2>Notes</h2>
<form method="post" action="/notes" class="inline"><input name="body" required maxlength="2000" aria-label="New note"><button type="submit">Add note</button></form>
<ul id="notes">
${notes.map((note) => html`<li>${note.body} <small>${dateTime(note.createdAt)}</small></li>
`)}</ul>
</section>`,
		{ user }
	);

const ERROR_TITLES = { 403: "Request refused", 404: "Not found" };

export const errorPage = (status, text) => layout(ERROR_TITLES[status] ?? "Something went wrong", message(text));

export const STYLE = `
:root { font-family: system-ui, sans-serif; color: #1d2330; background: #f4f5f8; }
body { margin: 0; }
header { display: flex; justify-content: space-between; align-items: center; padding: .75rem 1.5rem; background: #1d2330; color: #fff; }
header a, header button { color: #fff; }
.brand { font-weight: 700; text-decoration: none; }
nav { display: flex; gap: 1rem; align-items: center; }
nav form { margin: 0; }
nav button { background: none; border: 1px solid #fff6; border-radius: 4px; padding: .25rem .75rem; cursor: pointer; }
main { max-width: 52rem; margin: 2rem auto; padding: 0 1.5rem; }
.card { background: #fff; border-radius: 8px; padding: 1.25rem 1.5rem; box-shadow: 0 1px 3px #0002; margin-bottom: 1.5rem; }
form.card { display: grid; gap: .9rem; max-width: 22rem; }
label { display: grid; gap: .3rem; font-weight: 600; }
input { font: inherit; padding: .45rem .6rem; border: 1px solid #b9bfcc; border-radius: 4px; }
button { font: inherit; padding: .45rem 1rem; border-radius: 4px; border: 0; background: #3451b2; color: #fff; cursor: pointer; }
button[disabled] { background: #9aa3b8; cursor: default; }
table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #e3e6ee; font-size: .92rem; }
tr.current td { background: #eef2ff; font-weight: 600; }
.error { background: #fde8e8; color: #8a1c1c; padding: .6rem .9rem; border-radius: 4px; }
.notice { background: #e6f4ea; color: #1d5b2f; padding: .6rem .9rem; border-radius: 4px; }
form.inline { display: flex; gap: .5rem; }
form.inline input { flex: 1; }
small { color: #6b7385; }
`;
