import type { IncomingMessage, Server, ServerResponse } from "node:http";

export const CLIENT_ADDRESS_HEADER: "x-studio-client-ip";
export const CLIENT_SIGNATURE_HEADER: "x-studio-client-signature";
export const SIGNING_KEY: unique symbol;
export const REQUEST_TIMEOUT_MS: number;
export function signClientAddress(key: Buffer, address: string): string;
export function signingKey(): Buffer;
export function createFrontServer(handle: (request: IncomingMessage, response: ServerResponse) => Promise<unknown> | unknown, options?: { timeoutMs?: number }): Server;
