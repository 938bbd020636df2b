import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as zmq from 'zeromq';
import { childHeader, decode, encode, type JsonObject, type JupyterMessage } from './wire.js';

/** The connection file Jupyter writes for a kernel. */
export interface ConnectionInfo {
  transport: string;
  ip: string;
  key: string;
  signature_scheme: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
}

export function readConnectionFile(file: string): ConnectionInfo {
  const info = JSON.parse(readFileSync(file, 'utf8')) as ConnectionInfo;
  if (info.signature_scheme !== 'hmac-sha256' && info.key !== '') {
    throw new Error(`unsupported signature scheme ${info.signature_scheme}; only hmac-sha256`);
  }
  return info;
}

export type Channel = 'shell' | 'control';

/** Replies and broadcasts for one request, bound to its parent header and socket. */
export interface RequestContext {
  readonly msg: JupyterMessage;
  readonly channel: Channel;
  reply(msgType: string, content: JsonObject, metadata?: JsonObject): void;
  publish(msgType: string, content: JsonObject): void;
}

export type RequestHandler = (ctx: RequestContext) => Promise<void>;

/**
 * ZeroMQ sockets of a Jupyter kernel: shell and control (ROUTER), iopub (PUB), stdin (ROUTER,
 * unused: the kernel does not request input), heartbeat (REP echo). Requests on each channel are
 * handled one at a time, in order; every request is wrapped in busy/idle status messages.
 */
export class KernelServer {
  private readonly session = randomUUID();
  private readonly iopub = new zmq.Publisher();
  private readonly shell = new zmq.Router();
  private readonly control = new zmq.Router();
  private readonly stdin = new zmq.Router();
  private readonly hb = new zmq.Reply();
  private closed = false;

  constructor(
    private readonly conn: ConnectionInfo,
    private readonly handler: RequestHandler,
    private readonly log: (text: string) => void,
  ) {}

  private address(port: number): string {
    return this.conn.transport === 'ipc' ? `ipc://${this.conn.ip}-${port}` : `${this.conn.transport}://${this.conn.ip}:${port}`;
  }

  async start(): Promise<void> {
    await Promise.all([
      this.iopub.bind(this.address(this.conn.iopub_port)),
      this.shell.bind(this.address(this.conn.shell_port)),
      this.control.bind(this.address(this.conn.control_port)),
      this.stdin.bind(this.address(this.conn.stdin_port)),
      this.hb.bind(this.address(this.conn.hb_port)),
    ]);
    this.publishRaw(undefined, 'status', { execution_state: 'starting' });
    void this.serve(this.shell, 'shell');
    void this.serve(this.control, 'control');
    void this.heartbeat();
  }

  private async heartbeat(): Promise<void> {
    try {
      for await (const frames of this.hb) await this.hb.send(frames);
    } catch (e) {
      if (!this.closed) this.log(`heartbeat stopped: ${String(e)}`);
    }
  }

  private publishRaw(parent: JupyterMessage | undefined, msgType: string, content: JsonObject): void {
    const frames = encode(this.conn.key, {
      identities: [Buffer.from(`kernel.${msgType}`)],
      header: childHeader(parent?.header, msgType, this.session),
      parent_header: parent?.header ?? {},
      metadata: {},
      content,
    });
    this.iopub.send(frames).catch((e: unknown) => this.log(`iopub send failed: ${String(e)}`));
  }

  private async serve(socket: zmq.Router, channel: Channel): Promise<void> {
    try {
      for await (const frames of socket) {
        let msg: JupyterMessage;
        try {
          msg = decode(this.conn.key, frames);
        } catch (e) {
          this.log(`dropped a ${channel} message: ${e instanceof Error ? e.message : String(e)}`);
          continue;
        }
        const ctx: RequestContext = {
          msg,
          channel,
          reply: (msgType, content, metadata = {}) => {
            const out = encode(this.conn.key, { identities: msg.identities, header: childHeader(msg.header, msgType, this.session), parent_header: msg.header, metadata, content });
            socket.send(out).catch((e: unknown) => this.log(`${channel} send failed: ${String(e)}`));
          },
          publish: (msgType, content) => this.publishRaw(msg, msgType, content),
        };
        this.publishRaw(msg, 'status', { execution_state: 'busy' });
        try {
          await this.handler(ctx);
        } catch (e) {
          this.log(`handler for ${msg.header.msg_type} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        } finally {
          this.publishRaw(msg, 'status', { execution_state: 'idle' });
        }
      }
    } catch (e) {
      if (!this.closed) this.log(`${channel} loop stopped: ${String(e)}`);
    }
  }

  close(): void {
    this.closed = true;
    for (const s of [this.shell, this.control, this.stdin, this.hb, this.iopub]) s.close();
  }
}
