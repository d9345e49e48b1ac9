/**
 * Which environment variables a program reads, found in its own source: the keys of every zod
 * schema passed to `parseEnv` (the services' env spec) and every `process.env.NAME` or
 * `env.NAME`, in the entry file and everything it imports (relative imports and the workspace's
 * `@kafkadog/*` libraries). Read statically, so nothing is started and no list is kept by hand.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One variable and the first place that reads it (`file:line`, relative to the repository). */
export type EnvReads = Map<string, string>;

const UPPER = /^[A-Z][A-Z0-9_]*$/;

const parsedFiles = new Map<string, { text: string; parsed: Parsed }>();

interface Parsed {
  readonly file: string;
  readonly source: ts.SourceFile;
}

/** The `@kafkadog/*` packages of the workspace and the source file each one exports. */
function workspaceSources(root: string): Map<string, string> {
  const sources = new Map<string, string>();
  for (const group of ['backend/libs', 'backend/apps']) {
    const dir = path.join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const manifest = path.join(dir, name, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name?: string;
        exports?: { '.'?: { source?: string } };
      };
      const source = pkg.exports?.['.']?.source;
      if (pkg.name && source) sources.set(pkg.name, path.join(dir, name, source));
    }
  }
  return sources;
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  const stem = base.replace(/\.(js|mjs|cjs|jsx)$/, '');
  const candidates = [
    `${stem}.ts`,
    `${stem}.tsx`,
    `${stem}.mts`,
    base,
    path.join(base, 'index.ts'),
    path.join(base, 'index.tsx'),
  ];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

class SourceGraph {
  readonly #root: string;
  readonly #workspace: Map<string, string>;
  readonly #parsed = new Map<string, Parsed>();

  constructor(root: string) {
    this.#root = root;
    this.#workspace = workspaceSources(root);
  }

  parse(file: string): Parsed {
    let parsed = this.#parsed.get(file);
    if (!parsed) {
      const text = readFileSync(file, 'utf8');
      // Parsing is most of the cost: a file is parsed again only when its text changed.
      const cached = parsedFiles.get(file);
      if (cached?.text === text) {
        parsed = cached.parsed;
      } else {
        const kind = file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
        const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
        parsed = { file, source };
        parsedFiles.set(file, { text, parsed });
      }
      this.#parsed.set(file, parsed);
    }
    return parsed;
  }

  resolve(from: string, specifier: string): string | undefined {
    if (specifier.startsWith('.')) return resolveRelative(from, specifier);
    return this.#workspace.get(specifier);
  }

  where(node: ts.Node): string {
    const source = node.getSourceFile();
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    return `${path.relative(this.#root, source.fileName)}:${line + 1}`;
  }

  /** The files `file` imports (statically or with `import()`), resolved; packages skipped. */
  imports(file: string): string[] {
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
      let specifier: string | undefined;
      if (
        (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
        node.moduleSpecifier &&
        ts.isStringLiteral(node.moduleSpecifier)
      ) {
        specifier = node.moduleSpecifier.text;
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        specifier = node.arguments[0].text;
      }
      if (specifier !== undefined) {
        const resolved = this.resolve(file, specifier);
        if (resolved) found.push(resolved);
      }
      ts.forEachChild(node, visit);
    };
    visit(this.parse(file).source);
    return found;
  }

  /** The top-level declaration of `name` in `file`, following one import if it comes from one. */
  declaration(
    file: string,
    name: string,
  ): { file: string; initializer: ts.Expression } | undefined {
    const { source } = this.parse(file);
    for (const statement of source.statements) {
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (
            ts.isIdentifier(declaration.name) &&
            declaration.name.text === name &&
            declaration.initializer
          ) {
            return { file, initializer: declaration.initializer };
          }
        }
      }
      if (
        ts.isImportDeclaration(statement) &&
        ts.isStringLiteral(statement.moduleSpecifier) &&
        statement.importClause?.namedBindings &&
        ts.isNamedImports(statement.importClause.namedBindings)
      ) {
        for (const element of statement.importClause.namedBindings.elements) {
          if (element.name.text !== name) continue;
          const target = this.resolve(file, statement.moduleSpecifier.text);
          const exported = (element.propertyName ?? element.name).text;
          if (target) return this.exportedDeclaration(target, exported, new Set());
        }
      }
    }
    return undefined;
  }

  /** An exported name of `file`, through `export * from` and `export { x } from` re-exports. */
  private exportedDeclaration(
    file: string,
    name: string,
    seen: Set<string>,
  ): { file: string; initializer: ts.Expression } | undefined {
    if (seen.has(file)) return undefined;
    seen.add(file);
    const own = this.declaration(file, name);
    if (own) return own;
    for (const statement of this.parse(file).source.statements) {
      if (
        !ts.isExportDeclaration(statement) ||
        !statement.moduleSpecifier ||
        !ts.isStringLiteral(statement.moduleSpecifier)
      ) {
        continue;
      }
      const target = this.resolve(file, statement.moduleSpecifier.text);
      if (!target) continue;
      const found = this.exportedDeclaration(target, name, seen);
      if (found) return found;
    }
    return undefined;
  }
}

/** The keys of an object literal, following a spread of a name bound to another one. */
function propertyNames(
  literal: ts.ObjectLiteralExpression,
  file: string,
  graph: SourceGraph,
): string[] {
  return literal.properties.flatMap((property) => {
    if (
      (ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) &&
      (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
    ) {
      return [property.name.text];
    }
    if (ts.isSpreadAssignment(property) && ts.isIdentifier(property.expression)) {
      const spread = graph.declaration(file, property.expression.text);
      if (spread && ts.isObjectLiteralExpression(spread.initializer)) {
        return propertyNames(spread.initializer, spread.file, graph);
      }
    }
    throw new Error(`cannot read an env variable name at ${graph.where(property)}`);
  });
}

/**
 * The keys of an env schema: `z.object({...})`, `<schema>.extend({...})`, or a name bound to
 * one of those. Anything else throws, naming the place: a spec this cannot read must not pass.
 */
function schemaKeys(expression: ts.Expression, file: string, graph: SourceGraph): string[] {
  if (ts.isCallExpression(expression) && ts.isPropertyAccessExpression(expression.expression)) {
    const method = expression.expression.name.text;
    const [argument] = expression.arguments;
    if (method === 'object' && argument && ts.isObjectLiteralExpression(argument)) {
      return propertyNames(argument, file, graph);
    }
    if (method === 'extend' && argument && ts.isObjectLiteralExpression(argument)) {
      return [
        ...schemaKeys(expression.expression.expression, file, graph),
        ...propertyNames(argument, file, graph),
      ];
    }
  }
  if (ts.isIdentifier(expression)) {
    const declaration = graph.declaration(file, expression.text);
    if (declaration) return schemaKeys(declaration.initializer, declaration.file, graph);
  }
  throw new Error(`cannot read the env schema passed to parseEnv at ${graph.where(expression)}`);
}

function readsIn(file: string, graph: SourceGraph, reads: EnvReads): void {
  const add = (name: string, node: ts.Node): void => {
    if (!reads.has(name)) reads.set(name, graph.where(node));
  };
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'parseEnv' &&
      node.arguments[0]
    ) {
      for (const key of schemaKeys(node.arguments[0], file, graph)) add(key, node);
    }
    // process.env.NAME, env.NAME (a ProcessEnv passed in), process.env['NAME']
    if (ts.isPropertyAccessExpression(node) && UPPER.test(node.name.text)) {
      const target = node.expression;
      const isEnv =
        (ts.isIdentifier(target) && target.text === 'env') ||
        (ts.isPropertyAccessExpression(target) &&
          target.name.text === 'env' &&
          ts.isIdentifier(target.expression) &&
          target.expression.text === 'process');
      if (isEnv) add(node.name.text, node);
    }
    if (
      ts.isElementAccessExpression(node) &&
      ts.isStringLiteral(node.argumentExpression) &&
      UPPER.test(node.argumentExpression.text) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'env'
    ) {
      add(node.argumentExpression.text, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(graph.parse(file).source);
}

function isSourceFile(file: string): boolean {
  return /\.(ts|tsx|mts|mjs|js)$/.test(file) && !/\.(spec|test)\.|\.d\.ts$/.test(file);
}

/** Every source file under `dir` (tests and build output excluded). */
export function sourcesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', '.next'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourcesUnder(full));
    else if (isSourceFile(full)) files.push(full);
  }
  return files.sort();
}

/**
 * The variables read by `entries` and everything they import. `root` is the repository, where
 * the workspace packages are found.
 */
export function envReads(root: string, entries: readonly string[]): EnvReads {
  const graph = new SourceGraph(root);
  const reads: EnvReads = new Map();
  const seen = new Set<string>();
  const queue = entries.map((entry) => path.resolve(root, entry));
  while (queue.length > 0) {
    const file = queue.shift();
    if (file === undefined || seen.has(file)) continue;
    seen.add(file);
    if (!existsSync(file)) throw new Error(`no such source file: ${path.relative(root, file)}`);
    const analysis = analyse(file, graph);
    for (const [name, where] of analysis.reads) if (!reads.has(name)) reads.set(name, where);
    for (const imported of analysis.imports) {
      if (!seen.has(imported) && isSourceFile(imported)) queue.push(imported);
    }
  }
  return reads;
}

interface Analysis {
  readonly text: string;
  readonly reads: EnvReads;
  readonly imports: readonly string[];
}

// Walking a file's tree is the other cost: its result is kept while its text stays the same.
const analyses = new Map<string, Analysis>();

function analyse(file: string, graph: SourceGraph): Analysis {
  const text = readFileSync(file, 'utf8');
  const cached = analyses.get(file);
  if (cached?.text === text) return cached;
  const reads: EnvReads = new Map();
  readsIn(file, graph, reads);
  const analysis = { text, reads, imports: graph.imports(file) };
  analyses.set(file, analysis);
  return analysis;
}
