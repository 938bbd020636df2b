import { ILayoutRestorer, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, WidgetTracker } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { Widget } from '@lumino/widgets';
import { CommandIDs, ISidecarConnection } from '../tokens';
import { type LeaderboardState, LeaderboardPanel } from './leaderboard/widget';
import { type LineageState, LineagePanel } from './lineage/widget';
import { type PacksState, PacksPanel } from './packs/widget';
import { type TrainingState, TrainingPanel } from './training/widget';

/** Parses a panel state saved as JSON text in the restorer's command args (state DB); {} when absent or bad. */
function savedState<T>(args: ReadonlyPartialJSONObject): Partial<T> {
  const text = args['state'];
  if (typeof text !== 'string') return {};
  try {
    const v = JSON.parse(text) as Partial<T> | null;
    return typeof v === 'object' && v !== null ? v : {};
  } catch {
    return {};
  }
}

/** Inserts a code cell below the active cell of the current notebook, with `text`; false when no notebook is open. */
async function insertIntoNotebook(app: JupyterFrontEnd, text: string): Promise<boolean> {
  const open = [...app.shell.widgets('main')].some((w) => w.hasClass('jp-NotebookPanel'));
  if (!open || !app.commands.hasCommand('notebook:insert-cell-below')) return false;
  await app.commands.execute('notebook:insert-cell-below');
  await app.commands.execute('notebook:replace-selection', { text });
  return true;
}

interface PanelSpec<W extends Widget> {
  command: string;
  namespace: string;
  label: string;
  caption: string;
  create: (args: ReadonlyPartialJSONObject, save: () => void) => W;
  /** Applies command args (e.g. a sweep to show) to an existing panel. */
  navigate?: (w: W, args: ReadonlyPartialJSONObject) => void;
  state: (w: W) => unknown;
}

function register<W extends Widget>(app: JupyterFrontEnd, spec: PanelSpec<W>, palette: ICommandPalette | null, launcher: ILauncher | null, restorer: ILayoutRestorer | null, rank: number): void {
  const tracker = new WidgetTracker<W>({ namespace: spec.namespace });
  app.commands.addCommand(spec.command, {
    label: (args) => (args['isLauncher'] === true ? spec.label.replace(/^Sigmatiq: Open /, '') : spec.label),
    caption: spec.caption,
    execute: async (args) => {
      let w = tracker.currentWidget;
      if (w === null || w.isDisposed) {
        let created: W | null = null;
        created = spec.create(args, () => {
          if (created !== null && tracker.has(created)) void tracker.save(created);
        });
        w = created;
        app.shell.add(w, 'main');
        await tracker.add(w);
      } else if (spec.navigate !== undefined) {
        spec.navigate(w, args);
      }
      app.shell.activateById(w.id);
      return w;
    },
  });
  palette?.addItem({ command: spec.command, category: 'Sigmatiq' });
  launcher?.add({ command: spec.command, category: 'Sigmatiq', rank, args: { isLauncher: true } });
  if (restorer !== null) {
    void restorer.restore(tracker, { command: spec.command, args: (w) => ({ state: JSON.stringify(spec.state(w)) }), name: () => spec.namespace });
  }
}

export const panelsPlugin: JupyterFrontEndPlugin<void> = {
  id: '@sigmatiq/extension:panels',
  description: 'Leaderboard, Packs, Lineage and Training panels (command palette, launcher, restored across reloads).',
  autoStart: true,
  requires: [ISidecarConnection],
  optional: [ICommandPalette, ILauncher, ILayoutRestorer],
  activate: (app: JupyterFrontEnd, sidecar: ISidecarConnection, palette: ICommandPalette | null, launcher: ILauncher | null, restorer: ILayoutRestorer | null): void => {
    register<LeaderboardPanel>(app, {
      command: CommandIDs.openLeaderboard, namespace: 'sigmatiq-leaderboard', label: 'Sigmatiq: Open Leaderboard',
      caption: 'Sweep leaderboard: live table with gates, DSR/PBO, charts per combination, heatmap, CSV, cancel',
      create: (args, save) => {
        const initial = savedState<LeaderboardState>(args);
        if (typeof args['sweep_id'] === 'string') initial.sweepId = args['sweep_id'];
        if (typeof args['combo_id'] === 'number') initial.comboId = args['combo_id'];
        return new LeaderboardPanel(sidecar, initial, save, (type, id) => void app.commands.execute(CommandIDs.openLineage, { type, id }), (text) => insertIntoNotebook(app, text));
      },
      navigate: (w, args) => {
        if (typeof args['sweep_id'] === 'string') void w.pick(args['sweep_id'], typeof args['combo_id'] === 'number' ? args['combo_id'] : null);
      },
      state: (w) => w.currentState,
    }, palette, launcher, restorer, 1);
    register<PacksPanel>(app, {
      command: CommandIDs.openPacks, namespace: 'sigmatiq-packs', label: 'Sigmatiq: Open Packs',
      caption: 'Packs in the sidecar registry: vibe, indicators, strategies, gates, validation; insert %model create',
      create: (args, save) => new PacksPanel(sidecar, savedState<PacksState>(args), (text) => insertIntoNotebook(app, text), save),
      state: (w) => w.currentState,
    }, palette, launcher, restorer, 2);
    register<LineagePanel>(app, {
      command: CommandIDs.openLineage, namespace: 'sigmatiq-lineage', label: 'Sigmatiq: Open Lineage',
      caption: 'Lineage graph of a model, model version, sweep, combination, data snapshot or run, with hashes',
      create: (args, save) => {
        const initial = savedState<LineageState>(args);
        if (typeof args['type'] === 'string' && typeof args['id'] === 'string') initial.root = { type: args['type'], id: args['id'] };
        return new LineagePanel(sidecar, initial, save);
      },
      navigate: (w, args) => {
        if (typeof args['type'] === 'string' && typeof args['id'] === 'string') void w.centre({ type: args['type'], id: args['id'] });
      },
      state: (w) => w.currentState,
    }, palette, launcher, restorer, 3);
    register<TrainingPanel>(app, {
      command: CommandIDs.openTraining, namespace: 'sigmatiq-training', label: 'Sigmatiq: Open Training',
      caption: 'Training jobs: status, per-step progress, train/validation metrics, feature importance',
      create: (args, save) => {
        const initial = savedState<TrainingState>(args);
        if (typeof args['job_id'] === 'string') initial.jobId = args['job_id'];
        return new TrainingPanel(sidecar, initial, save);
      },
      navigate: (w, args) => {
        if (typeof args['job_id'] === 'string') void w.pick(args['job_id']);
      },
      state: (w) => w.currentState,
    }, palette, launcher, restorer, 4);
  },
};
