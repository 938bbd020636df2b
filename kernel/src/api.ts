import { parseSweepPlanYaml, sweepPlan, type LeaderboardDocV1 } from '@sigmatiq/engine';
import { liveProgress } from './magics/sweep.js';
import { backtestModel, type BacktestOptions, type BacktestReport } from './notebook/backtest.js';
import { createModel, type CreateModelOptions, defineModel, modelVersions, type ModelVersionList, type ModelView, showModel } from './notebook/models.js';
import type { ProgressState, SweepRunView, SweepStatusView } from './notebook/sweep-view.js';
import { cancelSweep, runModelSweep, type SweepRunOptions, sweepStatus } from './notebook/sweeps.js';
import { leaderboard } from './display/leaderboard.js';
import { bundle, type DisplayOutput, displayOf, type MimeBundle, table } from './display/mime.js';
import { plot, type PlotlyFigure } from './display/plotly.js';
import { currentSink } from './display/sink.js';
import { cellSignal } from './notebook/cell-signal.js';
import { defaultLocator } from './notebook/context.js';
import { listPackFiles, type PackList, type PackValidation, type PackView, showPack, type ValidatePackOptions, validatePackFile } from './notebook/packs.js';
import { type LeaderboardOptions, loadLeaderboard, type SweepLeaderboard } from './notebook/leaderboard.js';
import { type LineageGraph, type LineageOptions, loadLineage } from './notebook/lineage.js';
import { liveTrainProgress } from './magics/train.js';
import { parseLabel } from './notebook/training-args.js';
import { showTraining, trainSweep, type TrainOptions } from './notebook/training.js';
import type { TrainingReport, TrainProgress, TrainRunView } from './notebook/training-view.js';
import { validateTarget, type ValidateOptions, walkForwardTarget, type WalkForwardOptions } from './notebook/validation.js';
import type { ValidationView, WalkForwardView } from './notebook/validation-view.js';
import { type DataImport, type ImportDataOptions, importData, listData, showData, type SnapshotList, type SnapshotView } from './notebook/data.js';

let displayCounter = 0;

/**
 * `sq.leaderboard(doc)` wraps a leaderboard document for display (synchronous, as before);
 * `sq.leaderboard(sweep?, opts?)` loads a sweep's leaderboard from the sidecar (`%leaderboard`).
 */
function leaderboardApi(doc: LeaderboardDocV1): DisplayOutput;
function leaderboardApi(sweep?: string, opts?: LeaderboardOptions): Promise<SweepLeaderboard>;
function leaderboardApi(arg?: LeaderboardDocV1 | string, opts: LeaderboardOptions = {}): DisplayOutput | Promise<SweepLeaderboard> {
  if (typeof arg === 'object') return leaderboard(arg);
  return loadLeaderboard(defaultLocator(), arg, opts);
}

/** A display that can be updated in place (progress bars, live tables). */
export interface DisplayHandle {
  readonly id: string;
  update(value: unknown): void;
}

function requireSink(): NonNullable<ReturnType<typeof currentSink>> {
  const sink = currentSink();
  if (sink === undefined) throw new Error('no kernel output channel: sq.display() works inside the Sigmatiq kernel only');
  return sink;
}

/**
 * The notebook API: `import { sq } from '@sigmatiq/kernel'`. Every magic has a typed
 * equivalent here, so code cells can do what magics do and keep the returned objects.
 */
export const sq = {
  /** Shows any value now (rich when it has a MIME bundle); returns a handle to update it in place. */
  display(value: unknown): DisplayHandle {
    const id = `sq-${process.pid}-${++displayCounter}`;
    requireSink().display(displayOf(value), { displayId: id });
    return { id, update: (next: unknown) => requireSink().display(displayOf(next), { displayId: id, update: true }) };
  },
  /** Clears the cell's output (wait: clear when the next output arrives). */
  clearOutput(wait = false): void {
    requireSink().clear(wait);
  },
  /** A Plotly figure for display (application/vnd.plotly.v1+json). */
  plot(figure: PlotlyFigure): DisplayOutput {
    return plot(figure);
  },
  /**
   * With a document: the document for display (application/vnd.sigmatiq.leaderboard.v1+json), validated.
   * With a sweep id, tag or `latest` (or nothing): that sweep's leaderboard from the sidecar (`%leaderboard`),
   * with `winner`, `ranked`, `stats` (trials, DSR, PBO) and `heatmapOutput()`.
   */
  leaderboard: leaderboardApi,
  /** The upstream/downstream lineage graph of an entity, with hashes, drawn as SVG (`%lineage`). */
  lineage(type: string, id: string, opts: LineageOptions = {}): Promise<LineageGraph> {
    return loadLineage(defaultLocator(), type, id, opts);
  },
  /** An HTML table of records with a text twin. */
  table(rows: readonly Record<string, unknown>[], columns?: readonly string[]): DisplayOutput {
    return table(rows, columns);
  },
  /** Raw HTML with a text/plain fallback. */
  html(html: string, text = '[HTML]'): DisplayOutput {
    return bundle({ 'text/plain': text, 'text/html': html });
  },
  /** Any MIME bundle (text/plain required). */
  mime(data: MimeBundle): DisplayOutput {
    return bundle(data);
  },
  /** Market data snapshots: the same functions `%data` calls. */
  data: {
    /** Freezes `file` as a snapshot in `<data dir>/snapshots` and registers it in the sidecar (`%data import`). */
    import(file: string, opts: ImportDataOptions = {}): Promise<DataImport> {
      return importData(defaultLocator(), file, opts);
    },
    /** The sidecar's data snapshots (`%data list`). */
    list(): Promise<SnapshotList> {
      return listData(defaultLocator());
    },
    /** A snapshot by hash prefix or sidecar id, with its candles for display (`%data show`). */
    show(snapshot: string): Promise<SnapshotView> {
      return showData(defaultLocator(), snapshot);
    },
  },
  /** Strategy packs: the same functions `%pack` calls. */
  pack: {
    /** The pack files of the packs folder (`%pack list`). */
    list(dir?: string): PackList {
      return listPackFiles(dir);
    },
    /** One pack by id or path: vibe, indicators, strategies, gates (`%pack show`). */
    show(idOrPath: string, dir?: string): PackView {
      return showPack(idOrPath, dir);
    },
    /** The PackValidationReport, registered with the pack in the sidecar (`%pack validate`). */
    validate(fileOrId: string, opts: ValidatePackOptions = {}): Promise<PackValidation> {
      return validatePackFile(defaultLocator(), fileOrId, opts);
    },
  },
  /** Models: the same functions `%model` / `%%model` call. */
  model: {
    /** A model of a pack strategy with overrides, stored with a new version when its config changed (`%model create`). */
    create(name: string, opts: CreateModelOptions): Promise<ModelView> {
      return createModel(defaultLocator(), name, opts);
    },
    /** A model from its YAML config (`%%model <name>`). */
    define(name: string, yaml: string): Promise<ModelView> {
      return defineModel(defaultLocator(), name, yaml);
    },
    /** The latest (or given) version, resolved against its pack (`%model show`). */
    show(name: string, opts: { version?: number } = {}): Promise<ModelView> {
      return showModel(defaultLocator(), name, opts);
    },
    /** Every version of a model (`%model versions`). */
    versions(name: string): Promise<ModelVersionList> {
      return modelVersions(defaultLocator(), name);
    },
  },
  /** Backtests a model's latest version and registers the run with its lineage (`%backtest`). */
  backtest(model: string, opts: BacktestOptions = {}): Promise<BacktestReport> {
    return backtestModel(defaultLocator(), model, opts);
  },
  /** Sweeps: the same functions `%sweep` / `%%sweep` call. */
  sweep: {
    /**
     * Runs a sweep of `model` (`%sweep run` / `%%sweep`): `plan` is a plan object (`{ type, space, sampler, trials, ... }`,
     * docs/magics.md) or the YAML of a `%%sweep` body. Inside the kernel a progress line updates in place unless
     * `opts.display` is false; `opts.signal` (default: the cell's, aborted by a kernel interrupt) cancels (partial results kept).
     */
    run(model: string, plan: SweepPlanInput | string, opts: SweepRunOptions & { display?: boolean } = {}): Promise<SweepRunView> {
      const parsed = typeof plan === 'string' ? parseSweepPlanYaml(plan, `sq.sweep.run(${model})`) : sweepPlan(plan);
      const { display, ...rest } = opts;
      const sink = display === false ? undefined : currentSink();
      const live = sink === undefined ? undefined : liveProgress(sink);
      const onProgress = live === undefined ? rest.onProgress : (s: ProgressState): void => {
        live(s);
        rest.onProgress?.(s);
      };
      const signal = rest.signal ?? cellSignal();
      return runModelSweep(defaultLocator(), model, parsed, { ...rest, ...(onProgress === undefined ? {} : { onProgress }), ...(signal === undefined ? {} : { signal }) });
    },
    /** State, progress and stored combinations of a sweep (`%sweep status`). */
    status(id: string): Promise<SweepStatusView> {
      return sweepStatus(defaultLocator(), id);
    },
    /** Cancels a sweep running in this kernel (AbortSignal) or elsewhere (sidecar) (`%sweep cancel`). */
    cancel(id: string): Promise<{ sweepId: string; where: 'kernel' | 'sidecar'; status: string }> {
      return cancelSweep(defaultLocator(), id);
    },
  },
  /**
   * Trains a classifier on PASS/MARGINAL combinations of a sweep (id, tag or `latest`) and persists the jobs,
   * metrics, importance, artifacts and trained models (`%train`). `label` takes a LabelSpec or its text
   * (`fwd:5:0.5%`, `tb:3%:3%:10`). Inside the kernel a per-step progress display updates in place unless
   * `display` is false; the cell's signal (kernel interrupt) cancels.
   */
  train(sweep: string, opts: Omit<TrainOptions, 'label'> & { label?: TrainOptions['label'] | string; display?: boolean }): Promise<TrainRunView> {
    const { display, label, ...rest } = opts;
    const sink = display === false ? undefined : currentSink();
    const live = sink === undefined ? undefined : liveTrainProgress(sink);
    const onProgress = live === undefined ? rest.onProgress : (p: TrainProgress): void => {
      live(p);
      rest.onProgress?.(p);
    };
    const signal = rest.signal ?? cellSignal();
    // close(): shows a step update still held back by the display's throttle, and stops its timer.
    return trainSweep(defaultLocator(), sweep, {
      ...rest, ...(label === undefined ? {} : { label: typeof label === 'string' ? parseLabel(label) : label }),
      ...(onProgress === undefined ? {} : { onProgress }), ...(signal === undefined ? {} : { signal }),
    }).finally(() => live?.close());
  },
  /** Training jobs stored in the sidecar (`%training`). */
  training: {
    /** A job's metrics tables, ROC curve, feature importance and calibration plot (`%training show`); `parts()` gives each display. */
    show(job: string): Promise<TrainingReport> {
      return showTraining(defaultLocator(), job);
    },
  },
  /** Permutation test and bootstrap CIs of a trained model's or a combination's (`sweep:combo`) backtest, stored as a Validation (`%validate`). */
  validate(target: string, opts: ValidateOptions = {}): Promise<ValidationView> {
    const signal = opts.signal ?? cellSignal(); // a kernel interrupt stops the computation (VALIDATE_CANCELLED)
    return validateTarget(defaultLocator(), target, { ...opts, ...(signal === undefined ? {} : { signal }) });
  },
  /** Walk-forward of a trained model's or a combination's sweep space, stored as a Validation (`%walkforward`). */
  walkforward(target: string, opts: WalkForwardOptions): Promise<WalkForwardView> {
    const signal = opts.signal ?? cellSignal();
    return walkForwardTarget(defaultLocator(), target, { ...opts, ...(signal === undefined ? {} : { signal }) });
  },
};

/** A sweep plan as `sq.sweep.run` takes it: the fields of a `%%sweep` YAML body. */
export interface SweepPlanInput {
  space: Record<string, string | number | readonly (number | string | boolean)[] | Record<string, unknown>>;
  type?: 'simple' | 'custom';
  sampler?: 'grid' | 'random' | 'lhs' | 'tpe';
  trials?: number;
  seed?: number;
  conditions?: readonly string[];
  gates?: Record<string, unknown>;
  pruning?: { pareto?: boolean; kendall?: boolean | Record<string, number> };
  pbo_blocks?: number;
  data?: string;
  from?: string;
  to?: string;
  tag?: string;
}

export type { PlotlyFigure } from './display/plotly.js';
