/**
 * The bounds of what one request may make Parley do at the edge (README "Behaviour worth knowing"
 * lists them for clients). Bounds on vendor work live with the services.
 */

/** Request bodies, unless a route says otherwise. Account bodies are bounded tighter by their schema. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** POST …/interactions/compute carries whole transcripts: about 200,000 utterances. */
export const COMPUTE_BODY_LIMIT_BYTES = 50 * 1024 * 1024;

/** Any id in a path or a filter: vendor ids are at most a few dozen characters. */
export const MAX_ID_LENGTH = 200;
/**
 * Fastify's router refuses longer path parameters before any route runs; between MAX_ID_LENGTH and
 * this, the route's own schema answers. Both say the same thing (see errors.ts).
 */
export const ROUTER_MAX_PARAM_LENGTH = 1000;
/** Elements of one list-of-ids filter (`users[][id]=…`). */
export const MAX_FILTER_IDS = 100;

/** The headers alone, at most (Node's default is 60 s: long enough to hold thousands of idle sockets). */
export const HEADERS_TIMEOUT_MS = 10_000;
