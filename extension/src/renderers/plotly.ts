import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import type PlotlyDefault from 'plotly.js-dist-min';

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

export interface Figure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

export type PlotlyModule = typeof PlotlyDefault;
let plotlyPromise: Promise<PlotlyModule> | null = null;
export function loadPlotly(): Promise<PlotlyModule> {
  // A separate chunk: plotly.js is large and most outputs don't need it. Its CommonJS module
  // object arrives as `default` or as the namespace itself, depending on the bundler's interop.
  plotlyPromise ??= import(/* webpackChunkName: "plotly" */ 'plotly.js-dist-min').then((m) => {
    const ns = m as unknown as { default?: PlotlyModule } & PlotlyModule;
    return ns.default ?? ns;
  });
  return plotlyPromise;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v === '' ? fallback : v;
}

/** Colours from JupyterLab's theme variables, so figures follow light and dark themes. */
export function themeLayout(): Record<string, unknown> {
  const font = cssVar('--jp-ui-font-color1', '#333');
  const grid = cssVar('--jp-border-color2', '#ddd');
  const axis = { gridcolor: grid, zerolinecolor: grid, linecolor: grid, color: font };
  return { paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)', font: { color: font }, xaxis: axis, yaxis: axis };
}

export function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) && typeof b === 'object' && b !== null ? merge(b as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** Renders application/vnd.plotly.v1+json with plotly.js (dist-min); resizes with its panel, follows the theme. */
export class PlotlyRenderer extends Widget implements IRenderMime.IRenderer {
  private figure: Figure | null = null;
  private readonly themeObserver = new MutationObserver(() => void this.draw());
  private plotted = false;

  constructor() {
    super();
    this.addClass('sq-Plotly');
    this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ['data-jp-theme-light', 'data-jp-theme-name'] });
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const fig = model.data[PLOTLY_MIME] as unknown as Figure | undefined;
    if (fig === undefined || !Array.isArray(fig.data)) {
      this.node.textContent = 'Invalid Plotly figure: data must be an array of traces';
      return;
    }
    this.figure = fig;
    await this.draw();
  }

  private async draw(): Promise<void> {
    if (this.figure === null) return;
    const Plotly = await loadPlotly();
    const layout = merge(merge(themeLayout(), { autosize: true, margin: { t: 40, r: 20, b: 40, l: 50 } }), this.figure.layout ?? {});
    await Plotly.react(this.node, this.figure.data, layout as Parameters<PlotlyModule['react']>[2], { responsive: true, displaylogo: false, ...(this.figure.config ?? {}) });
    this.plotted = true;
  }

  protected override onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    if (this.plotted && this.isVisible) void loadPlotly().then((P) => P.Plots.resize(this.node));
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    if (this.plotted) void loadPlotly().then((P) => P.Plots.resize(this.node));
  }

  override dispose(): void {
    this.themeObserver.disconnect();
    if (this.plotted) void loadPlotly().then((P) => P.purge(this.node));
    super.dispose();
  }
}

export const plotlyRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [PLOTLY_MIME],
  defaultRank: 40,
  createRenderer: () => new PlotlyRenderer(),
};
