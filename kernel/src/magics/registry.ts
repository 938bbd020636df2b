import { SigmatiqError } from '@sigmatiq/engine';
import type { DisplayOutput } from '../display/mime.js';
import type { OutputSink } from '../display/sink.js';
import type { SidecarLocator } from '../sidecar/locate.js';

/** What a magic can see: its arguments, its output sink, cancellation and the kernel's context. */
export interface MagicContext {
  readonly name: string;
  readonly args: readonly string[];
  /** The body of a `%%magic` cell; undefined for a line magic. */
  readonly body: string | undefined;
  readonly out: OutputSink;
  readonly signal: AbortSignal;
  readonly kernel: KernelContext;
}

export interface KernelContext {
  readonly versions: Readonly<Record<string, string>>;
  readonly registry: MagicRegistry;
  readonly sidecar: SidecarLocator;
}

export interface Magic {
  readonly name: string;
  /** One line for `%help`. */
  readonly summary: string;
  /** Usage line(s), e.g. `%help [NAME]`. */
  readonly usage: string;
  /** Longer help text for `%help NAME`. */
  readonly help: string;
  /** Whether it runs as a `%line` magic, a `%%cell` magic, or both. */
  readonly forms: readonly ('line' | 'cell')[];
  run(ctx: MagicContext): Promise<DisplayOutput | undefined>;
}

export class MagicRegistry {
  private readonly magics = new Map<string, Magic>();

  constructor(magics: readonly Magic[] = []) {
    for (const m of magics) this.register(m);
  }

  register(magic: Magic): void {
    if (this.magics.has(magic.name)) throw new SigmatiqError('MAGIC_DUPLICATE', `magic %${magic.name} is registered twice`);
    this.magics.set(magic.name, magic);
  }

  list(): Magic[] {
    return [...this.magics.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  names(): string[] {
    return this.list().map((m) => m.name);
  }

  /** The magic called `name` in the given form, or a typed error naming the closest magic. */
  resolve(name: string, form: 'line' | 'cell'): Magic {
    const magic = this.magics.get(name);
    const prefix = form === 'cell' ? '%%' : '%';
    if (magic === undefined) {
      const close = this.names().filter((n) => n.startsWith(name.slice(0, 2)));
      const hint = close.length > 0 ? ` Did you mean ${close.map((n) => `%${n}`).join(', ')}?` : '';
      throw new SigmatiqError('MAGIC_UNKNOWN', `unknown magic ${prefix}${name}.${hint} Run %help for the list.`, { magic: name });
    }
    if (!magic.forms.includes(form)) {
      throw new SigmatiqError('MAGIC_FORM', `%${name} cannot be used as a ${form} magic (${prefix}${name}); usage: ${magic.usage}`, { magic: name });
    }
    return magic;
  }
}

/** A usage error for magic `name` (bad or missing arguments). */
export function usageError(magic: Magic, message: string): SigmatiqError {
  return new SigmatiqError('MAGIC_USAGE', `%${magic.name}: ${message}. Usage: ${magic.usage}`, { magic: magic.name });
}
