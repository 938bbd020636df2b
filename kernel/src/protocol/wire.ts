import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * The Jupyter wire protocol (messaging spec 5.3): frames, HMAC-SHA256 signatures, headers.
 * Pure functions, no sockets: the server feeds frames in and sends frames out.
 */
export const PROTOCOL_VERSION = '5.3';
const DELIMITER = '<IDS|MSG>';

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export type JsonObject = Record<string, unknown>;

export interface JupyterMessage {
  identities: Buffer[];
  header: MessageHeader;
  parent_header: MessageHeader | Record<string, never>;
  metadata: JsonObject;
  content: JsonObject;
  buffers: Buffer[];
}

export class WireError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'WireError';
    this.code = code;
  }
}

export function sign(key: string, parts: readonly (string | Buffer)[]): string {
  if (key === '') return '';
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest('hex');
}

function parseJsonObject(frame: Buffer | undefined, what: string): JsonObject {
  if (frame === undefined) throw new WireError('WIRE_TRUNCATED', `message has no ${what} frame`);
  const value: unknown = JSON.parse(frame.toString('utf8'));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WireError('WIRE_BAD_FRAME', `${what} frame is not a JSON object`);
  }
  return value as JsonObject;
}

function isHeader(value: JsonObject): value is JsonObject & MessageHeader {
  return typeof value['msg_id'] === 'string' && typeof value['msg_type'] === 'string' && typeof value['session'] === 'string';
}

/** Decode the frames of a message received on a ROUTER socket; verifies the signature. */
export function decode(key: string, frames: readonly Buffer[]): JupyterMessage {
  const delimiterIndex = frames.findIndex((f) => f.toString('utf8') === DELIMITER);
  if (delimiterIndex < 0) throw new WireError('WIRE_NO_DELIMITER', 'message has no <IDS|MSG> delimiter');
  const signature = frames[delimiterIndex + 1]?.toString('utf8') ?? '';
  const body = frames.slice(delimiterIndex + 2, delimiterIndex + 6);
  if (body.length < 4) throw new WireError('WIRE_TRUNCATED', 'message has fewer than four JSON frames');
  if (key !== '') {
    const expected = Buffer.from(sign(key, body), 'utf8');
    const got = Buffer.from(signature, 'utf8');
    if (expected.length !== got.length || !timingSafeEqual(expected, got)) {
      throw new WireError('WIRE_BAD_SIGNATURE', 'message signature does not match');
    }
  }
  const header = parseJsonObject(body[0], 'header');
  if (!isHeader(header)) throw new WireError('WIRE_BAD_FRAME', 'header lacks msg_id, msg_type or session');
  return {
    identities: frames.slice(0, delimiterIndex),
    header,
    parent_header: parseJsonObject(body[1], 'parent header') as unknown as MessageHeader,
    metadata: parseJsonObject(body[2], 'metadata'),
    content: parseJsonObject(body[3], 'content'),
    buffers: frames.slice(delimiterIndex + 6),
  };
}

/** Encode a message to frames, signed with `key`. */
export function encode(key: string, msg: Omit<JupyterMessage, 'buffers'> & { buffers?: Buffer[] }): Buffer[] {
  const body = [msg.header, msg.parent_header, msg.metadata, msg.content].map((part) => Buffer.from(JSON.stringify(part), 'utf8'));
  return [...msg.identities, Buffer.from(DELIMITER, 'utf8'), Buffer.from(sign(key, body), 'utf8'), ...body, ...(msg.buffers ?? [])];
}

/** A new header for a message sent in reply to (or on behalf of) `parent`. */
export function childHeader(parent: MessageHeader | undefined, msgType: string, session: string): MessageHeader {
  return {
    msg_id: randomUUID(),
    session: parent?.session ?? session,
    username: parent?.username ?? 'kernel',
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}
