/**
 * SHA-256 (FIPS 180-4), synchronous and small. Used to derive per-document
 * names from a secret the page does not know (see entrypoints/content/painter.ts);
 * `crypto.subtle` would do, but it is missing on plain-http pages and is async.
 */
/**
 * The round constants (FIPS 180-4, 4.2.2): the first 32 bits of the
 * fractional parts of the cube roots of the first 64 primes, and, for the
 * starting hash value, of the square roots of the first 8. Computed instead of
 * written out, which takes about 0.5 kB (gzip) off every script that hashes.
 * Exact in any engine: the nearest a product below comes to a whole number is
 * 0.025, and `Math.cbrt` is off by a few units in the last place at most
 * (about 4e-6 here).
 */
function constants(): Int32Array {
  const k = new Int32Array(72);
  for (let n = 2, found = 0; found < 64; n++) {
    let prime = true;
    for (let d = 2; d * d <= n && prime; d++) prime = n % d !== 0;
    if (!prime) continue;
    if (found < 8) k[64 + found] = (Math.sqrt(n) % 1) * 2 ** 32;
    k[found++] = (Math.cbrt(n) % 1) * 2 ** 32;
  }
  return k;
}

/** K[0..63] the round constants, K[64..71] the starting hash value; computed on first use. */
let K: Int32Array | undefined;

/**
 * Written for its first run, which is the one that counts: the script that
 * puts our stylesheet in as a page starts loading (entrypoints/sheet.ts)
 * hashes once, cold, inside the page's own parse task. Plain locals and
 * 32-bit integer arithmetic, with no destructuring of typed arrays, no
 * DataView and no helper call per round: that script went from a median of
 * 9.73 to 8.35 ms over 30 alternating loads of saved news pages (Chromium,
 * release build).
 */
export function sha256(message: Uint8Array): Uint8Array {
  const n = message.length;
  const blocks = (n + 9 + 63) >> 6;
  const byte = (i: number) => (i < n ? message[i]! : i === n ? 0x80 : 0);
  const w = new Int32Array(64);
  const k = (K ??= constants());
  let h0 = k[64]!;
  let h1 = k[65]!;
  let h2 = k[66]!;
  let h3 = k[67]!;
  let h4 = k[68]!;
  let h5 = k[69]!;
  let h6 = k[70]!;
  let h7 = k[71]!;
  for (let block = 0; block < blocks; block++) {
    const base = block << 6;
    for (let i = 0; i < 16; i++) {
      const o = base + i * 4;
      w[i] = (byte(o) << 24) | (byte(o + 1) << 16) | (byte(o + 2) << 8) | byte(o + 3);
    }
    if (block === blocks - 1) {
      // The message's length in bits, big-endian, in the last 64 bits.
      w[14] = Math.floor((n * 8) / 2 ** 32) | 0;
      w[15] = (n * 8) | 0;
    }
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    let f = h5;
    let g = h6;
    let h = h7;
    for (let i = 0; i < 64; i++) {
      const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + k[i]! + w[i]!) | 0;
      const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + h) | 0;
  }
  const out = new Uint8Array(32);
  const words = [h0, h1, h2, h3, h4, h5, h6, h7];
  for (let i = 0; i < 8; i++) {
    const v = words[i]!;
    out[i * 4] = v >>> 24;
    out[i * 4 + 1] = v >>> 16;
    out[i * 4 + 2] = v >>> 8;
    out[i * 4 + 3] = v;
  }
  return out;
}

/** The hash of a string (UTF-8), as lowercase hex. */
export function sha256Hex(text: string): string {
  return Array.from(sha256(new TextEncoder().encode(text)), (b) => b.toString(16).padStart(2, '0')).join('');
}
