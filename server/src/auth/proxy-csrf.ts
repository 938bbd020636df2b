import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.js';
import { httpError } from '../http/errors.js';

/** Set by Jupyter's proxy entry (jupyter-config/jupyter_server_config.py.in) on every proxied request. */
export const PROXY_MARKER_HEADER = 'x-sigmatiq-proxy';
/** Sent by the JupyterLab extension on every request; a cross-site form or a preflight-less fetch cannot send it. */
export const CLIENT_HEADER = 'x-sigmatiq-client';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF guard for requests that came through Jupyter's proxy. The proxy authenticates the browser with
 * Jupyter's cookie and injects the local operator key, but leaves XSRF checks to the proxied app; so a
 * mutation arriving with the proxy's marker must also carry the extension's custom header, which a page on
 * another origin cannot add without a CORS preflight (the sidecar answers none). 403 CSRF_HEADER_REQUIRED.
 * Direct clients (kernel, programs with their own key) never carry the marker and are not affected.
 */
export function proxyCsrfGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!SAFE.has(c.req.method) && c.req.header(PROXY_MARKER_HEADER) !== undefined && (c.req.header(CLIENT_HEADER) ?? '') === '') {
      throw httpError('CSRF_HEADER_REQUIRED', `Mutations through Jupyter's proxy must send the ${CLIENT_HEADER} header (the Sigmatiq JupyterLab extension does).`, {
        header: CLIENT_HEADER,
      });
    }
    await next();
  };
}
