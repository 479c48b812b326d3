import { nextSteps } from './next-steps.js';

// Issue 23: the CLI's "Next:" lines must be right for every way nestjs-apikit comes into the project.
describe('nextSteps', () => {
  const dir = '/home/me/services/weather';
  const base = { dir, installed: false, vendoredApikit: undefined, unpublishedVersion: undefined };

  it('from the registry, not installed: cd (relative to where the user is), npm install, start, test, and no note', () => {
    expect(nextSteps(base, '/home/me')).toBe('\nNext:\n  cd services/weather\n  npm install\n  npm start    # demo mode: prints what to try\n  npm test\n');
  });

  it('installed already: no npm install line; outside the current directory the path is absolute', () => {
    expect(nextSteps({ ...base, installed: true }, '/tmp')).toBe(`\nNext:\n  cd ${dir}\n  npm start    # demo mode: prints what to try\n  npm test\n`);
    expect(nextSteps({ ...base, installed: true }, dir)).toMatch(/^\nNext:\n {2}cd \.\n/);
  });

  it('from a vendored tarball: the install names it, and a note says how to move to the registry', () => {
    const text = nextSteps({ ...base, vendoredApikit: 'nestjs-apikit-0.1.0.tgz' }, '/home/me');
    expect(text).toContain('  npm install    # nestjs-apikit from vendor/nestjs-apikit-0.1.0.tgz\n');
    expect(text).toContain("\nOnce nestjs-apikit is on your registry: npm install nestjs-apikit, then delete vendor/ and the Dockerfile's COPY vendor lines.\n");
    expect(text).not.toContain('checkout');
    expect(nextSteps({ ...base, installed: true, vendoredApikit: 'nestjs-apikit-0.1.0.tgz' }, '/home/me')).not.toContain('npm install    #');
  });

  it('from a checkout whose version may be unpublished: a note on the registry range and on --apikit, installed or not', () => {
    for (const installed of [false, true]) {
      const text = nextSteps({ ...base, installed, unpublishedVersion: '0.1.0' }, '/home/me');
      expect(text).toContain('\nThis generator runs from a checkout: the project asks the registry for nestjs-apikit@^0.1.0.\n');
      expect(text).toContain('--apikit <tarball> (npm run build && npm pack, in the checkout)');
      expect(text.includes('  npm install\n')).toBe(!installed);
    }
  });
});
