import { type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IStatusBar } from '@jupyterlab/statusbar';
import { panelsPlugin } from './panels/plugin';
import { SidecarConnection } from './sidecar/connection';
import { SidecarStatus } from './status/statusItem';
import { CommandIDs, ISidecarConnection } from './tokens';

/** How often the status bar re-checks the sidecar's health. */
const HEALTH_INTERVAL_MS = 10_000;

const sidecarPlugin: JupyterFrontEndPlugin<ISidecarConnection> = {
  id: '@sigmatiq/extension:sidecar',
  description: 'Connection to the Sigmatiq sidecar behind Jupyter, with periodic health checks.',
  autoStart: true,
  provides: ISidecarConnection,
  activate: (): ISidecarConnection => {
    const sidecar = new SidecarConnection();
    void sidecar.checkHealth();
    window.setInterval(() => void sidecar.checkHealth(), HEALTH_INTERVAL_MS);
    return sidecar;
  },
};

const statusPlugin: JupyterFrontEndPlugin<void> = {
  id: '@sigmatiq/extension:status',
  description: "Shows the sidecar's health in the status bar.",
  autoStart: true,
  requires: [ISidecarConnection],
  optional: [IStatusBar],
  activate: (_app: JupyterFrontEnd, sidecar: ISidecarConnection, statusBar: IStatusBar | null): void => {
    if (statusBar === null) return;
    statusBar.registerStatusItem('@sigmatiq/extension:status', { item: new SidecarStatus(sidecar), align: 'left', rank: 100 });
  },
};

const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: '@sigmatiq/extension:commands',
  description: 'Sigmatiq commands in the palette.',
  autoStart: true,
  requires: [ISidecarConnection],
  optional: [ICommandPalette],
  activate: (app: JupyterFrontEnd, sidecar: ISidecarConnection, palette: ICommandPalette | null): void => {
    app.commands.addCommand(CommandIDs.openApiDocs, {
      label: 'Sigmatiq: Open Sidecar API Docs',
      caption: "Open the sidecar's interactive HTTP API documentation in a new browser tab",
      execute: () => {
        window.open(sidecar.url('docs'), '_blank', 'noopener');
      },
    });
    app.commands.addCommand(CommandIDs.checkSidecar, {
      label: 'Sigmatiq: Check Sidecar Health',
      execute: () => sidecar.checkHealth(),
    });
    for (const command of [CommandIDs.openApiDocs, CommandIDs.checkSidecar]) palette?.addItem({ command, category: 'Sigmatiq' });
  },
};

/** Every plugin of the extension, wired here. */
export const plugins: JupyterFrontEndPlugin<unknown>[] = [sidecarPlugin, statusPlugin, commandsPlugin, panelsPlugin];
