// The role gates (shared by the badges and the upload actions): the cloud's role strings,
// which role an upload needs, and the reason given when allowed, refused or unknown.
import { roleKindOf, roleNeededFor, uploadGate } from '../../../src/shared/cloud-roles';
import { deploymentItemTypes } from '../../../src/shared/deployment-config';

describe('cloud roles', () => {
  it('reads the roles as the cloud spells them', () => {
    expect(roleKindOf('oem')).toBe('oem');
    expect(roleKindOf('service provider')).toBe('service-provider');
    expect(roleKindOf('Service_Provider')).toBe('service-provider');
    expect(roleKindOf('fleet owner')).toBe('fleet-owner');
    expect(roleKindOf('admin')).toBe('other');
    expect(roleKindOf(undefined)).toBeUndefined();
    expect(roleKindOf(' ')).toBeUndefined();
  });

  it('services need a service provider, layer and component bundles an OEM user, each with the reason', () => {
    expect(uploadGate('service', 'service provider')).toMatchObject({ needed: 'service-provider', allowed: true });
    expect(uploadGate('deployment', 'oem')).toMatchObject({ needed: 'oem', allowed: true });
    const refused = uploadGate('deployment', 'service provider');
    expect(refused.allowed).toBe(false);
    expect(refused.reason).toMatch(/Layer and component bundles are uploaded by OEM users.*Service provider.*will refuse/);
    expect(refused.refused).toBe(true);
    // The spec names service providers for services but does not say the cloud refuses an OEM's: the cloud decides.
    const oemService = uploadGate('service', 'oem');
    expect(oemService).toMatchObject({ allowed: false });
    expect(oemService.refused).toBeUndefined();
    expect(oemService.reason).toMatch(/may refuse it \(HTTP 403\)/);
    const unknown = uploadGate('service', undefined);
    expect(unknown.allowed).toBeUndefined();
    expect(unknown.reason).toMatch(/has not told this certificate's role/);
  });

  it('a deployment bundle of services is a service provider\'s upload; one with layers or components an OEM\'s', () => {
    expect(roleNeededFor('deployment', ['service', 'service'])).toBe('service-provider');
    expect(roleNeededFor('deployment', ['layer'])).toBe('oem');
    expect(roleNeededFor('deployment', ['component', 'service'])).toBe('oem');
    expect(roleNeededFor('deployment', [])).toBe('oem');
    expect(roleNeededFor('deployment')).toBe('oem');
    const sp = uploadGate('deployment', 'service provider', ['service']);
    expect(sp).toMatchObject({ needed: 'service-provider', allowed: true });
    expect(sp.reason).toMatch(/Deployment bundles of services are uploaded by service providers/);
    expect(uploadGate('deployment', 'oem', ['service']).allowed).toBe(false);
  });

  it('reads the item types from config.yaml as written, even when it does not validate', () => {
    const text = ['schemaVersion: 2', 'items:', '  - identity: {type: service, codename: a}', '  - identity: {codename: b}', '  - identity: {type: layer}', ''].join('\n');
    expect(deploymentItemTypes(text)).toEqual(['service', '', 'layer']);
    expect(deploymentItemTypes('items: [')).toEqual([]);
  });
});
