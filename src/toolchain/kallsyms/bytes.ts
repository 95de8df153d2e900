/**
 * The kernel tool works on bytes, not characters. We carry listings and names
 * as "byte strings": one JavaScript char per byte (code 0–255), so that string
 * comparison is C's unsigned `strcmp` and lengths are byte counts.
 */

/**
 * A listing as the tool would read it. A Uint8Array is taken byte for byte; a
 * string holding only chars ≤ U+00FF is already a byte string; any other
 * string is taken to be the text of a UTF-8 file.
 */
export function toByteString(listing: string | Uint8Array): string {
  if (typeof listing === 'string') {
    // eslint-disable-next-line no-control-regex
    if (!/[^\u0000-\u00ff]/.test(listing)) return listing;
    return bytesToByteString(new TextEncoder().encode(listing));
  }
  return bytesToByteString(listing);
}

/**
 * Decodes with the platform's UTF-8 decoder, which is fast, when it can only
 * give the byte string: if the bytes are valid UTF-8 and decode to as many
 * chars as there are bytes, all of them are ASCII (any multi-byte sequence
 * decodes to fewer chars), and ASCII is the same in both. Otherwise chars are
 * made byte by byte.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function bytesToByteString(bytes: Uint8Array): string {
  if (bytes.length > 256) {
    try {
      const text = utf8.decode(bytes);
      if (text.length === bytes.length) return text;
    } catch {
      // Not UTF-8: some byte is ≥ 0x80; decode byte by byte below.
    }
  }
  const chunk = 0x2000;
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += chunk) {
    parts.push(
      String.fromCharCode.apply(null, bytes.subarray(i, i + chunk) as unknown as number[]),
    );
  }
  return parts.join('');
}

export function byteStringToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
