import { createHash } from 'node:crypto';

/** A name-based UUID (RFC 9562 version 5): SHA-1 of namespace bytes + name, version/variant set. */
export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const CAUSED_EVENT_NAMESPACE = '6c3f4b9e-0d51-4f1a-9a53-2f0b8f5e7c21';

/**
 * The id of the event of `type` caused by event `causeId`. Derived, not random: a service that
 * redoes its work after a crash emits the very same event, which consumers recognise by its id.
 */
export function causedEventId(causeId: string, type: string): string {
  return uuidV5(`${causeId}/${type}`, CAUSED_EVENT_NAMESPACE);
}
