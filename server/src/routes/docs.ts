import { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The interactive API docs page, served entirely from local files (swagger-ui-dist's assets; nothing from a
 * CDN). Every URL in the page is relative (`./openapi.json`, `./docs/assets/...`) so it works both standalone
 * and behind jupyter-server-proxy, which strips the `/sigmatiq` prefix.
 */
const ASSET_TYPES: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: './openapi.json',
    dom_id: '#swagger-ui',
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    validatorUrl: null,
    persistAuthorization: true,
    deepLinking: true
  });
});
`;

export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sigmatiq sidecar API</title>
<link rel="icon" type="image/png" href="./docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="./docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="./docs/assets/swagger-ui-bundle.js"></script>
<script src="./docs/assets/init.js"></script>
</body>
</html>
`;

let assetDir: string | undefined;
const cache = new Map<string, Buffer>();

function readAsset(name: string): Buffer {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  assetDir ??= path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const bytes = readFileSync(path.join(assetDir, name));
  cache.set(name, bytes);
  return bytes;
}

/** Paths served here (not part of the OpenAPI document: they are the document and its viewer). */
export const DOCS_PATHS = ['/openapi.json', '/docs', '/docs/assets/:name'] as const;

export function docsRoutes() {
  return new Hono()
    .get('/docs', (c) => c.html(DOCS_HTML))
    .get('/docs/assets/:name', (c) => {
      const name = c.req.param('name');
      if (name === 'init.js') {
        return c.body(INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
      }
      const type = ASSET_TYPES[name];
      if (type === undefined) return c.json({ code: 'NOT_FOUND', message: `No docs asset ${name}.` }, 404);
      return c.body(new Uint8Array(readAsset(name)), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
    });
}
