// Public API of @sigmatiq/kernel, for notebooks: `import { sq } from '@sigmatiq/kernel'`.
export { sq, type DisplayHandle, type PlotlyFigure } from './api.js';
export { toMimeBundle, MIME, type DisplayOutput, type Displayable, type MimeBundle } from './display/mime.js';
export { DataImport, SnapshotList, SnapshotView, type ImportDataOptions, type SidecarSnapshot } from './notebook/data.js';
export { setDefaultLocator } from './notebook/context.js';
export { SidecarLocator } from './sidecar/locate.js';
export { PackList, PackView, PackValidation, type PackRegistration, type ValidatePackOptions } from './notebook/packs.js';
