import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Fires when the client goes away before its answer is written (the request closes first), so the
 * vendor calls made on its behalf stop instead of running on for nobody.
 */
export function clientSignal(req: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  req.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
