import type { JupyterHandlerImpl } from 'tslab/dist/jupyter';
import type { DisplayOutput } from './display/mime.js';
import { type CellIO, KernelSession } from './execution/session.js';
import type { KernelContext } from './magics/index.js';
import { historyReply } from './protocol/history.js';
import type { RequestContext } from './protocol/server.js';
import type { JsonObject } from './protocol/wire.js';

/**
 * Jupyter request handling for the Sigmatiq kernel. Execution goes through KernelSession (magics +
 * tslab, with real error replies); completion, inspection and is_complete reuse tslab's handler
 * on the TypeScript part of the cell.
 */
export class SigmatiqKernel {
  /** Execute requests sent before this time (client clock) are aborted: they were queued behind a failed cell. */
  private abortSentBefore: number | null = null;

  constructor(
    private readonly session: KernelSession,
    private readonly tslab: JupyterHandlerImpl,
    private readonly context: KernelContext,
    private readonly onShutdown: (restart: boolean) => void,
  ) {}

  async handle(ctx: RequestContext): Promise<void> {
    const c = ctx.msg.content;
    const code = typeof c['code'] === 'string' ? c['code'] : '';
    switch (ctx.msg.header.msg_type) {
      case 'kernel_info_request':
        ctx.reply('kernel_info_reply', this.kernelInfo());
        return;
      case 'execute_request':
        await this.execute(ctx);
        return;
      case 'complete_request':
        ctx.reply('complete_reply', this.complete(code, Number(c['cursor_pos'] ?? 0)));
        return;
      case 'inspect_request': {
        const r = this.tslab.handleInspect({ code: KernelSession.typescriptView(code), cursor_pos: Number(c['cursor_pos'] ?? 0), detail_level: 0 });
        ctx.reply('inspect_reply', { status: 'ok', found: r.found, data: r.data, metadata: {} });
        return;
      }
      case 'is_complete_request':
        ctx.reply('is_complete_reply', this.isComplete(code));
        return;
      case 'history_request':
        ctx.reply('history_reply', historyReply(this.session.history, c));
        return;
      case 'comm_info_request':
        ctx.reply('comm_info_reply', { status: 'ok', comms: {} });
        return;
      case 'interrupt_request':
        this.session.interrupt();
        ctx.reply('interrupt_reply', { status: 'ok' });
        return;
      case 'shutdown_request': {
        const restart = c['restart'] === true;
        ctx.reply('shutdown_reply', { status: 'ok', restart });
        this.onShutdown(restart);
        return;
      }
      default:
        // comm_open, comm_msg, debug_request…: not supported; Jupyter tolerates no reply for comms.
        return;
    }
  }

  kernelInfo(): JsonObject {
    const base = this.tslab.handleKernel();
    return {
      status: 'ok',
      protocol_version: '5.3',
      implementation: 'sigmatiq',
      implementation_version: this.context.versions['kernel'] ?? '0.0.0',
      language_info: { ...base.language_info, version: this.context.versions['typescript'] ?? '' },
      banner: `Sigmatiq (TypeScript) — tslab ${this.context.versions['tslab'] ?? ''}, Node ${process.versions.node}. Type %help for the magics.`,
      help_links: [{ text: 'Sigmatiq magics', url: 'https://github.com/sigmatiq/workbench/blob/main/docs/magics.md' }],
    };
  }

  private complete(code: string, cursor: number): JsonObject {
    const lineStart = code.lastIndexOf('\n', cursor - 1) + 1;
    const head = code.slice(lineStart, cursor);
    const m = /^(%%?)([\w-]*)$/.exec(head);
    if (m !== null) {
      const prefix = m[2] ?? '';
      const matches = this.context.registry.names().filter((n) => n.startsWith(prefix)).map((n) => `${m[1] ?? '%'}${n}`);
      return { status: 'ok', matches, cursor_start: lineStart, cursor_end: cursor, metadata: {} };
    }
    const r = this.tslab.handleComplete({ code: KernelSession.typescriptView(code), cursor_pos: cursor });
    return { status: 'ok', matches: r.matches, cursor_start: r.cursor_start, cursor_end: r.cursor_end, metadata: {} };
  }

  private isComplete(code: string): JsonObject {
    const ts = KernelSession.typescriptView(code);
    if (ts.trim() === '') return { status: 'complete' };
    const r = this.tslab.handleIsComplete({ code: ts });
    return r.status === 'incomplete' ? { status: 'incomplete', indent: r.indent ?? '' } : { status: r.status };
  }

  private async execute(ctx: RequestContext): Promise<void> {
    const c = ctx.msg.content;
    const code = typeof c['code'] === 'string' ? c['code'] : '';
    const silent = c['silent'] === true;
    const storeHistory = !silent && c['store_history'] !== false;
    const sentAt = Date.parse(ctx.msg.header.date);
    if (this.abortSentBefore !== null && Number.isFinite(sentAt) && sentAt < this.abortSentBefore) {
      ctx.reply('execute_reply', { status: 'aborted', execution_count: this.session.executionCount }, { status: 'aborted' });
      return;
    }
    const count = storeHistory ? this.session.executionCount + 1 : this.session.executionCount;
    if (!silent) ctx.publish('execute_input', { code, execution_count: count });
    const io: CellIO = silent
      ? { stream: () => undefined, display: () => undefined, clear: () => undefined, result: () => undefined }
      : {
          stream: (name, text) => ctx.publish('stream', { name, text }),
          display: (out: DisplayOutput, options) =>
            ctx.publish(options?.update === true ? 'update_display_data' : 'display_data', {
              data: out.data,
              metadata: out.metadata,
              transient: options?.displayId === undefined ? {} : { display_id: options.displayId },
            }),
          clear: (wait) => ctx.publish('clear_output', { wait }),
          result: (out) => ctx.publish('execute_result', { execution_count: count, data: out.data, metadata: out.metadata }),
        };
    const outcome = await this.session.execute(code, io, { storeHistory });
    if (outcome.status === 'ok') {
      ctx.reply('execute_reply', { status: 'ok', execution_count: count, payload: [], user_expressions: {} }, { status: 'ok' });
      return;
    }
    const error = { ename: outcome.ename, evalue: outcome.evalue, traceback: outcome.traceback };
    if (!silent) ctx.publish('error', error);
    if (c['stop_on_error'] !== false) this.abortSentBefore = Date.now();
    ctx.reply('execute_reply', { status: 'error', execution_count: count, ...error }, { status: 'error' });
  }
}
