// Lucia v2's middleware for the frameworks that need nothing but Node: each turns a framework's
// request into Lucia's request context. Lucia's other middleware (sveltekit, astro, nextjs, …) follow
// the same contract and can be passed to lucia() as they are.

import type { Cookie } from "./cookie.js";
import type { Middleware, RequestContext } from "./request.js";
import { createHeadersFromObject } from "./request.js";

type NodeIncomingMessage = { method?: string; headers: Record<string, string | string[] | undefined> };
type NodeOutgoingMessage = {
	getHeader(name: string): number | string | string[] | undefined;
	setHeader(name: string, value: string | string[]): unknown;
};

/** The default: handleRequest(requestContext) takes Lucia's request context itself. */
export const lucia = (): Middleware<[RequestContext]> => ({ args }) => args[0];

/** node:http — handleRequest(incomingMessage, serverResponse). */
export const node = (): Middleware<[NodeIncomingMessage, NodeOutgoingMessage]> => ({ args }) => {
	const [incomingMessage, outgoingMessage] = args;
	return {
		request: {
			method: incomingMessage.method ?? "",
			headers: createHeadersFromObject(incomingMessage.headers)
		},
		setCookie: (cookie: Cookie) => {
			const current = outgoingMessage.getHeader("Set-Cookie");
			const existing = typeof current === "string" ? [current] : Array.isArray(current) ? current : [];
			outgoingMessage.setHeader("Set-Cookie", [cookie.serialize(), ...existing]);
		}
	};
};

type ExpressRequest = NodeIncomingMessage & { method: string };
type ExpressResponse = { cookie(name: string, value: string, options: Record<string, unknown>): unknown };

/** Express — handleRequest(req, res). */
export const express = (): Middleware<[ExpressRequest, ExpressResponse]> => ({ args }) => {
	const [req, res] = args;
	return {
		request: { method: req.method, headers: createHeadersFromObject(req.headers) },
		setCookie: (cookie: Cookie) => {
			const maxAge = cookie.attributes.maxAge;
			res.cookie(cookie.name, cookie.value, {
				...cookie.attributes,
				maxAge: maxAge ? maxAge * 1000 : maxAge
			});
		}
	};
};

type FastifyReply = { header(name: string, value: string[]): unknown };

/** Fastify — handleRequest(request, reply). */
export const fastify = (): Middleware<[ExpressRequest, FastifyReply]> => ({ args }) => {
	const [req, reply] = args;
	return {
		request: { method: req.method, headers: createHeadersFromObject(req.headers) },
		setCookie: (cookie: Cookie) => {
			reply.header("Set-Cookie", [cookie.serialize()]);
		}
	};
};

/** A web Request (fetch API); cookies cannot be set through it. */
export const web = (): Middleware<[Request]> => ({ args }) => ({
	request: args[0],
	setCookie: () => {
		throw new Error("Cookies cannot be set when using the `web()` middleware");
	}
});
