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
 * The client went away (or the page's time ran out) before the answer was ready: upstream work was
 * cancelled. 499 is the de-facto status for "client closed request"; nobody is left to read it.
 */
export class RequestAbortedError extends ParleyError {
  constructor(message = 'the client closed the request') {
    super(499, message);
  }
}

/** The request conflicts with the resource's state (e.g. asking the store for a range it has not synced). */
export class ConflictError extends ParleyError {
  constructor(message: string) {
    super(409, message);
  }
}
