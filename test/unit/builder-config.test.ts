// Validates electron-builder.yml offline the way electron-builder does at build time:
// ajv against the JSON schema that app-builder-lib ships (unknown keys are errors, since
// the schema sets additionalProperties: false throughout).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv, { type AnySchemaObject, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const require_ = createRequire(path.join(root, 'package.json'));

function findScheme(): string {
  // app-builder-lib is a dependency of electron-builder; resolve it from there, then from the root.
  const candidates: string[] = [];
  for (const from of [path.join(root, 'node_modules/electron-builder/package.json'), path.join(root, 'package.json')]) {
    try {
      candidates.push(path.join(path.dirname(createRequire(from).resolve('app-builder-lib/package.json')), 'scheme.json'));
    } catch {
      /* try the next one */
    }
  }
  candidates.push(path.join(root, 'node_modules/app-builder-lib/scheme.json'));
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`app-builder-lib/scheme.json not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Picks the ajv flavour for the schema's declared draft (draft-07 today). */
function compile(schema: AnySchemaObject): ValidateFunction {
  const draft = String(schema.$schema ?? '');
  const options = { allErrors: true, strict: false } as const;
  if (draft.includes('2020-12')) return new Ajv2020(options).compile(schema);
  if (draft.includes('2019-09')) return new Ajv2019(options).compile(schema);
  const ajv = new Ajv(options);
  if (draft.includes('draft-06')) ajv.addMetaSchema(require_('ajv/dist/refs/json-schema-draft-06.json'));
  return ajv.compile(schema);
}

type Config = Record<string, unknown> & {
  publish?: unknown;
  electronFuses?: Record<string, boolean>;
  files?: string[];
  directories?: Record<string, string>;
  linux?: Record<string, unknown>;
};

describe('electron-builder.yml', () => {
  let validate: ValidateFunction;
  let config: Config;
  let schemePath: string;

  beforeAll(() => {
    schemePath = findScheme();
    validate = compile(JSON.parse(readFileSync(schemePath, 'utf8')));
    config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Config;
  });

  const errorsOf = (v: ValidateFunction) => (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);

  it('is valid against app-builder-lib/scheme.json', () => {
    const valid = validate(structuredClone(config));
    expect(errorsOf(validate), `schema: ${schemePath}`).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the validator rejects unknown keys, at the top and nested, as electron-builder does', () => {
    expect(validate({ ...structuredClone(config), bogusOption: true })).toBe(false);
    expect(validate({ ...structuredClone(config), linux: { ...config.linux, bogus: 1 } })).toBe(false);
    expect(validate({ ...structuredClone(config), electronFuses: { ...config.electronFuses, runAsNodee: false } })).toBe(false);
  });

  it('names the app and its output folder', () => {
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(config.productName).toBe('Bundle Studio');
    expect(config.directories?.output).toBe('release');
    expect(config.asar).toBe(true);
  });

  it('publishing is off', () => {
    expect('publish' in config).toBe(true);
    expect(config.publish).toBeNull();
  });

  it('flips the security fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('targets AppImage and deb, nsis and dmg', () => {
    const targets = (p: string) => (config[p] as { target: unknown[] }).target;
    expect(targets('linux')).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Development');
    expect(config.linux?.maintainer).toBeTruthy();
    expect(targets('win')).toEqual(['nsis']);
    expect(targets('mac')).toEqual(['dmg']);
  });

  it('packs the build output and package.json, and the icon exists at 512x512', () => {
    expect(config.files).toEqual(expect.arrayContaining(['dist/**/*', 'package.json']));
    const icon = readFileSync(path.join(root, String(config.icon)));
    expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(icon.readUInt32BE(16)).toBe(512);
    expect(icon.readUInt32BE(20)).toBe(512);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/main/electron.js');
  });
});
