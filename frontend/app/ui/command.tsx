'use client';

import { useState } from 'react';

/** The command of Kafka's own tools that does the same, ready to copy. */
export function KafkaCommand({
  command,
  label = 'With Kafka’s tools',
}: {
  command: string;
  label?: string;
}) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    navigator.clipboard
      .writeText(command)
      .then(() => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      })
      .catch(() => setCopied(false));
  };
  return (
    <figure className="command">
      <figcaption>
        <span>{label}</span>
        <button type="button" className="button-small" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </figcaption>
      <pre data-testid="kafka-command">
        <code>{command}</code>
      </pre>
    </figure>
  );
}
