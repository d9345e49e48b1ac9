import type { KafkadogEvent } from '@kafkadog/contracts';

/** `4242424242424242` → `************4242`: what a card number looks like outside payment. */
export function maskCardNumber(cardNumber: string): string {
  return cardNumber.length <= 4
    ? cardNumber
    : '*'.repeat(cardNumber.length - 4) + cardNumber.slice(-4);
}

/**
 * The event as the gateway shows it to browsers (GET /events, GET /dlq): OrderPlaced's card
 * number masked. Kafka keeps the number, since payment-service decides on it; nothing the
 * gateway serves repeats it.
 */
export function redactEvent(event: KafkadogEvent): KafkadogEvent {
  if (event.type !== 'OrderPlaced') return event;
  return { ...event, data: { ...event.data, cardNumber: maskCardNumber(event.data.cardNumber) } };
}

const CARD_IN_JSON = /("cardNumber"\s*:\s*")(\d+)(")/g;

/** The same for raw text that may not parse (a poison message, a value preview). */
export function redactText(text: string): string {
  return text.replace(
    CARD_IN_JSON,
    (_, open: string, digits: string, close: string) => open + maskCardNumber(digits) + close,
  );
}
