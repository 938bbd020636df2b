import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/**
 * hono's bodyLimit, without its cost on the common case. hono's first asks `c.req.raw.body`, which on
 * @hono/node-server materializes the full fetch Request (an AbortController, a web ReadableStream over the
 * socket) for every request, about a tenth of a small POST's CPU; the body is then read through that stream.
 * Here a request with a Content-Length (which Node's HTTP parser enforces) is judged on the header alone and
 * its body is read later on node-server's direct path; chunked bodies (Transfer-Encoding) and bodies of
 * unknown length still go through hono's counting middleware.
 */
export function contentLengthLimit(maxSize: number, onError: (c: Context) => never): MiddlewareHandler {
  const counting = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    if (c.req.header('transfer-encoding') === undefined) {
      const length = c.req.header('content-length');
      if (length !== undefined && /^\d+$/.test(length)) {
        if (Number(length) > maxSize) onError(c);
        await next();
        return;
      }
      if (length === undefined && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
        await next();
        return;
      }
    }
    await counting(c, next);
  };
}
