/** A Dockerfile read far enough to check it: stages, their instructions, COPY sources. */

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  readonly name: string | undefined;
  /** The image or earlier stage it starts FROM, with ARG defaults substituted. */
  readonly from: string;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  readonly stages: readonly Stage[];
}

/** Instructions with line continuations joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (pending === '' && (line.trim() === '' || line.trim().startsWith('#'))) return;
    if (pending !== '' && line.trim().startsWith('#')) return;
    if (pending === '') start = index + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const full = (pending + line).trim();
    pending = '';
    const space = full.search(/\s/);
    result.push({
      keyword: (space === -1 ? full : full.slice(0, space)).toUpperCase(),
      args: space === -1 ? '' : full.slice(space + 1).trim(),
      line: start,
    });
  });
  return result;
}

export function parseDockerfile(text: string): Dockerfile {
  const args = new Map<string, string>();
  const stages: { name: string | undefined; from: string; instructions: Instruction[] }[] = [];
  for (const instruction of instructions(text)) {
    if (instruction.keyword === 'ARG' && stages.length === 0) {
      const [name, value] = instruction.args.split('=', 2);
      if (name && value !== undefined) args.set(name.trim(), value.trim());
      continue;
    }
    if (instruction.keyword === 'FROM') {
      const parts = instruction.args.split(/\s+/).filter((part) => !part.startsWith('--'));
      const from = (parts[0] ?? '').replace(
        /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
        (_, name: string) => args.get(name) ?? '',
      );
      const as = parts[1]?.toUpperCase() === 'AS' ? parts[2] : undefined;
      stages.push({ name: as, from, instructions: [] });
      continue;
    }
    stages.at(-1)?.instructions.push(instruction);
  }
  return { stages };
}

export interface Copy {
  readonly line: number;
  /** `--from=<stage or image>`, when the sources come from there instead of the context. */
  readonly from: string | undefined;
  readonly sources: readonly string[];
}

/** The COPY and ADD instructions of a stage, exec (`["a", "b"]`) and shell form alike. */
export function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((instruction) => instruction.keyword === 'COPY' || instruction.keyword === 'ADD')
    .map((instruction) => {
      let rest = instruction.args;
      let from: string | undefined;
      while (rest.startsWith('--')) {
        const space = rest.search(/\s/);
        const flag = space === -1 ? rest : rest.slice(0, space);
        if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
        rest = space === -1 ? '' : rest.slice(space + 1).trim();
      }
      const parts = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
      return { line: instruction.line, from, sources: parts.slice(0, -1) };
    });
}

/** A stage and every stage it is built FROM, nearest first. */
export function lineage(dockerfile: Dockerfile, stage: Stage): Stage[] {
  const chain: Stage[] = [stage];
  let current = stage;
  for (;;) {
    const parent = dockerfile.stages.find((candidate) => candidate.name === current.from);
    if (!parent || chain.includes(parent)) return chain;
    chain.push(parent);
    current = parent;
  }
}

/**
 * Whether .dockerignore keeps `file` (a path relative to the context) out of the context.
 * Docker's rules: patterns are anchored at the context root, `**` spans directories, `*` and `?`
 * stay within one, a pattern that matches a folder excludes what is in it, `!` re-includes.
 */
export function isIgnored(dockerignore: string, file: string): boolean {
  let ignored = false;
  for (const raw of dockerignore.split('\n')) {
    let pattern = raw.trim();
    if (pattern === '' || pattern.startsWith('#')) continue;
    const include = pattern.startsWith('!');
    if (include) pattern = pattern.slice(1).trim();
    pattern = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
    const regex = new RegExp(
      `^${pattern
        .split('/')
        .map((segment) =>
          segment === '**'
            ? '(?:.*)'
            : segment
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/')
        .replace(/\(\?:\.\*\)\//g, '(?:.*/)?')}(?:/.*)?$`,
    );
    if (regex.test(file)) ignored = !include;
  }
  return ignored;
}
