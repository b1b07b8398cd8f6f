import { readFileSync } from 'node:fs';
import { checkServiceConfig } from '../../../src/shared/service-config';
import { REAL_FIXTURES } from '../../support/shared-fixtures';

const real = REAL_FIXTURES;
const read = (name: string) => readFileSync(`${real}/demo-services/${name}/meta/config.yaml`, 'utf8');
const errorsOf = (text: string) => checkServiceConfig(text).diagnostics.filter((d) => d.severity === 'error');

describe('real demo-services configs', () => {
  it.each(['cpu_load', 'kuksa-test-client'])('%s is valid', (name) => {
    expect(errorsOf(read(name))).toEqual([]);
  });

  it('cpu_load has no warnings at all (it has a service uid and a version)', () => {
    expect(checkServiceConfig(read('cpu_load')).diagnostics).toEqual([]);
  });

  it('kuksa-test-client only warns about its empty service uid', () => {
    const list = checkServiceConfig(read('kuksa-test-client')).diagnostics;
    expect(list.map((d) => [d.severity, d.code, d.path, d.line, d.column])).toEqual([
      ['warning', 'empty-service-uid', 'publish.service_uid', 19, 5],
    ]);
  });

  it.each([
    ['demo_insurance', 17],
    ['monkey_zephyr', 16],
    ['ram_consumer', 16],
    ['unikernel_pvcalls', 16],
  ])('%s is invalid only for its missing publish.version', (name, line) => {
    const errors = errorsOf(read(name));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'missing-version', path: 'publish.version', line, column: 1 });
    expect(errors[0].message).toContain('version');
  });

  it('the config covered by the real package.sign is valid', () => {
    expect(errorsOf(readFileSync(`${real}/aos-signer-1x-cpu_load/config.yaml`, 'utf8'))).toEqual([]);
  });
});
