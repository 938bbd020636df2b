import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.js';
import type { AppEnv } from '../http/env.js';
import { adminRoutes } from './admin.js';
import { comboBacktestRoutes } from './combo-backtest.js';
import { lineageRoutes } from './lineage.js';
import { modelRoutes } from './models.js';
import { packRoutes } from './packs.js';
import { registryRoutes } from './registry.js';
import { runRoutes } from './runs.js';
import { snapshotRoutes } from './snapshots.js';
import { sweepResultRoutes } from './sweep-results.js';
import { sweepRoutes } from './sweeps.js';
import { sweepStatisticsRoutes } from './sweep-statistics.js';
import { trainedModelRoutes } from './trained-models.js';
import { trainingRoutes } from './training.js';
import { validationRoutes } from './validations.js';

/** Every authenticated resource, mounted under /v1 (auth, rate limit and body limit applied by the app). */
export function v1Routes(deps: AppDeps) {
  return new OpenAPIHono<AppEnv>()
    .route('/', adminRoutes(deps))
    .route('/', packRoutes(deps))
    .route('/', modelRoutes(deps))
    .route('/', snapshotRoutes(deps))
    .route('/', sweepRoutes(deps))
    .route('/', sweepResultRoutes(deps))
    .route('/', sweepStatisticsRoutes(deps))
    .route('/', comboBacktestRoutes(deps))
    .route('/', runRoutes(deps))
    .route('/', registryRoutes(deps))
    .route('/', lineageRoutes(deps))
    .route('/', trainingRoutes(deps))
    .route('/', trainedModelRoutes(deps))
    .route('/', validationRoutes(deps));
}
