import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { forwardPath } from './tslab.js';

describe('forwardPath', () => {
  const project = '/work/main/node_modules';
  it('forwards @sigmatiq lookups from any folder to the project', () => {
    expect(forwardPath('/home/u/nb/node_modules/@sigmatiq/engine/package.json', project)).toBe(path.join(project, '@sigmatiq/engine/package.json'));
    expect(forwardPath('/tmp/node_modules/@sigmatiq', project)).toBe(path.join(project, '@sigmatiq'));
  });
  it('leaves other packages and look-alike scopes alone', () => {
    expect(forwardPath('/home/u/nb/node_modules/@types/node/index.d.ts', project)).toBeNull();
    expect(forwardPath('/home/u/nb/node_modules/@sigmatiqx/a', project)).toBeNull();
    expect(forwardPath(path.join(project, '@sigmatiq/engine'), project)).toBeNull();
  });
});
