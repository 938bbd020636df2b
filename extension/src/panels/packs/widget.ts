import type { ISidecarConnection } from '../../tokens';
import { type Page, type PackRow, type ValidationReport, allPages } from '../common/api';
import { SidecarPanel, button, h } from '../common/view';
import { modelCreateLine } from './cell';

export interface PacksState {
  packId: string | null;
}

/** Inserts `text` as a new code cell in the current notebook; false when no notebook is open. */
export type InsertCell = (text: string) => Promise<boolean>;

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isRec) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));


/**
 * Packs panel: the packs registered in the sidecar with their latest validation status; a pack's vibe,
 * indicators, strategies (entry/exit logic) and gates; per strategy, a button inserting a `%model create`
 * cell into the current notebook.
 */
export class PacksPanel extends SidecarPanel {
  private packs: PackRow[] = [];
  private reports = new Map<string, ValidationReport | null>();
  private state: PacksState;
  private readonly list = h('ul', { class: 'sq-PackList' });
  private readonly detail = h('div', { class: 'sq-PackDetail' });

  constructor(
    sidecar: ISidecarConnection,
    initial: Partial<PacksState>,
    private readonly insertCell: InsertCell,
    private readonly onStateChanged: (state: PacksState) => void,
  ) {
    super(sidecar);
    this.addClass('sq-PacksPanel');
    this.id = 'sigmatiq-packs';
    this.title.label = 'Sigmatiq Packs';
    this.title.caption = 'Sigmatiq packs in the sidecar registry';
    this.title.closable = true;
    this.state = { packId: initial.packId ?? null };
    this.toolbarNode.append(button('Refresh', () => void this.refresh(), { 'data-action': 'refresh' }));
    this.bodyNode.append(this.list, this.detail);
    void this.refresh();
  }

  get currentState(): PacksState {
    return this.state;
  }

  async refresh(): Promise<void> {
    const got = await this.guard(async () => {
      const packs = await allPages((p) => this.sidecar.json<Page<PackRow>>(p), 'v1/packs', 2_000);
      const reports = await Promise.all(
        packs.map(async (p) => {
          const page = await this.sidecar.json<Page<ValidationReport>>(`v1/packs/${encodeURIComponent(p.id)}/validation-reports?limit=500`);
          const latest = [...page.items].sort((a, b) => b.created_at.localeCompare(a.created_at))[0] ?? null;
          return [p.id, latest] as const;
        }),
      );
      return { packs, reports };
    });
    if (got === undefined) return;
    this.packs = [...got.packs].sort((a, b) => a.name.localeCompare(b.name) || b.version.localeCompare(a.version));
    this.reports = new Map(got.reports);
    if (this.state.packId !== null && !this.packs.some((p) => p.id === this.state.packId)) this.state = { packId: null };
    this.draw();
  }

  private select(packId: string): void {
    this.state = { packId };
    this.onStateChanged(this.state);
    this.draw();
  }

  private status(p: PackRow): string {
    const r = this.reports.get(p.id) ?? null;
    return r === null ? 'not validated' : r.status;
  }

  private draw(): void {
    this.list.replaceChildren();
    if (this.packs.length === 0) {
      this.list.append(h('li', { class: 'sq-empty' }, 'No packs registered yet. In a notebook: %pack validate <pack id> registers one (with its validation report).'));
    }
    for (const p of this.packs) {
      const st = this.status(p);
      const li = h(
        'li',
        { class: `sq-PackItem${p.id === this.state.packId ? ' sq-selected' : ''}`, 'data-pack': str(p.spec['pack_id']) || p.name },
        h('span', { class: 'sq-PackName' }, `${p.name} `),
        h('span', { class: 'sq-PackVersion' }, `v${p.version} `),
        h('span', { class: `sq-Badge sq-status-${st.replace(/\s+/g, '-').toLowerCase()}` }, st),
      );
      li.addEventListener('click', () => this.select(p.id));
      this.list.append(li);
    }
    const pack = this.packs.find((p) => p.id === this.state.packId);
    this.detail.replaceChildren(pack === undefined ? h('p', { class: 'sq-hint' }, 'Pick a pack to see its vibe, indicators, strategies and gates.') : this.renderPack(pack));
  }

  private renderPack(p: PackRow): HTMLElement {
    const spec = p.spec;
    const packId = str(spec['pack_id']) || p.name;
    const vibe = isRec(p.metadata['vibe']) ? p.metadata['vibe'] : isRec(spec['metadata']) && isRec(spec['metadata']['vibe']) ? spec['metadata']['vibe'] : {};
    const report = this.reports.get(p.id) ?? null;
    const section = (title: string, ...children: (Node | string)[]): HTMLElement => h('section', { class: 'sq-PackSection' }, h('h3', {}, title), ...children);
    const kv = (obj: Rec): HTMLElement => {
      const dl = h('dl', { class: 'sq-kv' });
      for (const [k, v] of Object.entries(obj)) dl.append(h('dt', {}, k), h('dd', {}, isRec(v) ? Object.entries(v).map(([a, b]) => `${a}: ${str(b)}`).join(', ') : str(v)));
      return dl;
    };
    const indicators = h('ul', { class: 'sq-IndicatorList' });
    for (const ind of arr(spec['indicators'])) {
      const params = isRec(ind['params_schema']) ? Object.entries(ind['params_schema']).map(([k, s]) => `${k}=${isRec(s) ? str(s['default']) : ''}`).join(', ') : '';
      indicators.append(h('li', {}, h('code', {}, str(ind['id'])), ` ${str(ind['indicator'])}(${params}) — ${str(ind['name'])}`));
    }
    const strategies = h('div', { class: 'sq-StrategyList' });
    for (const s of arr(spec['strategies'])) {
      const sid = str(s['id']);
      const logic = (k: string): string => (Array.isArray(s[k]) ? (s[k] as unknown[]).map(str).join('  AND  ') : str(s[k]));
      const insert = button('Insert %model create', () => void this.insert(packId, sid), { 'data-action': 'insert-model', 'data-strategy': sid });
      strategies.append(
        h('div', { class: 'sq-Strategy', 'data-strategy': sid },
          h('div', { class: 'sq-StrategyHead' }, h('strong', {}, sid), ` (${str(s['side']) || 'long'}) `, insert),
          h('div', {}, h('span', { class: 'sq-label' }, 'entry: '), h('code', {}, logic('entry_logic'))),
          h('div', {}, h('span', { class: 'sq-label' }, 'exit: '), h('code', {}, logic('exit_logic')))),
      );
    }
    const problems = report === null ? null : [...report.errors, ...report.warnings].map(str).slice(0, 20);
    return h(
      'div',
      { class: 'sq-PackCard', 'data-pack': packId },
      h('h2', {}, `${p.name} `, h('small', {}, `${packId} v${p.version} · ${p.author}`)),
      h('div', { class: 'sq-hash', title: p.content_hash }, `content hash ${p.content_hash.slice(0, 16)}…`),
      section('Validation', `${report === null ? 'not validated' : `${report.status} (${report.errors.length} errors, ${report.warnings.length} warnings, ${report.created_at.slice(0, 16).replace('T', ' ')})`}`, ...(problems !== null && problems.length > 0 ? [h('ul', {}, ...problems.map((x) => h('li', {}, x)))] : [])),
      section('Vibe', kv(vibe)),
      section('Indicators', indicators),
      section('Strategies', strategies),
      section('Gates', kv(isRec(spec['gates']) ? spec['gates'] : {})),
    );
  }

  private async insert(packId: string, strategyId: string): Promise<void> {
    const line = modelCreateLine(packId, strategyId);
    const ok = await this.insertCell(line);
    if (!ok) {
      this.messageNode.dataset['kind'] = 'error';
      this.messageNode.replaceChildren(h('strong', {}, 'No notebook is open: '), `open one and click again (the cell will be: ${line}).`);
    } else {
      this.clearMessage();
    }
  }
}
