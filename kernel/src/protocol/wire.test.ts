import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { childHeader, decode, encode, sign, WireError } from './wire.js';

const key = 'secret-key';
const header = { msg_id: 'm1', session: 's1', username: 'u', date: '2026-01-01T00:00:00Z', msg_type: 'execute_request', version: '5.3' };

describe('wire protocol', () => {
  it('signs with HMAC-SHA256 over the four JSON frames (oracle: node:crypto directly)', () => {
    const parts = ['{"a":1}', '{}', '{}', '{"code":"1"}'];
    const oracle = createHmac('sha256', key).update(parts.join('')).digest('hex');
    expect(sign(key, parts)).toBe(oracle);
    expect(sign('', parts)).toBe('');
  });

  it('round-trips a message with identities and verifies the signature', () => {
    const frames = encode(key, {
      identities: [Buffer.from('id-1')],
      header,
      parent_header: {},
      metadata: {},
      content: { code: '1 + 1', silent: false },
    });
    const msg = decode(key, frames);
    expect(msg.identities.map((b) => b.toString())).toEqual(['id-1']);
    expect(msg.header).toEqual(header);
    expect(msg.content).toEqual({ code: '1 + 1', silent: false });
  });

  it('rejects a tampered message and a message without delimiter', () => {
    const frames = encode(key, { identities: [], header, parent_header: {}, metadata: {}, content: { code: 'a' } });
    const tampered = frames.slice();
    tampered[tampered.length - 1] = Buffer.from('{"code":"b"}');
    expect(() => decode(key, tampered)).toThrow(WireError);
    try {
      decode(key, tampered);
    } catch (e) {
      expect((e as WireError).code).toBe('WIRE_BAD_SIGNATURE');
    }
    expect(() => decode(key, [Buffer.from('x')])).toThrow(/delimiter/);
  });

  it('child headers keep the parent session and get fresh ids', () => {
    const a = childHeader(header, 'status', 'kernel-session');
    const b = childHeader(header, 'status', 'kernel-session');
    expect(a.session).toBe('s1');
    expect(a.msg_id).not.toBe(b.msg_id);
    expect(childHeader(undefined, 'status', 'kernel-session').session).toBe('kernel-session');
  });
});
