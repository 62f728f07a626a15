// How a batch of the upward report is signed (docs/api.md Upward reporting, docs/operations.md 上报签名):
// the contract's HMAC-SHA256, and the two 国密 options several provinces require. Every method signs the
// same bytes, `<timestamp>.<body>` in UTF-8 — the timestamp as sent in X-Report-Timestamp (decimal ms
// since epoch, digits only, so the first '.' ends it) and the raw request body — and the signature goes
// in X-Report-Signature as lowercase hex.
//   hmac-sha256  HMAC-SHA256 keyed with the secret (its UTF-8 bytes): 64 hex.
//   hmac-sm3     the same with SM3 (GM/T 0004) in place of SHA-256, from Node's own OpenSSL: 64 hex.
//   sm2          SM2 signature (GM/T 0003.2) with the SM3 digest over Z‖message, Z computed with the
//                default user id 1234567812345678 (GM/T 0009); r‖s, 32 bytes each: 128 hex. The secret is
//                the 32-byte private key in hex; the receiver verifies with the uncompressed public key.
// SM2 is sm-crypto's (Node's OpenSSL does not make SM2 signatures with the user id); its own type
// package (@types/sm-crypto 0.3) lacks the 0.5 functions used here, declared below.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import smCrypto from 'sm-crypto';

declare module 'sm-crypto' {
  namespace sm2 {
    /** (sm-crypto 0.5) The uncompressed public key (04‖x‖y, 130 hex) of a private key (64 hex). */
    function getPublicKeyFromPrivateKey(privateKey: string): string;
    /** (sm-crypto 0.5) True when the hex public key is a point of the SM2 curve (not infinity). */
    function verifyPublicKey(publicKey: string): boolean;
  }
}

const { sm2 } = smCrypto;

export const SIGNATURE_METHODS = ['hmac-sha256', 'hmac-sm3', 'sm2'] as const;
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];

export interface ReportSigner {
  readonly method: SignatureMethod;
  /** The X-Report-Signature value for this timestamp (ms since epoch, as a decimal string) and raw body. */
  sign(timestamp: string, body: string): string;
}

/** GM/T 0009's default user id (ENTL = 128 bits), the one provinces expect unless they say otherwise. */
const SM2_USER_ID = '1234567812345678';
/** The order n of the SM2 curve (GM/T 0003.5): a private key d must satisfy 1 ≤ d ≤ n − 2. */
const SM2_ORDER = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

const HMAC_DIGEST = { 'hmac-sha256': 'sha256', 'hmac-sm3': 'sm3' } as const;

/** ms since epoch, digits only: a '.' in it would make `<timestamp>.<body>` ambiguous. */
const TIMESTAMP = /^[0-9]{1,16}$/;
const HEX_64 = /^[0-9a-f]{64}$/i;
const HEX_128 = /^[0-9a-f]{128}$/i;
const SM2_PUBLIC_KEY = /^04[0-9a-f]{128}$/i;

/** The signed bytes: `<timestamp>.<body>` in UTF-8 (a body given as bytes is taken as it is). */
function signedBytes(timestamp: string, body: string | Uint8Array): Buffer {
  const prefix = Buffer.from(`${timestamp}.`, 'utf8');
  return Buffer.concat([prefix, typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
}

function checkedTimestamp(timestamp: string): string {
  if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp)) {
    throw new Error('report signature timestamp must be milliseconds since epoch as a decimal string');
  }
  return timestamp;
}

/** The private key, lowercased, or an Error saying what is wrong with it (never the key itself). */
/** The SM2 curve's a, b and base point (GB/T 32918.5), as Z hashes them. */
const SM2_CURVE_HEX =
  'FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC' +
  '28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93' +
  '32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7' +
  'BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0';

/** Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) (GB/T 32918.2, 5.5) for an uncompressed public key 04‖x‖y. */
function sm2Z(publicKey: string, userId: string): Buffer {
  const id = Buffer.from(userId, 'utf8');
  const entl = Buffer.alloc(2);
  entl.writeUInt16BE(id.length * 8);
  return createHash('sm3')
    .update(Buffer.concat([entl, id, Buffer.from(SM2_CURVE_HEX, 'hex'), Buffer.from(publicKey.slice(2), 'hex')]))
    .digest();
}

function sm2PrivateKey(secret: string): string {
  if (typeof secret !== 'string' || !HEX_64.test(secret)) {
    const length = typeof secret === 'string' ? secret.length : 0;
    throw new Error(
      `sm2 report signing needs the private key as 64 hexadecimal characters (32 bytes); got ${length} characters` +
        (length === 64 ? ' that are not all hexadecimal' : ''),
    );
  }
  const d = BigInt(`0x${secret}`);
  if (d < 1n || d > SM2_ORDER - 2n) {
    throw new Error('sm2 report signing private key is out of range: it must be between 1 and n - 2 of the SM2 curve');
  }
  return secret.toLowerCase();
}

/** The uncompressed public key (04‖x‖y, 130 lowercase hex) of an SM2 private key (64 hex); throws on a bad key. */
export function sm2PublicKeyOf(privateKey: string): string {
  return sm2.getPublicKeyFromPrivateKey(sm2PrivateKey(privateKey));
}

/** Throws Error with a clear English message (it is used by config validation) on a bad key. */
export function createSigner(method: SignatureMethod, secret: string): ReportSigner {
  switch (method) {
    case 'hmac-sha256':
    case 'hmac-sm3': {
      if (typeof secret !== 'string' || secret === '') throw new Error(`${method} report signing needs a non-empty secret`);
      const digest = HMAC_DIGEST[method];
      return {
        method,
        sign: (timestamp, body) =>
          createHmac(digest, secret)
            .update(signedBytes(checkedTimestamp(timestamp), body))
            .digest('hex'),
      };
    }
    case 'sm2': {
      const privateKey = sm2PrivateKey(secret);
      // The digest e = SM3(Z ‖ M) is computed with Node's own SM3 (OpenSSL), Z once per key: sm-crypto's
      // pure-JS SM3 over a 1,000-record body took ~125 ms of the event loop per batch; this takes ~1 ms
      // plus the signature's ~10 ms. sm-crypto then signs e as is (hash: false). A test checks that its
      // own verification (which hashes with the user id itself) accepts every signature made this way.
      const publicKey = sm2.getPublicKeyFromPrivateKey(privateKey);
      const z = sm2Z(publicKey, SM2_USER_ID);
      return {
        method,
        sign: (timestamp, body) => {
          const e = createHash('sm3')
            .update(z)
            .update(signedBytes(checkedTimestamp(timestamp), body))
            .digest();
          return sm2.doSignature(Array.from(e), privateKey, { hash: false, der: false });
        },
      };
    }
    default:
      throw new Error(`unknown report signature method ${JSON.stringify(method)}; expected one of ${SIGNATURE_METHODS.join(', ')}`);
  }
}

/**
 * The receiver's side (our tests use it; documented for provinces in docs/operations.md): true when
 * `signature` is the X-Report-Signature of this timestamp and body. `keyOrPublicKey` is the shared secret
 * for the HMAC methods, the uncompressed SM2 public key (130 hex, 04…) for sm2. `body` should be the raw
 * request bytes as received. HMACs are compared in constant time. Any malformed input is false, never a throw.
 */
export function verifySignature(
  method: SignatureMethod,
  keyOrPublicKey: string,
  timestamp: string,
  body: string | Uint8Array,
  signature: string,
): boolean {
  try {
    if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp) || typeof signature !== 'string') return false;
    if (typeof keyOrPublicKey !== 'string' || (typeof body !== 'string' && !(body instanceof Uint8Array))) return false;
    switch (method) {
      case 'hmac-sha256':
      case 'hmac-sm3': {
        if (keyOrPublicKey === '' || !HEX_64.test(signature)) return false;
        const expected = createHmac(HMAC_DIGEST[method], keyOrPublicKey).update(signedBytes(timestamp, body)).digest();
        return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
      }
      case 'sm2': {
        if (!SM2_PUBLIC_KEY.test(keyOrPublicKey) || !HEX_128.test(signature)) return false;
        const publicKey = keyOrPublicKey.toLowerCase();
        if (!sm2.verifyPublicKey(publicKey)) return false;
        return sm2.doVerifySignature(Array.from(signedBytes(timestamp, body)), signature.toLowerCase(), publicKey, {
          hash: true,
          der: false,
          userId: SM2_USER_ID,
        });
      }
      default:
        return false;
    }
  } catch {
    return false;
  }
}
