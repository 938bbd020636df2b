/**
 * The pack half of the notebook API and of `%pack`: list the pack files, show one, validate one
 * (optionally with the sanity backtest on a data file or snapshot) and register the pack and its
 * report in the sidecar.
 */
import {
  configHash, defaultPacksDir, listPacks, loadPack, loadSanityBars, loadSnapshot, parsePackText, resolvePackFile,
  sanityStep, type Bars, type LoadedPack, type PackIssue, type PackListing, type PackValidationReport, validatePackYaml,
} from '@sigmatiq/engine';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundle, type DisplayOutput, type Displayable, escapeHtml, table, toMimeBundle } from '../display/mime.js';
import { connectSidecar, expectOk } from '../sidecar/client.js';
import type { SidecarLocator } from '../sidecar/locate.js';
import { snapshotStoreDir } from './context.js';
import { resolveSnapshot } from './data.js';

type Pack = LoadedPack['pack'];

/** The pack files of the packs folder (`sq.pack.list` / `%pack list`). */
export class PackList implements Displayable {
  constructor(
    readonly dir: string,
    readonly items: readonly PackListing[],
  ) {}

  [toMimeBundle](): DisplayOutput {
    const rows = this.items.map((p) => ({ pack_id: p.pack_id ?? '', name: p.name ?? '', version: p.version ?? '', style: p.style ?? '', strategies: (p.strategies ?? []).join(', '), file: path.basename(p.file), error: p.error ?? '' }));
    return table(rows, ['pack_id', 'name', 'version', 'style', 'strategies', 'file', 'error'], `${this.items.length} pack${this.items.length === 1 ? '' : 's'} in ${this.dir}`);
  }
}

/** One pack (`sq.pack.show` / `%pack show`): vibe, indicators, strategies and gates as tables. */
export class PackView implements Displayable {
  constructor(
    readonly pack: Pack,
    readonly file: string,
  ) {}

  sections(): { title: string; out: DisplayOutput }[] {
    const p = this.pack;
    const params = (m: Record<string, { default?: unknown }>): string => Object.entries(m).map(([k, v]) => `${k}=${JSON.stringify(v.default)}`).join(', ');
    const gates = Object.entries(p.gates).flatMap(([group, g]) => Object.entries(g as Record<string, unknown>).map(([name, value]) => ({ gate: `${group}.${name}`, value })));
    return [
      { title: 'Vibe', out: table(Object.entries(p.metadata.vibe).map(([field, value]) => ({ field, value })), ['field', 'value'], 'Vibe') },
      { title: 'Indicators', out: table(p.indicators.map((i) => ({ id: i.id, indicator: i.indicator, name: i.name, params: params(i.params_schema), levels: params(i.levels) })), ['id', 'indicator', 'name', 'params', 'levels'], 'Indicators') },
      {
        title: 'Strategies',
        out: table(
          p.strategies.map((s) => ({ id: s.id, side: s.side, entry: s.entry_logic, exit: s.exit_logic, params: params(s.params), default: s.id === p.default_strategy ? 'yes' : '' })),
          ['id', 'side', 'entry', 'exit', 'params', 'default'],
          'Strategies',
        ),
      },
      { title: 'Gates', out: table(gates, ['gate', 'value'], 'Gates') },
    ];
  }

  [toMimeBundle](): DisplayOutput {
    const p = this.pack;
    const head = `${p.name} (${p.pack_id} ${p.version}): ${p.description}`;
    const parts = this.sections();
    const html = `<div class="sq-pack"><h4>${escapeHtml(head)}</h4>${parts.map((s) => String(s.out.data['text/html'])).join('')}</div>`;
    const text = [head, ...parts.map((s) => s.out.data['text/plain'])].join('\n\n');
    return bundle({ 'text/plain': text, 'text/html': html });
  }
}

/** Where the pack and its report were stored in the sidecar, or why not. */
export type PackRegistration =
  | { readonly registered: true; readonly packId: string; readonly contentHash: string; readonly reportId: string; readonly reused: boolean }
  | { readonly registered: false; readonly reason: string };

/** `sq.pack.validate` / `%pack validate`: the engine's report and its registration. */
export class PackValidation implements Displayable {
  constructor(
    readonly report: PackValidationReport,
    readonly file: string,
    readonly sidecar: PackRegistration,
  ) {}

  /** One row per issue: severity, code, message, path, line:col. */
  rows(): Record<string, unknown>[] {
    const row = (severity: string, i: PackIssue): Record<string, unknown> => ({
      severity, code: i.code, message: i.message, path: i.path, 'line:col': i.line === undefined ? '' : `${i.line}:${i.col ?? 1}`,
    });
    return [...this.report.errors.map((i) => row('error', i)), ...this.report.warnings.map((i) => row('warning', i))];
  }

  [toMimeBundle](): DisplayOutput {
    const r = this.report;
    const where = this.sidecar.registered ? `registered: pack ${this.sidecar.packId}, report ${this.sidecar.reportId}` : `not registered: ${this.sidecar.reason}`;
    const caption = `${r.pack_id} ${r.version}: ${r.status} (${r.errors.length} error${r.errors.length === 1 ? '' : 's'}, ${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'}); ${where}`;
    const issues = table(this.rows(), ['severity', 'code', 'message', 'path', 'line:col'], caption);
    const sanity = r.sanity === undefined ? undefined : table(r.sanity.map((s) => ({ ...s })), ['strategy', 'symbol', 'interval', 'bars', 'years', 'total_trades', 'sharpe_ratio', 'max_drawdown', 'total_return'], 'Sanity backtest');
    if (sanity === undefined) return issues;
    return bundle({ 'text/plain': `${issues.data['text/plain']}\n\n${sanity.data['text/plain']}`, 'text/html': `${String(issues.data['text/html'])}${String(sanity.data['text/html'])}` });
  }
}

export function listPackFiles(dir: string = defaultPacksDir()): PackList {
  return new PackList(dir, listPacks(dir));
}

export function showPack(idOrPath: string, dir: string = defaultPacksDir()): PackView {
  const file = resolvePackFile(idOrPath, dir);
  return new PackView(loadPack(idOrPath, dir).pack, file);
}

export interface ValidatePackOptions {
  /** A data file (path, or a name in the shared real-data folder) or a snapshot (hash prefix / sidecar id): runs the sanity backtest. */
  data?: string;
  /** Packs folder for ids (default: the repository's packs/). */
  packsDir?: string;
}

async function sanityBars(locator: SidecarLocator, data: string): Promise<Bars> {
  if (existsSync(data)) return loadSanityBars(path.resolve(data));
  // A name with an extension that is not a file here: a file in the shared real-data folder.
  if (path.extname(data) !== '') return loadSanityBars(data);
  const record = await resolveSnapshot(locator, data);
  return loadSnapshot(snapshotStoreDir(locator), record.hash);
}

// The sidecar's pack instrument kinds (server/src/db/enums.ts INSTRUMENT_KINDS: every engine kind and option).
const SIDECAR_INSTRUMENTS = ['stock', 'future', 'fx', 'crypto', 'option'] as const;
type SidecarInstrument = (typeof SIDECAR_INSTRUMENTS)[number];
const isSidecarInstrument = (s: string): s is SidecarInstrument => (SIDECAR_INSTRUMENTS as readonly string[]).includes(s);

/** The sidecar's PackCreate body of a parsed pack (the whole pack as `spec`), or why it cannot be registered. */
export interface PackCreateBody {
  name: string;
  version: string;
  metadata: { vibe: Omit<Pack['metadata']['vibe'], 'style'> };
  supported_instruments: SidecarInstrument[];
  default_instrument: SidecarInstrument;
  tags: string[];
  author: string;
  spec: Record<string, unknown>;
}

export function packCreateBody(pack: Pack): { body: PackCreateBody } | { error: string } {
  const instruments = pack.supported_instruments.filter(isSidecarInstrument);
  const first = instruments[0];
  if (first === undefined) return { error: `the sidecar registers ${SIDECAR_INSTRUMENTS.join(', ')} packs; this one supports ${pack.supported_instruments.join(', ')}` };
  const { style: _style, ...vibe } = pack.metadata.vibe;
  return {
    body: {
      name: pack.pack_id,
      version: pack.version,
      metadata: { vibe },
      supported_instruments: instruments,
      default_instrument: isSidecarInstrument(pack.default_instrument) ? pack.default_instrument : first,
      tags: pack.tags,
      author: pack.author,
      spec: JSON.parse(JSON.stringify(pack)) as Record<string, unknown>,
    },
  };
}

const clip = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
const issueBody = (i: PackIssue) => ({ code: clip(i.code, 100), message: clip(i.message, 2000), path: clip(i.path, 500) });

async function register(locator: SidecarLocator, pack: Pack, report: PackValidationReport): Promise<PackRegistration> {
  const made = packCreateBody(pack);
  if ('error' in made) return { registered: false, reason: made.error };
  const { client } = await connectSidecar(locator);
  const res = await client.v1.packs.$post({ json: made.body, header: {} });
  let stored: { id: string; content_hash: string; name: string; version: string };
  let reused = false;
  if ((res.status as number) === 409) {
    const list = await expectOk<{ items: { id: string; content_hash: string; name: string; version: string }[] }>(await client.v1.packs.$get({ query: { limit: '500' } }), 'list packs');
    const found = list.items.find((p) => p.name === made.body.name && p.version === made.body.version);
    if (found === undefined) return expectOk(res, 'register pack');
    if (found.content_hash !== configHash(made.body)) {
      return { registered: false, reason: `the sidecar already holds ${found.name} ${found.version} (${found.id}) with other content: bump the pack's version` };
    }
    stored = found;
    reused = true;
  } else {
    stored = await expectOk(res, 'register pack');
  }
  const rep = await client.v1.packs[':id']['validation-reports'].$post({
    param: { id: stored.id },
    json: { errors: report.errors.map(issueBody), warnings: report.warnings.map(issueBody) },
    header: {},
  });
  const created = await expectOk<{ id: string }>(rep, 'attach validation report');
  return { registered: true, packId: stored.id, contentHash: stored.content_hash, reportId: created.id, reused };
}

/**
 * Validates a pack file or id (schema, references, expressions; with `data`, the sanity backtest)
 * and, when the pack parses, registers it and attaches the report in the sidecar.
 */
export async function validatePackFile(locator: SidecarLocator, idOrPath: string, opts: ValidatePackOptions = {}): Promise<PackValidation> {
  const file = resolvePackFile(idOrPath, opts.packsDir ?? defaultPacksDir());
  const text = readFileSync(file, 'utf8');
  const bars = opts.data === undefined ? undefined : await sanityBars(locator, opts.data);
  const report = validatePackYaml(text, { file, ...(bars === undefined ? {} : { sanity: sanityStep(bars) }) });
  const parsed = parsePackText(text, file);
  const registration: PackRegistration = parsed.ok ? await register(locator, parsed.pack, report) : { registered: false, reason: `the pack does not parse (${parsed.stage})` };
  return new PackValidation(report, file, registration);
}
