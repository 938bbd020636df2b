// Public API of the training context (docs/training.md).
export { TRAIN_ERROR_CODES, type TrainErrorCode } from './errors.js';
export { type FeatureMatrix } from './matrix.js';
export { fitScaler, applyScaler, type Scaler } from './scaler.js';
export { fitLogReg, predictLogReg, type LogRegModel, type LogRegParams } from './logreg.js';
export { fitGbdt, predictGbdt, gbdtRawScores, GBDT_DEFAULTS, type GbdtModel, type GbdtParams, type Validation } from './gbdt.js';
export type { Tree } from './tree.js';
export { fitSigmoid, fitIsotonic, applyCalibration, type Calibration, type CalibrationKind } from './calibrate.js';
export { aucRoc, classificationMetrics, logLoss, type ClassificationMetrics, type TrainingMetrics } from './metrics.js';
export { forwardReturnLabels, tripleBarrierLabels, makeLabels, type LabelSpec, type Labels } from './labels.js';
export { purgedFolds, DAY_MS, type CvOptions, type Fold } from './cv.js';
export { buildDataset, comboOverrides, computeFeatures, featureSpecs, type Dataset, type DatasetRequest, type FeatureSpec, type ModelLike, type TrainWarning } from './dataset.js';
export { checkSelection, nearDuplicate, MAX_RECOMMENDED_COMBOS, type ComboSelection } from './selection.js';
export { checkLeakage, LEAKAGE_PREFIXES } from './leakage.js';
export { permutationImportance, normalizeGain, type FeatureImportance, type FeatureImportanceItem } from './importance.js';
export { ARTIFACT_FORMAT, serializeArtifact, loadArtifact, scoreBars, probabilities, rawScores, type TrainedModelDoc, type ArtifactModel, type ArtifactMetadata, type StoredArtifact } from './artifact.js';
export { runTrainingJob, trainingHyperparameters, modelContentHash, TRAINING_STEPS, type BacktestParams, type TrainingRequest, type TrainingOutcome, type TrainingJob, type JobStatus, type StepProgress, type TrainingStep, type TrainedModelRecord, type OosBacktest, type ExtraFeature } from './job.js';
export { runTrainingJobAsync, trainingWorkerFile, type AsyncTrainingOptions } from './run-async.js';
