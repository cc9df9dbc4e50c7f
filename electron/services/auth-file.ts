/**
 * Saved live-target credentials (only those the user chose to save): a JSON file in the data
 * folder, written atomically with owner-only permissions. Electron encrypts the content with the
 * OS keychain (safeStorage) through the codec; `heapscope serve` stores it like ~/.netrc does.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AuthConfig } from '../../shared/capture/types';
import type { AuthPersistence } from './capture/auth';

export interface SecretCodec {
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

const PLAIN: SecretCodec = { encrypt: (s) => Buffer.from(s, 'utf8'), decrypt: (b) => b.toString('utf8') };

export class FileAuthPersistence implements AuthPersistence {
  constructor(
    private readonly file: string,
    private readonly codec: SecretCodec = PLAIN,
  ) {}

  static inDir(dir: string, codec?: SecretCodec): FileAuthPersistence {
    return new FileAuthPersistence(join(dir, 'credentials.json'), codec);
  }

  load(): Record<string, AuthConfig> {
    try {
      const data = JSON.parse(this.codec.decrypt(readFileSync(this.file))) as unknown;
      if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
      const out: Record<string, AuthConfig> = {};
      for (const [origin, a] of Object.entries(data as Record<string, unknown>)) {
        const v = a as Partial<AuthConfig> & Record<string, unknown>;
        if (v.kind === 'basic' && typeof v.username === 'string' && typeof v.password === 'string') out[origin] = { kind: 'basic', username: v.username, password: v.password };
        else if (v.kind === 'bearer' && typeof v.token === 'string') out[origin] = { kind: 'bearer', token: v.token };
      }
      return out;
    } catch {
      return {};
    }
  }

  save(all: Record<string, AuthConfig>): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, this.codec.encrypt(JSON.stringify(all)), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }
}
