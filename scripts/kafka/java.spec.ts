import { describe, expect, it } from 'vitest';
import { javaExecutable, parseJavaVersion } from './java.js';

describe('parseJavaVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment', '17.0.15', 17],
    ['openjdk version "21" 2023-09-19', '21', 21],
    ['java version "1.8.0_292"\nJava(TM) SE Runtime Environment', '1.8.0_292', 8],
    ['openjdk version "11.0.2" 2019-01-15', '11.0.2', 11],
    ['openjdk version "25-ea" 2025-09-16', '25-ea', 25],
    ['Picked up JAVA_TOOL_OPTIONS: -Xmx1g\nopenjdk version "17.0.1" 2021-10-19', '17.0.1', 17],
  ])('reads %j as %s (major %i)', (output, version, major) => {
    expect(parseJavaVersion(output)).toEqual({ version, major });
  });

  it('returns undefined for output without a version', () => {
    expect(parseJavaVersion('bash: java: command not found')).toBeUndefined();
  });
});

describe('javaExecutable', () => {
  it('prefers JAVA_HOME, as Kafka scripts do', () => {
    expect(javaExecutable({ JAVA_HOME: '/opt/jdk' })).toMatch(
      /^[/\\]opt[/\\]jdk[/\\]bin[/\\]java$/,
    );
    expect(javaExecutable({})).toBe('java');
  });
});
