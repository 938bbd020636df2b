// Public API of @sigmatiq/kernel, for notebooks: `import { sq } from '@sigmatiq/kernel'`.
export { sq, type DisplayHandle, type PlotlyFigure } from './api.js';
export { toMimeBundle, MIME, type DisplayOutput, type Displayable, type MimeBundle } from './display/mime.js';
export { DataImport, SnapshotList, SnapshotView, type ImportDataOptions, type SidecarSnapshot } from './notebook/data.js';
export { setDefaultLocator } from './notebook/context.js';
export { SidecarLocator } from './sidecar/locate.js';
export { PackList, PackView, PackValidation, type PackRegistration, type ValidatePackOptions } from './notebook/packs.js';
export { ModelView, ModelVersionList, type CreateModelOptions, type LoadedModel } from './notebook/models.js';
export { BacktestReport, type BacktestOptions } from './notebook/backtest.js';
export { SweepRunView, SweepStatusView, type ProgressState } from './notebook/sweep-view.js';
export { type SweepRunOptions } from './notebook/sweeps.js';
export { type SweepPlanInput } from './api.js';
