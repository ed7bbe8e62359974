// What an application declares for Lucia v2, unchanged: its Auth type and its attribute columns.
/// <reference types="node" />
declare namespace Lucia {
	type Auth = import("./app.js").Auth;
	type DatabaseUserAttributes = { username: string };
	type DatabaseSessionAttributes = { country: string | null };
}
