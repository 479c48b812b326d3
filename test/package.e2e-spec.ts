import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import ts from 'typescript';
import { dirname, join, posix, relative } from 'node:path';
import { installTarball, packFreshCheckout, REPO, run, type PackedTarball } from './fixtures/packed-tarball.fixture.js';

// The tarball `npm pack` makes from a fresh checkout (prepack builds it), as a user installs it: what
// it ships (LICENSE, maps that resolve, the manifest's fields, no generator-only dependency), and a
// consumer project that compiles against its types (NodeNext, strict) and runs.

const FIXTURE = join(REPO, 'test', 'fixtures', 'consumer');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const builtins = new Set(builtinModules);

interface Manifest {
  license: string;
  keywords: string[];
  repository: { type: string; url: string };
  homepage: string;
  bugs: { url: string };
  sideEffects: boolean | string[];
  bin: Record<string, string>;
  exports: Record<string, string | { default: string }>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
}

function filesUnder(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path, root) : [relative(root, path).split('\\').join('/')];
  });
}

/** Relative module specifiers (static, re-export and dynamic), resolved against the importing file. */
function relativeImports(file: string, source: string): string[] {
  const specifiers = [...source.matchAll(/(?:^|[\s;])(?:import|export)\b[^'"]*?\bfrom\s*['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/gm)];
  return specifiers.map((match) => posix.join(posix.dirname(file), match[1] ?? match[2]));
}

/** The packages (not node: builtins) a compiled module imports, statically or dynamically. */
function packageImports(source: string): string[] {
  const specifiers = [...source.matchAll(/\bfrom\s*['"]([^'".][^'"]*)['"]|\bimport\(\s*['"]([^'".][^'"]*)['"]\s*\)|^import\s*['"]([^'".][^'"]*)['"]/gm)].map(
    (match) => match[1] ?? match[2] ?? match[3],
  );
  return specifiers
    .filter((specifier) => !specifier.startsWith('node:'))
    .map((specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]))
    .filter((name) => !builtins.has(name));
}

/**
 * The top-level statements of a compiled module that act when it is imported, beyond defining its own
 * bindings: a bare import, a call, an await, an assignment to something else. Allowed: imports,
 * exports, declarations (their initializers only make the module's own values), decorators applied
 * to the module's own classes (`__decorate(...)`: what they record, Nest's and class-validator's
 * metadata, is keyed by that class, so it matters only where the class is used), and enum IIFEs.
 */
function sideEffectStatements(source: string): string[] {
  const file = ts.createSourceFile('module.js', source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS);
  const decorates = (node: ts.Node): boolean => ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === '__decorate';
  const harmless = (statement: ts.Statement): boolean => {
    if (ts.isImportDeclaration(statement)) return statement.importClause !== undefined;
    if (ts.isExportDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isVariableStatement(statement)) return true;
    if (ts.isEmptyStatement(statement)) return true;
    if (!ts.isExpressionStatement(statement)) return false;
    const expression = statement.expression;
    if (decorates(expression)) return true;
    if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(expression.left) && decorates(expression.right)) return true;
    // enum E {...} compiles to (function (E) { ... })(E || (E = {}));
    return ts.isCallExpression(expression) && ts.isParenthesizedExpression(expression.expression) && ts.isFunctionExpression(expression.expression.expression);
  };
  return file.statements.filter((statement) => !harmless(statement)).map((statement) => statement.getText(file).split('\n')[0]);
}

describe('the packed nestjs-apikit tarball', () => {
  // Under the repository, so that node resolution walks up to its node_modules for the peers.
  const work = join(REPO, '.tmp', `package-${randomBytes(6).toString('hex')}`);
  const consumer = join(work, 'consumer');
  let packed: PackedTarball;
  let pkg: string;
  let manifest: Manifest;
  const read = (path: string) => readFileSync(join(pkg, path), 'utf8');

  beforeAll(() => {
    mkdirSync(work, { recursive: true });
    packed = packFreshCheckout(work);
    pkg = installTarball(packed.file, consumer);
    manifest = JSON.parse(read('package.json')) as Manifest;
    copyFileSync(join(FIXTURE, 'consumer-main.ts'), join(consumer, 'consumer-main.ts'));
    copyFileSync(join(FIXTURE, 'tsconfig.consumer.json'), join(consumer, 'tsconfig.json'));
    copyFileSync(join(FIXTURE, 'package.consumer.json'), join(consumer, 'package.json'));
  }, 300_000);

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('is built by prepack: packing a checkout without dist/ ships the compiled library and its declarations', () => {
    expect(packed.checkoutHadDist).toBe(false);
    expect(manifest.scripts.prepack).toMatch(/\bnpm run build\b/);
    const entryFiles = [manifest.bin['nestjs-apikit'], ...Object.values(manifest.exports).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)))];
    expect(entryFiles.length).toBeGreaterThanOrEqual(5);
    for (const file of entryFiles) expect(packed.entries).toContain(posix.normalize(file));
    expect(packed.entries).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/testing/index.js']));
  });

  it('ships the library, its TypeScript sources and the generator templates, and no specs, tests, bench or compiled sample', () => {
    const stray = packed.entries.filter((path) => !path.startsWith('templates/') && /\.(spec|e2e-spec)\.|(^|\/)(test|bench)\/|^dist\/(?!lib\/)/.test(path));
    expect(stray).toEqual([]);
    const outside = packed.entries.filter((path) => !['package.json', 'README.md', 'LICENSE'].includes(path) && !/^(dist\/lib|lib|sample|templates)\//.test(path));
    expect(outside).toEqual([]);
  });

  it('has an MIT LICENSE, as package.json says, in the tarball as in the repository', () => {
    expect(manifest.license).toBe('MIT');
    const license = read('LICENSE');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} nestjs-apikit contributors\n/);
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
    expect(license).toBe(readFileSync(join(REPO, 'LICENSE'), 'utf8'));
  });

  it('names its repository, homepage and issue tracker, and the keywords a user would search', () => {
    const repo = 'github.com/lsst-sqre/nestjs-apikit';
    expect(manifest.repository).toEqual({ type: 'git', url: `git+https://${repo}.git` });
    expect(manifest.homepage).toBe(`https://${repo}#readme`);
    expect(manifest.bugs).toEqual({ url: `https://${repo}/issues` });
    expect(manifest.keywords).toEqual(expect.arrayContaining(['nestjs', 'github', 'oauth2-proxy', 'health', 'kubernetes', 'microservice']));
  });

  it('ships a source map and a declaration map beside every module, each of whose sources is in the tarball', () => {
    const shipped = new Set(packed.entries);
    const modules = packed.entries.filter((path) => path.startsWith('dist/lib/') && path.endsWith('.js'));
    const declarations = packed.entries.filter((path) => path.startsWith('dist/lib/') && path.endsWith('.d.ts'));
    expect(modules.length).toBeGreaterThan(50);
    const unresolved: string[] = [];
    for (const [file, map] of [...modules.map((path) => [path, `${path}.map`]), ...declarations.map((path) => [path, `${path}.map`])]) {
      if (!shipped.has(map)) {
        unresolved.push(`${file}: no ${map}`);
        continue;
      }
      expect(read(file)).toContain(`//# sourceMappingURL=${posix.basename(map)}`);
      const { sources, sourceRoot = '', sourcesContent } = JSON.parse(read(map)) as { sources: string[]; sourceRoot?: string; sourcesContent?: (string | null)[] };
      expect(sources.length).toBeGreaterThan(0);
      sources.forEach((source, index) => {
        const path = posix.normalize(posix.join(posix.dirname(map), sourceRoot, source));
        if (!shipped.has(path) && typeof sourcesContent?.[index] !== 'string') unresolved.push(`${map}: ${source} (${path})`);
      });
    }
    expect(unresolved).toEqual([]);
  });

  it('is free of import side effects (sideEffects: false): no module its entry points reach does anything when imported', () => {
    expect(manifest.sideEffects).toBe(false);
    const entries = Object.entries(manifest.exports)
      .filter(([subpath]) => subpath !== './package.json')
      .map(([, target]) => posix.normalize(typeof target === 'string' ? target : target.default));
    const reached = new Set<string>();
    const queue = [...entries];
    while (queue.length > 0) {
      const file = queue.shift()!;
      if (reached.has(file)) continue;
      expect(packed.entries).toContain(file);
      reached.add(file);
      queue.push(...relativeImports(file, read(file)));
    }
    expect(reached.size).toBeGreaterThan(50);
    expect(reached.has(posix.normalize(manifest.bin['nestjs-apikit']))).toBe(false); // the CLI runs main() at its top level
    const effects = [...reached].flatMap((file) => {
      return sideEffectStatements(read(file)).map((statement) => `${file}: ${statement}`);
    });
    expect(effects).toEqual([]);
    // and the check sees one when there is one, and not in what tsc emits for decorators and enums
    const sample = "import 'reflect-metadata';\nimport { a } from './a.js';\nprocess.on('exit', stop);\nawait main();\nglobalThis.x = 1;\n" +
      'let C = class C {};\nC = __decorate([Injectable()], C);\n__decorate([Get()], C.prototype, "m", null);\nvar E;\n(function (E) { E["A"] = "a"; })(E || (E = {}));\n';
    expect(sideEffectStatements(sample)).toEqual(["import 'reflect-metadata';", "process.on('exit', stop);", 'await main();', 'globalThis.x = 1;']);
  });

  it("depends only on what the library imports at run time: the generator's own packages stay out of a service's production install", () => {
    const compiled = filesUnder(join(pkg, 'dist', 'lib')).filter((path) => path.endsWith('.js'));
    const runtime = new Set(compiled.filter((path) => !path.startsWith('generator/')).flatMap((path) => packageImports(read(`dist/lib/${path}`))));
    const generator = new Set(compiled.filter((path) => path.startsWith('generator/')).flatMap((path) => packageImports(read(`dist/lib/${path}`))));
    const dependencies = Object.keys(manifest.dependencies);
    // Each production dependency is imported by the library outside the generator...
    expect(dependencies.filter((name) => !runtime.has(name))).toEqual([]);
    // ...and what only the generator imports is no production dependency (an optional peer, or none).
    const generatorOnly = [...generator].filter((name) => !runtime.has(name));
    for (const name of generatorOnly) {
      expect(manifest.dependencies[name]).toBeUndefined();
      if (manifest.peerDependencies[name] !== undefined) expect(manifest.peerDependenciesMeta[name]?.optional).toBe(true);
    }
    expect(manifest.dependencies['validate-npm-package-name']).toBeUndefined();
    // Every package the library imports is declared: a dependency, or a peer the service installs.
    const declared = new Set([...dependencies, ...Object.keys(manifest.peerDependencies)]);
    expect([...runtime, ...generator].filter((name) => !declared.has(name))).toEqual([]);
  });

  it('accepts every node-redis major the README names, from the lowest to the one it is developed against', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const named = [...readme.matchAll(/node-redis[^.]*?\bv(\d+)\b/g)].map((match) => Number(match[1]));
    expect(named.length).toBeGreaterThan(0);
    const developed = Number(/(\d+)/.exec(manifest.devDependencies?.redis ?? JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).devDependencies.redis)![1]);
    const majors = manifest.peerDependencies.redis.split('||').map((part) => Number(/^\s*\^(\d+)\./.exec(part)![1]));
    for (let major = Math.min(...named); major <= Math.max(developed, ...named); major++) expect(majors).toContain(major);
    expect(manifest.peerDependenciesMeta.redis).toEqual({ optional: true });
  });

  it('compiles a consumer against its types and serves metadata, health and BackendError', () => {
    expect(existsSync(join(consumer, 'node_modules', 'nestjs-apikit', 'dist', 'lib', 'index.js'))).toBe(true);
    run(process.execPath, [TSC, '-p', join(consumer, 'tsconfig.json')], consumer, 180_000);
    const output = run(process.execPath, [join(consumer, 'dist', 'consumer-main.js')], consumer, 60_000);
    const result = JSON.parse(output.trim().split('\n').pop() ?? '') as Record<string, unknown>;
    expect(result).toEqual({
      metadataStatus: 200,
      metadata: {
        name: 'consumer',
        version: '1.2.3',
        repository: 'https://example.com/consumer',
        description: 'Consumer of the packed tarball',
        api_version: '1.0',
        auth: 'none',
      },
      failStatus: 502,
      failBody: { reason: 'bad horse', status_code: 502, error_content: 'thoroughbred of sin' },
      health: 'OK',
    });
    expect(dirname(join(pkg, 'package.json'))).toBe(join(consumer, 'node_modules', 'nestjs-apikit'));
  });
});
