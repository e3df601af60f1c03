/**
 * The one error hierarchy. Services and connectors throw these; the API edge turns them into the
 * CONTRACT.md error body once (src/api/errors.ts). Nothing else decides HTTP statuses.
 */
export class ParleyError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends ParleyError {
  constructor(message: string) {
    super(400, message);
  }
}

export class UnauthorizedError extends ParleyError {
  constructor(message = 'Missing or unknown API token. Send "Authorization: Bearer <api token>".') {
    super(401, message);
  }
}

export class NotFoundError extends ParleyError {
  constructor(message: string) {
    super(404, message);
  }
}

/** The vendor answered with an error, or could not be reached within the request's patience. */
export class RemoteError extends ParleyError {
  readonly isRemoteError = true;
  constructor(
    statusCode: number,
    message: string,
    /** the vendor's body, parsed when it was JSON, else the text; absent when there was no answer */
    readonly rawResponse: unknown,
    /** seconds, when the vendor (or our budget) says when to try again */
    readonly retryAfterSeconds?: number,
  ) {
    super(statusCode, message);
  }
}

/**
 * The client went away (closed the connection) while Parley was waiting on a vendor: the work
 * stops at once. 499 is nginx's "client closed request"; nobody is left to read the answer, but
 * logs and metrics see why the request ended.
 */
export class RequestAbortedError extends ParleyError {
  constructor() {
    super(499, 'the client closed the request');
  }
}
