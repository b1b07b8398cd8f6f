// The role gates (shared by the badges and the upload actions): the cloud's role strings,
// which role an upload needs, and the reason given when allowed, refused or unknown.
import { roleKindOf, uploadGate } from '../../../src/shared/cloud-roles';

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
    const unknown = uploadGate('service', undefined);
    expect(unknown.allowed).toBeUndefined();
    expect(unknown.reason).toMatch(/has not told this certificate's role/);
  });
});
