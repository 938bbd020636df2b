import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { leaderboardRendererFactory } from './renderers/leaderboard';
import { plotlyRendererFactory } from './renderers/plotly';

/** MIME renderer extensions: our leaderboard type and Plotly figures. */
const extensions: IRenderMime.IExtension[] = [
  { id: '@sigmatiq/extension:leaderboard-renderer', description: 'Renders Sigmatiq leaderboards.', rendererFactory: leaderboardRendererFactory, rank: 50, dataType: 'json' },
  { id: '@sigmatiq/extension:plotly-renderer', description: 'Renders Plotly figures with plotly.js.', rendererFactory: plotlyRendererFactory, rank: 40, dataType: 'json' },
];

export default extensions;
