import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { channelNames, eventNameList, isChannelName, isEventName } from '../../../src/shared/channels';
import { contract, events } from '../../../src/shared/contract';

describe('src/shared/channels matches the contract', () => {
  it('lists exactly the contract channels', () => {
    expect([...channelNames].sort()).toEqual(Object.keys(contract).sort());
    expect(new Set(channelNames).size).toBe(channelNames.length);
  });

  it('lists exactly the contract events', () => {
    expect([...eventNameList].sort()).toEqual(Object.keys(events).sort());
  });

  it('rejects inherited property names', () => {
    for (const name of ['__proto__', 'constructor', 'hasOwnProperty', 'toString']) {
      expect(isChannelName(name)).toBe(false);
      expect(isEventName(name)).toBe(false);
    }
  });
});

describe('electron stays behind parameters', () => {
  const dir = path.resolve(__dirname, '../../../src/main/electron');
  const files = [
    ...readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'main.ts').map((f) => path.join(dir, f)),
    path.resolve(__dirname, '../../../src/preload/api.ts'),
    path.resolve(__dirname, '../../../src/shared/channels.ts'),
  ];

  it.each(files.map((f) => [path.relative(path.resolve(__dirname, '../../..'), f), f]))('%s does not import electron', (_rel, file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/);
  });

  it('the preload imports no zod (it must stay a small sandboxed bundle)', () => {
    const text = readFileSync(path.resolve(__dirname, '../../../src/preload/api.ts'), 'utf8');
    expect(text).not.toMatch(/from\s+['"]zod['"]/);
    for (const m of text.matchAll(/^import (?!type )[^;]*from\s+['"]([^'"]+)['"]/gm)) {
      expect(m[1]).toBe('../shared/channels');
    }
  });
});
