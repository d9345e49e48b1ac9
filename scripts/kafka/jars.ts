import { spawn } from 'node:child_process';
import { constants, createWriteStream } from 'node:fs';
import { access, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from '../lib/log.js';
import { formatBytes, formatDuration, startHeartbeat } from '../lib/log.js';
import { SCALA_VERSION, type Env } from './config.js';
import { KafkadogError } from './errors.js';

/**
 * Named in full, so the copy behaves the same under every Maven 3.6.3+ (3.8 would pick 2.8)
 * and Maven needs no plugin-prefix lookup.
 */
const DEPENDENCY_PLUGIN_VERSION = '3.8.1';
const MARKER = 'kafkadog.json';
/** Maven's generic advice after every failure; the lines before it say what went wrong. */
const MAVEN_BOILERPLATE =
  /re-run Maven|For more information|^\[ERROR\] \[Help|To see the full stack/i;
/** One line per this many jars: a few lines per download, not one per pom. */
const PROGRESS_EVERY_JARS = 25;
const HEARTBEAT_MS = 10_000;

export interface KafkaDistribution {
  readonly version: string;
  readonly home: string;
  readonly libsDir: string;
  /** A java `-cp` value; java expands the `*` itself. */
  readonly classpath: string;
  readonly log4jVersion: string;
  readonly jarCount: number;
}

interface Marker {
  kafkaVersion: string;
  log4jVersion: string;
  slf4jBinding: string;
  jarCount: number;
  resolvedAt: string;
}

export interface Dependency {
  groupId: string;
  artifactId: string;
  version: string;
}

export function kafkaHome(cacheDir: string, version: string): string {
  return path.join(cacheDir, `kafka-${version}`);
}

/**
 * Returns the jars of Kafka `version`, resolving them with Maven on the first run only: a warm
 * cache (marker file present) needs neither Maven nor the network.
 */
export async function ensureKafkaJars(options: {
  cacheDir: string;
  version: string;
  logger: Logger;
  env?: Env;
}): Promise<KafkaDistribution> {
  const { cacheDir, version, logger, env = process.env } = options;
  const home = kafkaHome(cacheDir, version);
  const cached = await loadDistribution(home, version);
  if (cached) return cached;

  if (!(await onPath('mvn', env))) throw mavenMissing();
  const started = Date.now();
  logger.info(
    `Downloading Apache Kafka ${version} from Maven Central (first run only, ~75 MB) into ${home}`,
  );
  await mkdir(cacheDir, { recursive: true });
  // Resolve into a private staging dir and rename it at the end, so an interrupted download
  // never looks like a complete cache.
  const staging = `${home}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const libsDir = path.join(staging, 'libs');
  await mkdir(libsDir, { recursive: true });
  const mavenLog = path.join(cacheDir, `maven-kafka-${version}.log`);
  const log = createWriteStream(mavenLog);
  const progress = new MavenProgress(logger, started);
  try {
    await runMaven({
      workDir: path.join(staging, 'kafka'),
      dependencies: [
        { groupId: 'org.apache.kafka', artifactId: `kafka_${SCALA_VERSION}`, version },
        // TopicCommand, ConsumerGroupCommand, ProducerPerformance... for learners and the bench.
        { groupId: 'org.apache.kafka', artifactId: 'kafka-tools', version },
      ],
      libsDir,
      transitive: true,
      log,
      logPath: mavenLog,
      progress,
      env,
    });
    // The broker logs through SLF4J, but Kafka's pom brings no binding (the tarball adds one):
    // without it the broker logs nothing, not even its fatal error. Match the resolved log4j.
    const jars = await readdir(libsDir);
    const log4jVersion = findVersion(jars, 'org.apache.logging.log4j', 'log4j-core');
    const slf4jVersion = findVersion(jars, 'org.slf4j', 'slf4j-api');
    if (!log4jVersion || !slf4jVersion) {
      throw new KafkadogError(
        'JARS_INCONSISTENT',
        `Kafka ${version}'s dependencies have no log4j-core or slf4j-api jar (see ${mavenLog}); this kafkadog does not support that Kafka version.`,
      );
    }
    const binding = slf4jVersion.startsWith('1.') ? 'log4j-slf4j-impl' : 'log4j-slf4j2-impl';
    await runMaven({
      workDir: path.join(staging, 'binding'),
      dependencies: [
        { groupId: 'org.apache.logging.log4j', artifactId: binding, version: log4jVersion },
      ],
      libsDir,
      transitive: false,
      log,
      logPath: mavenLog,
      progress,
      env,
    });
    const all = await readdir(libsDir);
    checkKafkaJarVersions(all, version, libsDir);
    const marker: Marker = {
      kafkaVersion: version,
      log4jVersion,
      slf4jBinding: `${binding}-${log4jVersion}`,
      jarCount: all.filter((f) => f.endsWith('.jar')).length,
      resolvedAt: new Date().toISOString(),
    };
    await rm(path.join(staging, 'kafka'), { recursive: true, force: true });
    await rm(path.join(staging, 'binding'), { recursive: true, force: true });
    await writeFile(path.join(staging, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    // Another process (a test run next to a `kafka:start`) may have finished first: keep its copy.
    if (!(await loadDistribution(home, version))) {
      await rm(home, { recursive: true, force: true });
      try {
        await rename(staging, home);
      } catch (error) {
        if (!(await loadDistribution(home, version))) throw error;
      }
    }
  } finally {
    progress.stop();
    log.end();
    await rm(staging, { recursive: true, force: true });
  }
  const dist = await loadDistribution(home, version);
  if (!dist) {
    throw new KafkadogError(
      'MAVEN_FAILED',
      `Kafka jars vanished from ${home} after download; run again.`,
    );
  }
  logger.info(
    `Kafka ${version} cached: ${dist.jarCount} jars (${progress.summary()}) in ${formatDuration(Date.now() - started)}.`,
  );
  return dist;
}

async function loadDistribution(
  home: string,
  version: string,
): Promise<KafkaDistribution | undefined> {
  let marker: Marker;
  try {
    marker = JSON.parse(await readFile(path.join(home, MARKER), 'utf8')) as Marker;
  } catch {
    return undefined;
  }
  const libsDir = path.join(home, 'libs');
  let jars: string[];
  try {
    jars = (await readdir(libsDir)).filter((f) => f.endsWith('.jar'));
  } catch {
    return undefined;
  }
  if (marker.kafkaVersion !== version || jars.length < marker.jarCount) return undefined;
  checkKafkaJarVersions(jars, version, libsDir);
  return {
    version,
    home,
    libsDir,
    classpath: path.join(libsDir, '*'),
    log4jVersion: marker.log4jVersion,
    jarCount: jars.length,
  };
}

/**
 * Jars are copied with their groupId prepended (`org.apache.kafka.kafka-clients-4.2.2.jar`), so
 * the group is known exactly. Mixed Kafka versions on one classpath fail in odd ways at runtime.
 */
export function checkKafkaJarVersions(jars: readonly string[], version: string, dir: string): void {
  const wrong = jars
    .map((jar) => ({ jar, parsed: parseJarName(jar, 'org.apache.kafka') }))
    .filter(({ parsed }) => parsed !== undefined && parsed.version !== version);
  const kafkaJars = jars.filter((jar) => parseJarName(jar, 'org.apache.kafka') !== undefined);
  if (kafkaJars.length === 0 || wrong.length > 0) {
    throw new KafkadogError(
      'JARS_INCONSISTENT',
      kafkaJars.length === 0
        ? `No org.apache.kafka jars in ${dir}: delete ${path.dirname(dir)} and run again.`
        : `Kafka jars in ${dir} mix versions (${wrong.map((w) => w.jar).join(', ')} is not ${version}): delete ${path.dirname(dir)} and run again.`,
    );
  }
}

/** `org.apache.kafka.kafka_2.13-4.2.2.jar` → `{ artifactId: 'kafka_2.13', version: '4.2.2' }`. */
export function parseJarName(
  file: string,
  groupId: string,
): { artifactId: string; version: string } | undefined {
  if (!file.startsWith(`${groupId}.`) || !file.endsWith('.jar')) return undefined;
  const rest = file.slice(groupId.length + 1, -'.jar'.length);
  const match = /^(.+?)-(\d.*)$/.exec(rest);
  if (!match?.[1] || !match[2]) return undefined;
  return { artifactId: match[1], version: match[2] };
}

function findVersion(jars: readonly string[], groupId: string, artifactId: string) {
  for (const jar of jars) {
    const parsed = parseJarName(jar, groupId);
    if (parsed?.artifactId === artifactId) return parsed.version;
  }
  return undefined;
}

export function generatePom(dependencies: readonly Dependency[]): string {
  const deps = dependencies
    .map(
      (d) =>
        `    <dependency><groupId>${d.groupId}</groupId><artifactId>${d.artifactId}</artifactId><version>${d.version}</version></dependency>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by kafkadog (scripts/kafka/jars.ts) to resolve the broker's jars. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.kafkadog</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${deps}
  </dependencies>
</project>
`;
}

function mavenMissing(cause?: unknown): KafkadogError {
  return new KafkadogError(
    'MAVEN_MISSING',
    'Kafka is not downloaded yet and Maven (`mvn`) is not on PATH: install Maven (e.g. `sudo apt install maven` or `brew install maven`) and run again.',
    { cause },
  );
}

async function onPath(command: string, env: Env): Promise<boolean> {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      await access(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

async function runMaven(options: {
  workDir: string;
  dependencies: readonly Dependency[];
  libsDir: string;
  transitive: boolean;
  log: NodeJS.WritableStream;
  logPath: string;
  progress: MavenProgress;
  env: Env;
}): Promise<void> {
  const { workDir, libsDir, log, progress } = options;
  await mkdir(workDir, { recursive: true });
  const pom = path.join(workDir, 'pom.xml');
  await writeFile(pom, generatePom(options.dependencies));
  const args = [
    '-B',
    '-Dstyle.color=never',
    '-f',
    pom,
    `org.apache.maven.plugins:maven-dependency-plugin:${DEPENDENCY_PLUGIN_VERSION}:copy-dependencies`,
    '-DincludeScope=runtime',
    `-DoutputDirectory=${libsDir}`,
    '-Dmdep.prependGroupId=true',
    `-DexcludeTransitive=${String(!options.transitive)}`,
  ];
  log.write(`$ mvn ${args.join(' ')}\n`);
  const child = spawn('mvn', args, {
    cwd: workDir,
    env: { ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  const onLine = (line: string) => {
    log.write(`${line}\n`);
    progress.onLine(line);
    if (/^\[ERROR\] +\S/.test(line) && !MAVEN_BOILERPLATE.test(line)) {
      errors.push(line.replace(/ -> \[Help \d+\]$/, ''));
    }
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw mavenMissing(error);
    throw error;
  });
  if (exitCode !== 0) {
    throw new KafkadogError(
      'MAVEN_FAILED',
      `Maven could not resolve Kafka (exit code ${String(exitCode)}): check your network or Maven proxy (~/.m2/settings.xml) and run again; full output in ${options.logPath}.`,
      { details: errors.slice(0, 8).join('\n') || undefined },
    );
  }
}

/** Turns Maven's `Downloaded from central: <url> (1.2 MB at ...)` lines into a few plain lines. */
export class MavenProgress {
  files = 0;
  jars = 0;
  bytes = 0;
  private lastReport = 0;
  private readonly stopHeartbeat: () => void;

  constructor(
    private readonly logger: Logger,
    private readonly started: number,
  ) {
    this.stopHeartbeat = startHeartbeat(HEARTBEAT_MS, (elapsed) => {
      if (Date.now() - this.lastReport >= HEARTBEAT_MS - 100) {
        this.report(`  …still resolving (${this.summary()}, ${formatDuration(elapsed)})`);
      }
    });
  }

  onLine(line: string): void {
    const parsed = parseDownloadedLine(line);
    if (!parsed) return;
    this.files += 1;
    this.bytes += parsed.bytes;
    if (!parsed.url.endsWith('.jar')) return;
    this.jars += 1;
    if (this.jars % PROGRESS_EVERY_JARS === 0) {
      this.report(`  …${this.summary()} downloaded (${formatDuration(Date.now() - this.started)})`);
    }
  }

  summary(): string {
    return this.files === 0
      ? 'all from the local Maven repository'
      : `${this.files} files, ${this.jars} jars, ${formatBytes(this.bytes)}`;
  }

  stop(): void {
    this.stopHeartbeat();
  }

  private report(message: string): void {
    this.lastReport = Date.now();
    this.logger.info(message);
  }
}

const UNITS: Record<string, number> = { B: 1, kB: 1024, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

export function parseDownloadedLine(line: string): { url: string; bytes: number } | undefined {
  const match = /Downloaded from [^:]+: (\S+) \(([\d.]+) (B|kB|KB|MB|GB)/.exec(line);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { url: match[1], bytes: Math.round(Number(match[2]) * (UNITS[match[3]] ?? 1)) };
}
