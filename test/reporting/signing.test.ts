// How an upward-report batch is signed (server/modules/reporting/signing.ts, docs/operations.md 上报签名):
// each method against independent known answers — the standards' vectors, the openssl command line, a
// second implementation (sm-crypto's own SM3) — and every way a signature must fail without throwing.
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import smCrypto from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import { createSigner, SIGNATURE_METHODS, sm2PublicKeyOf, verifySignature } from '../../server/modules/reporting/signing.js';

const { sm2, sm3 } = smCrypto;

const TS = '1764139200000';
const BODY = '{"appId":"330000-demo","records":[{"recordId":"rating-1","deptName":"社保窗口","satisfaction":5}]}';
const SECRET = 'province-shared-secret';

// GM/T 0003.5-2012 Annex A (GB/T 32918.5): the SM2 signing example on the recommended curve, user id
// 1234567812345678, message "message digest".
const GMT_PRIVATE_KEY = '3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8';
const GMT_PUBLIC_KEY =
  '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13';
const GMT_SIGNATURE =
  'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa';

/** Flips one hex digit of a signature (still well-formed, no longer right). */
const flipped = (sig: string, at = 10) => sig.slice(0, at) + (sig[at] === '0' ? '1' : '0') + sig.slice(at + 1);

describe('hmac-sha256 (the contract)', () => {
  const signer = createSigner('hmac-sha256', SECRET);

  it('is the hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the secret', () => {
    // `printf '%s' "$TS.$BODY" | openssl dgst -sha256 -hmac "$SECRET"` (OpenSSL 3.0 command line).
    const expected = 'c85a33246cdf9b8859a5c230fb44d5982176792da7c551cbdfb385db7488a7d6';
    expect(signer.method).toBe('hmac-sha256');
    expect(signer.sign(TS, BODY)).toBe(expected);
    expect(verifySignature('hmac-sha256', SECRET, TS, BODY, expected)).toBe(true);
    // The raw bytes as received verify the same; upper-case hex is the same value.
    expect(verifySignature('hmac-sha256', SECRET, TS, Buffer.from(BODY, 'utf8'), expected)).toBe(true);
    expect(verifySignature('hmac-sha256', SECRET, TS, BODY, expected.toUpperCase())).toBe(true);
  });

  it('fails for a changed body, timestamp, key or method', () => {
    const sig = signer.sign(TS, BODY);
    expect(verifySignature('hmac-sha256', SECRET, TS, BODY.replace('"satisfaction":5', '"satisfaction":4'), sig)).toBe(false);
    expect(verifySignature('hmac-sha256', SECRET, '1764139200001', BODY, sig)).toBe(false);
    expect(verifySignature('hmac-sha256', `${SECRET}x`, TS, BODY, sig)).toBe(false);
    expect(verifySignature('hmac-sm3', SECRET, TS, BODY, sig)).toBe(false);
    expect(verifySignature('hmac-sha256', SECRET, TS, BODY, flipped(sig))).toBe(false);
  });
});

describe('hmac-sm3', () => {
  const signer = createSigner('hmac-sm3', SECRET);

  it("Node's SM3 and HMAC-SM3 give the standards' known answers (what the signer is built on)", () => {
    // GB/T 32905 (GM/T 0004) example 1.
    const abc = '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';
    expect(createHash('sm3').update('abc').digest('hex')).toBe(abc);
    expect(sm3('abc')).toBe(abc);
    // GM/T 0042-2015 Appendix D.3, cases 1 and 2.
    const key1 = Buffer.from('0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20', 'hex');
    const msg1 = 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'.repeat(2);
    expect(createHmac('sm3', key1).update(msg1).digest('hex')).toBe('ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a');
    const key2 = Buffer.from('0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425', 'hex');
    const msg2 = Buffer.alloc(50, 0xcd);
    expect(createHmac('sm3', key2).update(msg2).digest('hex')).toBe('220bf579ded555393f0159f66c99877822a3ecf610d1552154b41d44b94db3ae');
  });

  it('is the hex HMAC-SM3 of "<timestamp>.<body>": the openssl command line and sm-crypto agree', () => {
    // `printf '%s' "$TS.$BODY" | openssl dgst -sm3 -hmac "$SECRET"`.
    const expected = '14bb17c013f0131e4b293d9eb7632e2735e936e4345198a0399199afecdfbe13';
    expect(signer.method).toBe('hmac-sm3');
    expect(signer.sign(TS, BODY)).toBe(expected);
    // sm-crypto's HMAC-SM3 is a second, pure-JS implementation (key as hex, message as bytes).
    const bytes = Array.from(Buffer.from(`${TS}.${BODY}`, 'utf8'));
    expect(sm3(bytes, { key: Buffer.from(SECRET, 'utf8').toString('hex'), mode: 'hmac' })).toBe(expected);
    expect(verifySignature('hmac-sm3', SECRET, TS, BODY, expected)).toBe(true);
  });

  it('fails for a changed body, timestamp, key or method', () => {
    const sig = signer.sign(TS, BODY);
    expect(verifySignature('hmac-sm3', SECRET, TS, `${BODY} `, sig)).toBe(false);
    expect(verifySignature('hmac-sm3', SECRET, '1764139199999', BODY, sig)).toBe(false);
    expect(verifySignature('hmac-sm3', 'another-secret', TS, BODY, sig)).toBe(false);
    expect(verifySignature('hmac-sha256', SECRET, TS, BODY, sig)).toBe(false);
    expect(verifySignature('hmac-sm3', SECRET, TS, BODY, flipped(sig, 63))).toBe(false);
  });
});

describe('sm2', () => {
  it("sm-crypto with the signer's options (SM3 over Z‖M, default user id, raw r‖s) verifies the GM/T 0003.5 example", () => {
    expect(sm2PublicKeyOf(GMT_PRIVATE_KEY)).toBe(GMT_PUBLIC_KEY);
    const message = Array.from(Buffer.from('message digest', 'utf8'));
    expect(sm2.doVerifySignature(message, GMT_SIGNATURE, GMT_PUBLIC_KEY, { hash: true, der: false })).toBe(true);
    expect(sm2.doVerifySignature(message, GMT_SIGNATURE, GMT_PUBLIC_KEY, { hash: true, der: false, userId: 'ALICE123@YAHOO.COM' })).toBe(
      false,
    );
  });

  it('signs as 128 hex r‖s that both verifySignature and sm-crypto itself accept, a fresh one each time', () => {
    const signer = createSigner('sm2', GMT_PRIVATE_KEY);
    expect(signer.method).toBe('sm2');
    const a = signer.sign(TS, BODY);
    const b = signer.sign(TS, BODY);
    expect(a).toMatch(/^[0-9a-f]{128}$/);
    expect(b).not.toBe(a); // SM2 signatures are randomised
    const message = Array.from(Buffer.from(`${TS}.${BODY}`, 'utf8'));
    for (const sig of [a, b]) {
      expect(verifySignature('sm2', GMT_PUBLIC_KEY, TS, BODY, sig)).toBe(true);
      expect(verifySignature('sm2', GMT_PUBLIC_KEY.toUpperCase(), TS, Buffer.from(BODY), sig.toUpperCase())).toBe(true);
      expect(sm2.doVerifySignature(message, sig, GMT_PUBLIC_KEY, { hash: true, der: false })).toBe(true);
    }
  });

  it('signs with any key and any body: sm-crypto, hashing Z‖M itself, accepts every signature (the digest is ours)', () => {
    const body = JSON.stringify({
      appId: '县',
      records: Array.from({ length: 300 }, (_, i) => ({ recordId: `rating-${i}`, deptName: '县市场监督管理局' })),
    });
    for (let k = 0; k < 6; k++) {
      const keys = sm2.generateKeyPairHex();
      const sig = createSigner('sm2', keys.privateKey).sign(TS, body);
      const message = Array.from(Buffer.from(`${TS}.${body}`, 'utf8'));
      expect(sm2.doVerifySignature(message, sig, keys.publicKey, { hash: true, der: false, userId: '1234567812345678' })).toBe(true);
      expect(sm2.doVerifySignature(message, sig, keys.publicKey, { hash: true, der: false, userId: 'another-user-id' })).toBe(false);
    }
  });

  it('accepts a signature made by OpenSSL (an independent SM2) over the same bytes', () => {
    // `openssl dgst -sm3 -sign key.der -keyform DER -sigopt distid:1234567812345678` over "$TS.$BODY"
    // with the GM/T private key; the DER's r and s, 32 bytes each.
    const openssl =
      '236dfaaef65b571cbb62cf5a296917f7b8948dba2f596712b4eea96869981dc7' +
      '9134e74a6d6d20f051df947beca5008657dedc3ff5cc0007b500406751679555';
    expect(verifySignature('sm2', GMT_PUBLIC_KEY, TS, BODY, openssl)).toBe(true);
    expect(verifySignature('sm2', GMT_PUBLIC_KEY, '1764139200001', BODY, openssl)).toBe(false);
  });

  it('fails for a changed body, timestamp or key, and for keys and signatures of the wrong shape', () => {
    const sig = createSigner('sm2', GMT_PRIVATE_KEY).sign(TS, BODY);
    const other = sm2.generateKeyPairHex();
    expect(verifySignature('sm2', GMT_PUBLIC_KEY, TS, BODY.replace('社保', '医保'), sig)).toBe(false);
    expect(verifySignature('sm2', GMT_PUBLIC_KEY, '1764139200001', BODY, sig)).toBe(false);
    expect(verifySignature('sm2', other.publicKey, TS, BODY, sig)).toBe(false);
    expect(verifySignature('sm2', GMT_PUBLIC_KEY, TS, BODY, flipped(sig, 100))).toBe(false);
    // The key: the private key, the bare x‖y, the compressed form, a point off the curve.
    expect(verifySignature('sm2', GMT_PRIVATE_KEY, TS, BODY, sig)).toBe(false);
    expect(verifySignature('sm2', GMT_PUBLIC_KEY.slice(2), TS, BODY, sig)).toBe(false);
    expect(verifySignature('sm2', `03${GMT_PUBLIC_KEY.slice(2, 66)}`, TS, BODY, sig)).toBe(false);
    expect(verifySignature('sm2', `04${'11'.repeat(64)}`, TS, BODY, sig)).toBe(false);
    // The signature: r or s zero or ≥ n, DER instead of raw, a 64-hex HMAC.
    const n = 'fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123';
    expect(verifySignature('sm2', GMT_PUBLIC_KEY, TS, BODY, '0'.repeat(64) + sig.slice(64))).toBe(false);
    expect(verifySignature('sm2', GMT_PUBLIC_KEY, TS, BODY, sig.slice(0, 64) + '0'.repeat(64))).toBe(false);
    expect(verifySignature('sm2', GMT_PUBLIC_KEY, TS, BODY, n + sig.slice(64))).toBe(false);
    const der = sm2.doSignature(`${TS}.${BODY}`, GMT_PRIVATE_KEY, { hash: true, der: true });
    expect(verifySignature('sm2', GMT_PUBLIC_KEY, TS, BODY, der)).toBe(false);
    expect(verifySignature('sm2', GMT_PUBLIC_KEY, TS, BODY, createSigner('hmac-sha256', SECRET).sign(TS, BODY))).toBe(false);
  });
});

describe('every method', () => {
  const keys = { 'hmac-sha256': [SECRET, SECRET], 'hmac-sm3': [SECRET, SECRET], sm2: [GMT_PRIVATE_KEY, GMT_PUBLIC_KEY] } as const;

  it.each(SIGNATURE_METHODS)('%s: a signature of the wrong length or not hex is false, never a throw', (method) => {
    const [secret, verifyKey] = keys[method];
    const sig = createSigner(method, secret).sign(TS, BODY);
    const malformed = [
      '',
      sig.slice(0, -1),
      `${sig}0`,
      `${sig.slice(0, -2)}zz`,
      `${sig.slice(0, 20)}g${sig.slice(21)}`,
      ` ${sig.slice(1)}`,
      `0x${sig.slice(2)}`,
      Buffer.from(sig, 'hex').toString('base64'),
      sig.repeat(2),
    ];
    for (const bad of malformed) expect(verifySignature(method, verifyKey, TS, BODY, bad), bad).toBe(false);
    // Not even a string (a header that was missing, a caller's slip).
    for (const bad of [undefined, null, 42, Buffer.from(sig, 'hex')]) {
      expect(verifySignature(method, verifyKey, TS, BODY, bad as unknown as string)).toBe(false);
    }
    expect(verifySignature(method, '', TS, BODY, sig)).toBe(false);
    expect(verifySignature(method, undefined as unknown as string, TS, BODY, sig)).toBe(false);
    expect(verifySignature(method, verifyKey, TS, undefined as unknown as string, sig)).toBe(false);
    expect(verifySignature('rsa' as never, verifyKey, TS, BODY, sig)).toBe(false);
  });

  it.each(SIGNATURE_METHODS)('%s: the timestamp is digits only, so "<timestamp>.<body>" cannot be read two ways', (method) => {
    const [secret, verifyKey] = keys[method];
    const signer = createSigner(method, secret);
    // ("1", "2.x") and ("1.2", "x") would sign the same string.
    for (const bad of ['1.2', '', '-1', ' 1764139200000', '1764139200000 ', '1e12', '１７６４']) {
      expect(() => signer.sign(bad, 'x'), bad).toThrow(/timestamp/);
      expect(verifySignature(method, verifyKey, bad, 'x', signer.sign('1', '2.x'))).toBe(false);
    }
  });

  it.each(SIGNATURE_METHODS)('%s: verifies the raw bytes received, not a decoding of them', (method) => {
    const [secret, verifyKey] = keys[method];
    // A body with U+FFFD is signed; bytes that are not UTF-8 decode to the same text but are not what was signed.
    const body = '{"a":"x\uFFFDy"}';
    const sig = createSigner(method, secret).sign(TS, body);
    const notUtf8 = Buffer.concat([Buffer.from('{"a":"x'), Buffer.from([0xff]), Buffer.from('y"}')]);
    expect(notUtf8.toString('utf8')).toBe(body);
    expect(verifySignature(method, verifyKey, TS, Buffer.from(body, 'utf8'), sig)).toBe(true);
    expect(verifySignature(method, verifyKey, TS, notUtf8, sig)).toBe(false);
  });

  it('arbitrary signatures, keys and timestamps never throw (HMAC methods)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('hmac-sha256', 'hmac-sm3' as const),
        fc.string(),
        fc.string(),
        fc.string(),
        fc.string(),
        (m, key, ts, body, sig) => {
          expect(verifySignature(m, key, ts, body, sig)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('arbitrary hex signatures and public keys of the right length never throw (sm2)', () => {
    const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
    fc.assert(
      fc.property(hex(128), hex(128), (xy, sig) => {
        expect(verifySignature('sm2', `04${xy}`, TS, BODY, sig)).toBe(false);
        expect(verifySignature('sm2', GMT_PUBLIC_KEY, TS, BODY, sig)).toBe(false);
      }),
      { numRuns: 20 },
    );
  });
});

describe('createSigner refuses a bad key with a clear message that does not repeat it', () => {
  it.each([
    ['', /64 hexadecimal characters.*got 0/],
    ['3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b', /64 hexadecimal characters.*got 63/],
    [`0x${'3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8'}`, /64 hexadecimal characters.*got 66/],
    ['3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5bg', /64 hexadecimal characters.*not all hexadecimal/],
    [' 945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8', /not all hexadecimal/],
    [GMT_PUBLIC_KEY, /64 hexadecimal characters.*got 130/],
    ['0'.repeat(64), /out of range/],
    ['fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54122', /out of range/], // n − 1
    ['fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123', /out of range/], // n
    ['f'.repeat(64), /out of range/],
  ])('sm2 private key %#', (key, message) => {
    expect(() => createSigner('sm2', key)).toThrow(message);
    try {
      createSigner('sm2', key);
    } catch (err) {
      expect(err).toBeInstanceOf(Error);
      if (key.length > 8) expect((err as Error).message).not.toContain(key.slice(4, -4));
    }
  });

  it('sm2 takes the largest and smallest private keys, in either case', () => {
    const nMinus2 = 'FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54121';
    for (const key of [nMinus2, `${'0'.repeat(63)}1`, GMT_PRIVATE_KEY, GMT_PRIVATE_KEY.toLowerCase()]) {
      const sig = createSigner('sm2', key).sign(TS, BODY);
      expect(verifySignature('sm2', sm2PublicKeyOf(key), TS, BODY, sig)).toBe(true);
    }
  });

  it('the HMAC methods refuse an empty secret, and an unknown method is named', () => {
    expect(() => createSigner('hmac-sha256', '')).toThrow('hmac-sha256 report signing needs a non-empty secret');
    expect(() => createSigner('hmac-sm3', '')).toThrow('hmac-sm3 report signing needs a non-empty secret');
    expect(() => createSigner('hmac-sha1' as never, SECRET)).toThrow(
      'unknown report signature method "hmac-sha1"; expected one of hmac-sha256, hmac-sm3, sm2',
    );
  });
});
