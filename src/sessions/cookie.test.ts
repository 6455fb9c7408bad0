import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config/load.js';
import type { GatehouseConfigInput } from '../core/config/schema.js';
import { ConfigError } from '../core/errors/gatehouse-error.js';
import { allowedOrigins, isLoopbackHost, resolveSessionCookie } from './cookie.js';

const config = (overrides: GatehouseConfigInput) => loadConfig({ env: {}, cwd: '/tmp', overrides });

describe('resolveSessionCookie', () => {
  it('secure: true is __Host-gatehouse_session with Secure, on any host', () => {
    expect(resolveSessionCookie(config({ sessions: { cookie: { secure: true } } }))).toEqual({ name: '__Host-gatehouse_session', secure: true });
  });

  it('auto (the default) on the quick start (http://127.0.0.1:8080) is the development cookie, with one warning', () => {
    const c = resolveSessionCookie(config({}));
    expect(c).toMatchObject({ name: 'gatehouse_session', secure: false });
    expect(c.warning).toMatch(/development mode/);
  });

  it('auto is Secure behind an https public URL, and on a non-loopback bind', () => {
    expect(resolveSessionCookie(config({ server: { publicUrl: 'https://auth.example.com' } })).secure).toBe(true);
    expect(resolveSessionCookie(config({ server: { host: '0.0.0.0' } })).secure).toBe(true);
    expect(resolveSessionCookie(config({ server: { publicUrl: 'http://auth.example.com' } })).secure).toBe(true);
  });

  it('secure: false is refused at start unless the bind and the public host are loopback', () => {
    expect(() => resolveSessionCookie(config({ server: { host: '0.0.0.0' }, sessions: { cookie: { secure: false } } }))).toThrow(ConfigError);
    expect(() => resolveSessionCookie(config({ server: { publicUrl: 'http://auth.example.com' }, sessions: { cookie: { secure: false } } }))).toThrow(ConfigError);
    expect(resolveSessionCookie(config({ server: { host: '::1' }, sessions: { cookie: { secure: false } } }))).toMatchObject({ name: 'gatehouse_session', secure: false });
    expect(resolveSessionCookie(config({ server: { publicUrl: 'http://localhost:8080' }, sessions: { cookie: { secure: false } } })).secure).toBe(false);
  });
});

describe('allowedOrigins', () => {
  it('is the public URL\'s origin when set', () => {
    expect(allowedOrigins(config({ server: { publicUrl: 'https://auth.example.com' } }).server)).toEqual(['https://auth.example.com']);
  });

  it('is the bound port under every loopback name when unset on a loopback bind', () => {
    expect(allowedOrigins(config({}).server, 43210)).toEqual(['http://127.0.0.1:43210', 'http://localhost:43210', 'http://[::1]:43210']);
  });
});

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'app.localhost'])('%s is loopback', (h) => expect(isLoopbackHost(h)).toBe(true));
  it.each(['0.0.0.0', '10.0.0.1', 'example.com', '128.0.0.1', 'localhost.example.com'])('%s is not', (h) => expect(isLoopbackHost(h)).toBe(false));
});
