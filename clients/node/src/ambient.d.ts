// The application declares namespace Lucia (its Auth type and the attribute columns), as for lucia
// itself; these stand in for it while the package compiles. Not part of the package's types.
declare namespace Lucia {
	type Auth = import("./auth.js").Auth;
	type DatabaseUserAttributes = {};
	type DatabaseSessionAttributes = {};
}
