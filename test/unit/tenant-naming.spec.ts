import { assertValidDomain, assertValidSlug, normalizeHost, roleNameFor, schemaNameFor } from '../../src/platform/tenant';

describe('clinic slugs', () => {
  it.each(['ab', 'ahmed', 'dr-ahmed-2', `a${'b'.repeat(30)}`])('accepts %s', (slug) => {
    expect(assertValidSlug(slug)).toBe(slug);
  });

  it.each(['a', 'Ahmed', '2ahmed', '-ahmed', 'dr_ahmed', 'dr.ahmed', `a${'b'.repeat(31)}`, '', 'ahmed;drop'])('refuses %p', (slug) => {
    expect(() => assertValidSlug(slug)).toThrow(expect.objectContaining({ code: 'invalid_slug', status: 422 }));
  });

  it.each(['www', 'admin', 'api', 'public', 'platform', 'static', 'assets'])('reserves %s', (slug) => {
    expect(() => assertValidSlug(slug)).toThrow(expect.objectContaining({ code: 'reserved_slug' }));
  });

  it('names the schema after the slug and the role after the platform and the slug', () => {
    expect(schemaNameFor('dr-ahmed')).toBe('t_dr_ahmed');
    const a = roleNameFor('0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', 'dr-ahmed');
    const b = roleNameFor('99999999-4b5a-6978-8796-a5b4c3d2e1f0', 'dr-ahmed');
    expect(a).toBe('c0f1e2d3c4b5a_dr_ahmed');
    expect(b).not.toBe(a); // two databases on one cluster never share a clinic role
    expect(roleNameFor('0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', `a${'b'.repeat(30)}`).length).toBeLessThanOrEqual(63);
  });
});

describe('host names', () => {
  it.each([
    ['DEMO.localhost:3000', 'demo.localhost'],
    ['demo.localhost.', 'demo.localhost'],
    ['Clinic.Example.COM.:443', 'clinic.example.com'],
    ['[::1]:3000', '[::1]'],
    ['', ''],
    [undefined, ''],
    ['<script>', ''],
    ['a b.localhost', ''],
  ])('normalizes %p to %p', (raw, expected) => {
    expect(normalizeHost(raw)).toBe(expected);
  });

  it('accepts a custom domain, lower-cased and without its trailing dot', () => {
    expect(assertValidDomain('Clinic.Example.com.', 'localhost')).toBe('clinic.example.com');
  });

  it.each(['https://clinic.example.com', 'clinic.example.com/path', 'localhost', 'no-dot', 'x.clinics.example.com', 'clinics.example.com'])(
    'refuses %p as a custom domain under base clinics.example.com',
    (host) => {
      expect(() => assertValidDomain(host, 'clinics.example.com')).toThrow(expect.objectContaining({ code: 'invalid_domain' }));
    },
  );
});
