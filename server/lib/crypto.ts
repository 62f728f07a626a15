import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

// Phone numbers are encrypted at rest (个人信息保护法) with AES-256-GCM under a key derived from
// DATA_KEY; so are the credentials the server must use again (a DingTalk robot's 加签 secret), under a
// key of their own. Device and network identifiers are stored only as salted HMACs for the abuse rules.

function subKey(dataKeyHex: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(dataKeyHex, 'hex'), Buffer.alloc(0), `mspy:${purpose}`, 32));
}

export interface DataCrypto {
  encryptPhone(phone: string): string;
  decryptPhone(blob: string): string;
  /** A credential kept to be used again (a robot's signing secret), encrypted for storage. */
  encryptSecret(secret: string): string;
  decryptSecret(blob: string): string;
  /** Salted, keyed hash of an identifier (client id, network address); not reversible. */
  hashId(kind: 'client' | 'net', value: string): string;
}

function seal(key: Buffer, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
}

function unseal(key: Buffer, blob: string, what: string): string {
  const [v, iv, tag, ct] = blob.split('.');
  if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error(`unknown ${what} ciphertext format`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

export function createDataCrypto(dataKeyHex: string): DataCrypto {
  const encKey = subKey(dataKeyHex, 'phone');
  const secretKey = subKey(dataKeyHex, 'secret');
  const macKey = subKey(dataKeyHex, 'id-hash');
  return {
    encryptPhone: (phone) => seal(encKey, phone),
    decryptPhone: (blob) => unseal(encKey, blob, 'phone'),
    encryptSecret: (secret) => seal(secretKey, secret),
    decryptSecret: (blob) => unseal(secretKey, blob, 'secret'),
    hashId(kind, value) {
      return createHmac('sha256', macKey).update(`${kind}:${value}`).digest('base64url').slice(0, 32);
    },
  };
}
