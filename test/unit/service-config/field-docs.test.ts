// The form's words for the credential fields: a protected PKCS#12 works (it asks for its
// password), so no doc may say the password must be empty; an empty TLS field falls back to
// the signing credentials, as upload does (README, Upload).
import { fieldAt } from '../../../src/shared/service-config';
import { renderServiceConfigTemplate } from '../../../src/shared/service-config/template';

describe('credential field docs', () => {
  it.each([['build', 'sign_pkcs12'], ['publish', 'tls_pkcs12']])('%s.%s says a protected PKCS#12 asks for its password', (section, key) => {
    const doc = fieldAt([section, key])?.doc ?? '';
    expect(doc).not.toMatch(/\(empty password\)/);
    expect(doc).toContain('a protected one asks for its password');
  });

  it('publish.tls_pkcs12 says what an empty field means', () => {
    expect(fieldAt(['publish', 'tls_pkcs12'])?.doc).toContain('Empty (and no `tls_key`): the signing credentials of `build`.');
  });

  it("the new service's config.yaml says the same of sign_pkcs12", () => {
    const text = renderServiceConfigTemplate();
    expect(text).not.toMatch(/empty password/);
    expect(text).toContain('a\n    # protected one asks for its password');
  });
});
