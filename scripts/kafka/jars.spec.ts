import { describe, expect, it } from 'vitest';
import { checkKafkaJarVersions, generatePom, parseDownloadedLine, parseJarName } from './jars.js';

describe('parseJarName', () => {
  it('splits a groupId-prefixed jar name into artifact and version', () => {
    expect(parseJarName('org.apache.kafka.kafka_2.13-4.1.1.jar', 'org.apache.kafka')).toEqual({
      artifactId: 'kafka_2.13',
      version: '4.1.1',
    });
    expect(
      parseJarName('org.apache.kafka.kafka-server-common-4.1.1.jar', 'org.apache.kafka'),
    ).toEqual({ artifactId: 'kafka-server-common', version: '4.1.1' });
    expect(
      parseJarName('org.apache.logging.log4j.log4j-core-2.24.3.jar', 'org.apache.logging.log4j'),
    ).toEqual({ artifactId: 'log4j-core', version: '2.24.3' });
  });

  it('ignores jars of other groups', () => {
    expect(parseJarName('org.slf4j.slf4j-api-1.7.36.jar', 'org.apache.kafka')).toBeUndefined();
  });
});

describe('checkKafkaJarVersions', () => {
  it('accepts one Kafka version next to other libraries', () => {
    expect(() =>
      checkKafkaJarVersions(
        [
          'org.apache.kafka.kafka_2.13-4.1.1.jar',
          'org.apache.kafka.kafka-clients-4.1.1.jar',
          'org.slf4j.slf4j-api-1.7.36.jar',
        ],
        '4.1.1',
        '/c/kafka-4.1.1/libs',
      ),
    ).not.toThrow();
  });

  it('names the jar of another Kafka version', () => {
    expect(() =>
      checkKafkaJarVersions(
        ['org.apache.kafka.kafka_2.13-4.1.1.jar', 'org.apache.kafka.kafka-clients-4.0.0.jar'],
        '4.1.1',
        '/c/kafka-4.1.1/libs',
      ),
    ).toThrow(/kafka-clients-4\.0\.0\.jar is not 4\.1\.1/);
  });

  it('fails on a folder without Kafka', () => {
    expect(() => checkKafkaJarVersions(['x.jar'], '4.1.1', '/c/libs')).toThrow(
      /No org.apache.kafka/,
    );
  });
});

describe('parseDownloadedLine', () => {
  it('reads url and size from Maven batch output', () => {
    expect(
      parseDownloadedLine(
        'Downloaded from central: https://repo.maven.apache.org/maven2/org/apache/kafka/kafka_2.13/4.1.1/kafka_2.13-4.1.1.jar (6.6 MB at 12 MB/s)',
      ),
    ).toEqual({
      url: 'https://repo.maven.apache.org/maven2/org/apache/kafka/kafka_2.13/4.1.1/kafka_2.13-4.1.1.jar',
      bytes: Math.round(6.6 * 1024 * 1024),
    });
    expect(parseDownloadedLine('Downloading from central: https://x/y.pom')).toBeUndefined();
  });
});

describe('generatePom', () => {
  it('declares each dependency', () => {
    const pom = generatePom([
      { groupId: 'g', artifactId: 'a', version: '1' },
      { groupId: 'h', artifactId: 'b', version: '2' },
    ]);
    expect(pom).toContain('<groupId>g</groupId><artifactId>a</artifactId><version>1</version>');
    expect(pom).toContain('<groupId>h</groupId><artifactId>b</artifactId><version>2</version>');
  });
});
