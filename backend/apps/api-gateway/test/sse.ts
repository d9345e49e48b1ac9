/** A GET /events connection that keeps the `data` of every message it received. */
export interface SseClient {
  readonly messages: Record<string, unknown>[];
  readonly text: () => string;
  close(): void;
}

export async function openEvents(url: string): Promise<SseClient> {
  const abort = new AbortController();
  const response = await fetch(url, { signal: abort.signal });
  if (response.status !== 200) {
    throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  }
  const reader = response.body!.getReader();
  let text = '';
  const messages: Record<string, unknown>[] = [];
  void (async () => {
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return;
        text += Buffer.from(chunk.value as Uint8Array).toString('utf8');
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data) messages.push(JSON.parse(data.slice(6)) as Record<string, unknown>);
        }
      }
    } catch {
      // aborted
    }
  })();
  return { messages, text: () => text, close: () => abort.abort() };
}
