import type { Message } from '@lumino/messaging';
import type { Widget } from '@lumino/widgets';
import { type LeaderboardSort, buildLeaderboardTable, leaderboardHeaderText } from '../../renderers/leaderboard';
import type { ISidecarConnection } from '../../tokens';
import { type ComboBacktest, type Combination, type GatePolicy, type GateStatus, type Page, type Sweep, type SweepStatistics, allPages } from '../common/api';
import { Poller } from '../common/poll';
import { Chart, SidecarPanel, button, h } from '../common/view';
import { equityFigure, heatmapFigure, tradesView } from './charts';
import { type Filter, gatePolicyText, heatmap, toCsv, toDoc } from './data';
import { trainCommand, trainTitle, trainable } from './train';

/** What the panel remembers across reloads (saved through the layout restorer into the state DB). */
export interface LeaderboardState {
  sweepId: string | null;
  comboId: number | null;
  sort: LeaderboardSort;
  gates: GateStatus[];
  text: string;
}

export const DEFAULT_STATE: LeaderboardState = { sweepId: null, comboId: null, sort: { key: { kind: 'rank' }, descending: false }, gates: ['PASS', 'MARGINAL', 'FAIL'], text: '' };

/** Polling period while the selected sweep is queued or running (the issue asks for at least 1/s). */
const LIVE = new Set(['queued', 'running']);

/**
 * Leaderboard panel: pick a sweep; sortable, filterable table with gate colours and the trials/DSR/PBO header;
 * live while the sweep runs; Cancel; CSV export; a row shows its equity, drawdown and trades; heatmap for
 * two-parameter sweeps.
 */
export class LeaderboardPanel extends SidecarPanel {
  private state: LeaderboardState;
  private sweeps: Sweep[] = [];
  private sweep: Sweep | null = null;
  private combos: Combination[] = [];
  private stats: SweepStatistics | null = null;
  private readonly poller = new Poller(() => this.poll());
  /** Bumped on every sweep change: answers for an older selection are dropped. */
  private generation = 0;
  private readonly select = h('select', { class: 'sq-SweepSelect', 'aria-label': 'Sweep' });
  private readonly textFilter = h('input', { class: 'sq-FilterText', type: 'search', placeholder: 'filter params, e.g. period=14' });
  private readonly gateBoxes = new Map<GateStatus, HTMLInputElement>();
  private readonly cancelButton = button('Cancel sweep', () => void this.cancel(), { 'data-action': 'cancel' });
  private readonly csvButton = button('Export CSV', () => this.exportCsv(), { 'data-action': 'csv' });
  private readonly header = h('div', { class: 'sq-Leaderboard-header' });
  /** The gates that judged the selected sweep (GET /v1/sweeps/{id}/gate-policy; read once per selection). */
  private readonly gatesLine = h('div', { class: 'sq-Leaderboard-gates sq-hint' });
  private gatePolicy: GatePolicy | null = null;
  private readonly progress = h('div', { class: 'sq-Progress' });
  private readonly tableHost = h('div', { class: 'sq-Leaderboard sq-Leaderboard-scroll' });
  private readonly heat = new Chart('sq-Heatmap');
  private readonly equity = new Chart('sq-Equity');
  private readonly comboHost = h('div', { class: 'sq-ComboHost' });

  constructor(
    sidecar: ISidecarConnection,
    initial: Partial<LeaderboardState>,
    private readonly onStateChanged: (state: LeaderboardState) => void,
    /** Opens the Lineage panel on an object (the selected combination). */
    private readonly openLineage: (type: string, id: string) => void = () => undefined,
    /** Inserts a code cell into the current notebook (the Train action); false when no notebook is open. */
    private readonly insertCell: (text: string) => Promise<boolean> = () => Promise.resolve(false),
  ) {
    super(sidecar);
    this.addClass('sq-LeaderboardPanel');
    this.id = 'sigmatiq-leaderboard';
    this.title.label = 'Sigmatiq Leaderboard';
    this.title.closable = true;
    this.state = { ...DEFAULT_STATE, ...initial };
    this.select.addEventListener('change', () => void this.pick(this.select.value === '' ? null : this.select.value));
    this.textFilter.value = this.state.text;
    this.textFilter.addEventListener('input', () => this.patchState({ text: this.textFilter.value }));
    const gates = h('span', { class: 'sq-GateFilter' });
    for (const g of ['PASS', 'MARGINAL', 'FAIL'] as const) {
      const box = h('input', { type: 'checkbox', 'data-gate': g });
      box.checked = this.state.gates.includes(g);
      box.addEventListener('change', () => this.patchState({ gates: [...this.gateBoxes.entries()].filter(([, b]) => b.checked).map(([k]) => k) }));
      this.gateBoxes.set(g, box);
      gates.append(h('label', { class: `sq-gate-label sq-gate-${g.toLowerCase()}` }, box, g));
    }
    this.toolbarNode.append(this.select, button('Refresh', () => void this.refresh(), { 'data-action': 'refresh' }), gates, this.textFilter, this.cancelButton, this.csvButton);
    this.bodyNode.append(this.header, this.gatesLine, this.progress, this.tableHost, this.heat.node, this.comboHost, this.equity.node);
    void this.refresh();
  }

  get currentState(): LeaderboardState {
    return this.state;
  }

  async refresh(): Promise<void> {
    const list = await this.guard(() => allPages((p) => this.sidecar.json<Page<Sweep>>(p), 'v1/sweeps', 2_000));
    if (list === undefined) return;
    this.sweeps = [...list].sort((a, b) => b.created_at.localeCompare(a.created_at));
    this.fillSelect();
    const wanted = this.state.sweepId !== null && this.sweeps.some((s) => s.id === this.state.sweepId) ? this.state.sweepId : (this.sweeps[0]?.id ?? null);
    await this.pick(wanted, this.state.comboId);
  }

  private fillSelect(): void {
    this.select.replaceChildren(h('option', { value: '' }, this.sweeps.length === 0 ? 'No sweeps yet: run %sweep in a notebook' : 'Pick a sweep'));
    for (const s of this.sweeps) this.select.append(h('option', { value: s.id }, `${s.tag ?? s.type} · ${s.id.slice(0, 8)} · ${s.run.status} · ${s.created_at.slice(0, 16).replace('T', ' ')}`));
  }

  /** Selects a sweep (and optionally a combination) and loads it. */
  async pick(sweepId: string | null, comboId: number | null = null): Promise<void> {
    this.poller.stop();
    this.generation++;
    const changed = sweepId !== this.state.sweepId;
    this.state = { ...this.state, sweepId, comboId: changed ? comboId : (comboId ?? this.state.comboId) };
    this.select.value = sweepId ?? '';
    this.onStateChanged(this.state);
    this.sweep = null;
    this.combos = [];
    this.stats = null;
    if (changed) void this.showCombo(null);
    if (sweepId === null) {
      this.draw();
      return;
    }
    await this.poll();
    if (this.state.comboId !== null) await this.showCombo(this.state.comboId);
  }

  /** One load of the selected sweep; schedules the next while it is queued or running. */
  private async poll(): Promise<void> {
    const id = this.state.sweepId;
    const generation = this.generation;
    if (id === null) return;
    const current = (): boolean => generation === this.generation && !this.isDisposed;
    try {
      const ok = await this.guard(async () => {
        const [sweep, combos] = await Promise.all([
          this.sidecar.json<Sweep>(`v1/sweeps/${encodeURIComponent(id)}`),
          allPages((p) => this.sidecar.json<Page<Combination>>(p), `v1/sweeps/${encodeURIComponent(id)}/combinations`),
        ]);
        const live = LIVE.has(sweep.run.status);
        const stats = live ? null : await this.sidecar.json<SweepStatistics>(`v1/sweeps/${encodeURIComponent(id)}/statistics`);
        const policy = this.gatePolicy?.sweep_id === id ? this.gatePolicy : await this.sidecar.json<GatePolicy>(`v1/sweeps/${encodeURIComponent(id)}/gate-policy`);
        return { sweep, combos, stats, policy };
      });
      if (ok === undefined || !current()) return;
      this.sweep = ok.sweep;
      this.combos = ok.combos;
      this.stats = ok.stats;
      this.gatePolicy = ok.policy;
      const i = this.sweeps.findIndex((s) => s.id === id);
      if (i >= 0) {
        this.sweeps[i] = ok.sweep;
        const opt = this.select.querySelector(`option[value="${CSS.escape(id)}"]`);
        if (opt !== null) opt.textContent = `${ok.sweep.tag ?? ok.sweep.type} · ${id.slice(0, 8)} · ${ok.sweep.run.status} · ${ok.sweep.created_at.slice(0, 16).replace('T', ' ')}`;
      }
      this.draw();
    } finally {
      if (current() && this.sweep !== null && LIVE.has(this.sweep.run.status)) this.poller.schedule();
    }
  }

  private patchState(patch: Partial<LeaderboardState>): void {
    this.state = { ...this.state, ...patch };
    this.onStateChanged(this.state);
    this.draw();
  }

  private filter(): Filter {
    return { gates: this.state.gates, text: this.state.text };
  }

  private draw(): void {
    const sweep = this.sweep;
    this.node.dataset['status'] = sweep?.run.status ?? 'none';
    this.cancelButton.disabled = sweep === null || !LIVE.has(sweep.run.status);
    this.csvButton.disabled = this.combos.length === 0;
    this.gatesLine.textContent = sweep !== null && this.gatePolicy?.sweep_id === sweep.id ? gatePolicyText(this.gatePolicy) : '';
    if (sweep === null) {
      this.header.textContent = this.sweeps.length === 0 ? 'No sweeps in the sidecar yet.' : '';
      this.progress.textContent = '';
      this.tableHost.replaceChildren();
      void this.heat.show(null);
      return;
    }
    const doc = toDoc(sweep, this.combos, this.stats, this.filter());
    this.header.textContent = leaderboardHeaderText(doc) + (this.stats !== null && this.stats.source !== 'recorded' ? ` (DSR/PBO ${this.stats.source})` : '');
    this.header.dataset['trials'] = String(doc.stats.trials);
    const pct = Math.round(sweep.run.progress * 100);
    this.progress.textContent = `${sweep.run.status} · ${pct}% · ${this.combos.length} combinations${LIVE.has(sweep.run.status) ? ' · updating every second' : ''}`;
    this.progress.dataset['count'] = String(this.combos.length);
    const selected = this.combos.find((c) => c.combo_id === this.state.comboId)?.config_hash ?? null;
    const table = buildLeaderboardTable(doc, {
      sort: this.state.sort,
      selected,
      onSort: (sort) => this.patchState({ sort }),
      onRowClick: (row) => {
        const combo = this.combos.find((c) => c.config_hash === row.config_hash);
        if (combo !== undefined) void this.showCombo(combo.combo_id);
      },
    });
    this.addTrainColumn(table, sweep.id);
    this.tableHost.replaceChildren(table);
    const hm = heatmap(this.combos);
    void this.heat.show(hm === null ? null : heatmapFigure(hm, 'sharpe_ratio'));
  }

  /** A last column with a Train button per row: enabled on PASS/MARGINAL rows, disabled with the reason on FAIL rows. */
  private addTrainColumn(table: HTMLTableElement, sweepId: string): void {
    table.tHead?.rows[0]?.append(h('th', { class: 'sq-Train-head' }, 'train'));
    const byHash = new Map(this.combos.map((c) => [c.config_hash, c]));
    for (const tr of table.tBodies[0]?.rows ?? []) {
      const combo = byHash.get(tr.dataset['key'] ?? '');
      const cell = tr.insertCell();
      if (combo === undefined) continue;
      const b = button('Train', () => void this.train(sweepId, combo.combo_id), { 'data-action': 'train', 'data-combo': String(combo.combo_id), title: trainTitle(combo.gate_status, combo.combo_id) });
      b.disabled = !trainable(combo.gate_status);
      b.addEventListener('click', (e) => e.stopPropagation());
      // Disabled buttons get no hover events in some browsers: the cell carries the reason too.
      cell.title = b.title;
      cell.className = 'sq-Train-cell';
      cell.append(b);
    }
  }

  private async train(sweepId: string, comboId: number): Promise<void> {
    const line = trainCommand(sweepId, [comboId]);
    if (await this.insertCell(line)) {
      this.clearMessage();
    } else {
      this.messageNode.dataset['kind'] = 'error';
      this.messageNode.replaceChildren(h('strong', {}, 'No notebook is open: '), `open one and click again (the cell will be: ${line}).`);
    }
  }

  /** Selects a combination: asks the sidecar to re-run it and charts equity, drawdown and trades. */
  private async showCombo(comboId: number | null): Promise<void> {
    const id = this.state.sweepId;
    if (comboId !== this.state.comboId) {
      this.state = { ...this.state, comboId };
      this.onStateChanged(this.state);
      this.draw();
    }
    if (comboId === null || id === null) {
      this.comboHost.replaceChildren();
      await this.equity.show(null);
      return;
    }
    this.comboHost.replaceChildren(h('div', { class: 'sq-Combo-loading' }, `Re-running combination ${comboId}…`));
    const bt = await this.guard(() => this.sidecar.json<ComboBacktest>(`v1/sweeps/${encodeURIComponent(id)}/combinations/${comboId}/backtest`));
    if (bt === undefined || comboId !== this.state.comboId) {
      if (bt === undefined) this.comboHost.replaceChildren();
      return;
    }
    const lineage = button('Lineage of this combination', () => this.openLineage('combination', `${id}/${comboId}`), { 'data-action': 'lineage' });
    this.comboHost.replaceChildren(lineage, tradesView(bt));
    await this.equity.show(equityFigure(bt));
  }

  private async cancel(): Promise<void> {
    const id = this.state.sweepId;
    if (id === null) return;
    this.cancelButton.disabled = true;
    await this.guard(() => this.sidecar.json<Sweep>(`v1/sweeps/${encodeURIComponent(id)}/cancel`, { method: 'POST' }));
    this.poller.stop();
    this.generation++;
    await this.poll();
  }

  private exportCsv(): void {
    const sweep = this.sweep;
    if (sweep === null) return;
    const url = URL.createObjectURL(new Blob([toCsv(this.combos)], { type: 'text/csv' }));
    const a = h('a', { href: url, download: `sweep-${sweep.id}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  protected override onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this.heat.resize();
    this.equity.resize();
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.heat.resize();
    this.equity.resize();
  }

  override dispose(): void {
    this.poller.stop();
    this.heat.dispose();
    this.equity.dispose();
    super.dispose();
  }
}
