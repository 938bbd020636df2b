import { Widget } from '@lumino/widgets';
import { type Figure, loadPlotly, merge, themeLayout } from '../../renderers/plotly';
import { type ISidecarConnection, SidecarError } from '../../tokens';

type Child = Node | string | null | undefined | false;

/** A DOM element with attributes (`class`, `data-*`, `title`, ...) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { class: 'jp-Button sq-Button', type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

/**
 * Base of the Sigmatiq panels: a toolbar row and a body, and one way to show a failure. When the sidecar is
 * down (the proxy cannot reach it) the body says so plainly, with a Retry button that calls `refresh()`.
 */
export abstract class SidecarPanel extends Widget {
  protected readonly toolbarNode = h('div', { class: 'sq-Panel-toolbar' });
  protected readonly messageNode = h('div', { class: 'sq-Panel-message' });
  protected readonly bodyNode = h('div', { class: 'sq-Panel-body' });

  constructor(protected readonly sidecar: ISidecarConnection) {
    super();
    this.addClass('sq-Panel');
    this.node.append(this.toolbarNode, this.messageNode, this.bodyNode);
  }

  /** (Re)loads everything from the sidecar. */
  abstract refresh(): Promise<void>;

  /** Runs `work`, showing a failure instead of throwing; returns undefined when it failed. */
  protected async guard<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      const out = await work();
      this.clearMessage();
      return out;
    } catch (e) {
      this.showError(e);
      return undefined;
    }
  }

  protected clearMessage(): void {
    this.messageNode.replaceChildren();
    this.messageNode.dataset['kind'] = '';
  }

  protected showError(e: unknown): void {
    const err = e instanceof SidecarError ? e : null;
    const retry = button('Retry', () => void this.refresh(), { 'data-action': 'retry' });
    if (err?.unreachable) {
      this.messageNode.dataset['kind'] = 'unavailable';
      this.messageNode.replaceChildren(
        h('strong', {}, 'The Sigmatiq sidecar is not reachable. '),
        h('span', {}, "Jupyter starts it on demand through its proxy at /sigmatiq/; if it stopped or failed to start, check the status bar item and Jupyter's log, then retry. "),
        h('span', { class: 'sq-Panel-detail' }, `(${err.message})`),
        retry,
      );
    } else {
      this.messageNode.dataset['kind'] = 'error';
      const what = err === null ? (e instanceof Error ? e.message : String(e)) : `${err.code}: ${err.message}`;
      this.messageNode.replaceChildren(h('strong', {}, 'Request failed: '), h('span', {}, what), retry);
    }
  }
}

/** A Plotly chart in a panel's DOM: theme colours, redrawn when the theme changes; the panel calls resize(). */
export class Chart {
  readonly node: HTMLDivElement;
  private figure: Figure | null = null;
  private readonly themeObserver = new MutationObserver(() => void this.draw());

  constructor(className: string) {
    this.node = h('div', { class: `sq-Chart ${className}` });
    this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ['data-jp-theme-light', 'data-jp-theme-name'] });
  }

  async show(figure: Figure | null): Promise<void> {
    this.figure = figure;
    await this.draw();
  }

  private async draw(): Promise<void> {
    const Plotly = await loadPlotly();
    if (this.figure === null) {
      Plotly.purge(this.node);
      this.node.replaceChildren();
      this.node.hidden = true;
      return;
    }
    this.node.hidden = false;
    const layout = merge(merge(themeLayout(), { autosize: true, margin: { t: 40, r: 20, b: 40, l: 60 } }), this.figure.layout ?? {});
    await Plotly.react(this.node, this.figure.data, layout as Parameters<typeof Plotly.react>[2], { responsive: true, displaylogo: false });
  }

  resize(): void {
    if (this.figure !== null && this.node.isConnected) void loadPlotly().then((P) => P.Plots.resize(this.node));
  }

  dispose(): void {
    this.themeObserver.disconnect();
    void loadPlotly().then((P) => P.purge(this.node));
  }
}
