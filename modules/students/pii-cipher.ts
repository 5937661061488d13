import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { AppConfig } from '../../config/app-config';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * PIPL at rest (QUALITY §4): AES-256-GCM with PII_ENCRYPTION_KEY for ID and mobile numbers
 * (`version | iv | tag | ciphertext`), and a keyed HMAC-SHA256 blind index with
 * PII_HASH_KEY for uniqueness and look-ups. The index is domain-separated by kind, so an
 * ID number's hash never equals a mobile number's.
 */
@Injectable()
export class PiiCipher {
  private readonly encKey: KeyObject;
  private readonly hashKey: KeyObject;

  constructor(config: AppConfig) {
    this.encKey = createSecretKey(Buffer.from(config.PII_ENCRYPTION_KEY, 'base64'));
    this.hashKey = createSecretKey(Buffer.from(config.PII_HASH_KEY, 'utf8'));
  }

  encrypt(plain: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  /** Bytes (an uploaded roster waiting for its import job) sealed like a number: `version | iv | tag | ciphertext`. */
  encryptBytes(plain: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  decryptBytes(sealed: Buffer): Buffer {
    if (sealed[0] !== VERSION) throw new Error('unknown PII cipher version');
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  }

  decrypt(sealed: Buffer): string {
    if (sealed[0] !== VERSION) throw new Error('unknown PII cipher version');
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /** Blind index of a normalised resident ID number (32 bytes). */
  idNumberHash(normalized: string): Buffer {
    return createHmac('sha256', this.hashKey).update(`resident-id:${normalized}`).digest();
  }
}
