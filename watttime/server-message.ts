/** Error bodies can be whole HTML pages; a message only needs the gist. */
const MAX_MESSAGE_CHARS = 300;

/**
 * The readable part of an error body: the JSON `message` (or `error`) when there is one,
 * otherwise the text itself, whitespace collapsed and shortened. Any of `secrets` that the
 * server might echo back is masked, so the result is safe for error messages and logs.
 */
export function serverMessage(body: string, secrets: readonly string[]): string {
  // Redact before shortening, so a secret cut in half at the limit cannot leak its first part.
  const text = redact(jsonMessage(body) ?? body, secrets).replace(/\s+/g, ' ').trim();
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
}

/** How much of a body `bodyExcerpt` quotes. */
const MAX_EXCERPT_CHARS = 120;

/**
 * A short, readable excerpt of any body (HTML pages included): scripts, styles and tags left out,
 * whitespace collapsed, `secrets` masked, at most 120 characters. Safe for messages and history.
 */
export function bodyExcerpt(body: string, secrets: readonly string[]): string {
  const text = redact(body, secrets)
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > MAX_EXCERPT_CHARS ? `${text.slice(0, MAX_EXCERPT_CHARS)}…` : text;
}

/** `message` first: WattTime's 403 puts "Invalid scope…" there, and 400s use `{error, message}`. */
export function jsonMessage(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const record = parsed as Record<string, unknown>;
    for (const key of ['message', 'error', 'detail']) {
      const value = record[key];
      if (typeof value === 'string' && value.trim() !== '') return value;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** Masks every non-empty secret in `text`. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => (secret === '' ? out : out.split(secret).join('[redacted]')), text);
}
