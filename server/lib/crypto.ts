import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

// Phone numbers are encrypted at rest (个人信息保护法) with AES-256-GCM under a key derived from
// DATA_KEY; device and network identifiers are stored only as salted HMACs for the abuse rules.

function subKey(dataKeyHex: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(dataKeyHex, 'hex'), Buffer.alloc(0), `mspy:${purpose}`, 32));
}

export interface DataCrypto {
  encryptPhone(phone: string): string;
  decryptPhone(blob: string): string;
  /** Salted, keyed hash of an identifier (client id, network address); not reversible. */
  hashId(kind: 'client' | 'net', value: string): string;
}

export function createDataCrypto(dataKeyHex: string): DataCrypto {
  const encKey = subKey(dataKeyHex, 'phone');
  const macKey = subKey(dataKeyHex, 'id-hash');
  return {
    encryptPhone(phone) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const ct = Buffer.concat([cipher.update(phone, 'utf8'), cipher.final()]);
      return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
    },
    decryptPhone(blob) {
      const [v, iv, tag, ct] = blob.split('.');
      if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('unknown phone ciphertext format');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
    hashId(kind, value) {
      return createHmac('sha256', macKey).update(`${kind}:${value}`).digest('base64url').slice(0, 32);
    },
  };
}
