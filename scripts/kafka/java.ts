import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Env } from './config.js';
import { KafkadogError } from './errors.js';

export const MIN_JAVA_MAJOR = 17;

export interface JavaInfo {
  /** What we run: `$JAVA_HOME/bin/java` when JAVA_HOME is set (as Kafka's own scripts do), else `java`. */
  readonly executable: string;
  readonly version: string;
  readonly major: number;
}

/**
 * Reads `java -version` output (printed on stderr), e.g. `openjdk version "17.0.15" 2025-04-15`,
 * `java version "1.8.0_292"` (legacy 1.x numbering), `openjdk version "25-ea"`.
 */
export function parseJavaVersion(output: string): { version: string; major: number } | undefined {
  const match = /version "([^"]+)"/.exec(output);
  if (!match?.[1]) return undefined;
  const version = match[1];
  const parts = /^(\d+)(?:\.(\d+))?/.exec(version);
  if (!parts?.[1]) return undefined;
  const first = Number(parts[1]);
  const major = first === 1 && parts[2] !== undefined ? Number(parts[2]) : first;
  return { version, major };
}

export function javaExecutable(env: Env = process.env): string {
  return env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

const INSTALL_HINT =
  'install a JDK 17 or newer (e.g. `sudo apt install openjdk-21-jre-headless` or `brew install openjdk@21`)';

export async function checkJava(env: Env = process.env): Promise<JavaInfo> {
  const executable = javaExecutable(env);
  let output: string;
  try {
    const { stdout, stderr } = await promisify(execFile)(executable, ['-version'], {
      env: { ...env },
      timeout: 30_000,
    });
    output = `${stderr}\n${stdout}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') {
      throw new KafkadogError(
        'JAVA_MISSING',
        env.JAVA_HOME
          ? `JAVA_HOME is ${env.JAVA_HOME} but ${executable} does not exist: point JAVA_HOME at a JDK 17+ or unset it.`
          : `Kafka needs Java ${MIN_JAVA_MAJOR}+ and \`java\` is not on PATH: ${INSTALL_HINT}, or set JAVA_HOME.`,
        { cause: error },
      );
    }
    throw new KafkadogError(
      'JAVA_MISSING',
      `\`${executable} -version\` failed (${(error as Error).message.split('\n')[0]}): check your Java install, or ${INSTALL_HINT}.`,
      { cause: error },
    );
  }
  const parsed = parseJavaVersion(output);
  if (!parsed) {
    throw new KafkadogError(
      'JAVA_MISSING',
      `Could not read the Java version from \`${executable} -version\` ("${output.trim().split('\n')[0]}"): ${INSTALL_HINT}.`,
    );
  }
  if (parsed.major < MIN_JAVA_MAJOR) {
    throw new KafkadogError(
      'JAVA_TOO_OLD',
      `Kafka 4 needs Java ${MIN_JAVA_MAJOR}+ but ${executable} is ${parsed.version}: ${INSTALL_HINT} and put it first on PATH, or set JAVA_HOME to it.`,
    );
  }
  return { executable, ...parsed };
}
