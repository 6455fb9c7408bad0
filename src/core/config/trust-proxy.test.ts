import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/gatehouse-error.js';
import { loadConfig } from './load.js';

const cwd = '/nonexistent-gatehouse-test-dir';

describe('server.trustProxy', () => {
  it('defaults to false and accepts booleans from the environment as before', () => {
    expect(loadConfig({ env: {}, cwd }).server.trustProxy).toBe(false);
    expect(loadConfig({ env: { GATEHOUSE_TRUST_PROXY: 'YES' }, cwd }).server.trustProxy).toBe(true);
    expect(loadConfig({ env: { GATEHOUSE_TRUST_PROXY: 'off' }, cwd }).server.trustProxy).toBe(false);
  });

  it('accepts a list of addresses, CIDR ranges and range names (env: comma-separated)', () => {
    expect(loadConfig({ env: { GATEHOUSE_TRUST_PROXY: ' 10.0.0.0/8, 127.0.0.1,,::1, fd00::/8 ,loopback' }, cwd }).server.trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
    expect(loadConfig({ env: {}, cwd, overrides: { server: { trustProxy: ['192.0.2.0/24', 'uniquelocal'] } } }).server.trustProxy).toEqual(['192.0.2.0/24', 'uniquelocal']);
  });

  it.each(['300.1.1.1', '10.0.0.0/33', '::1/129', '10.0.0.0/8/8', 'proxy.example.com', '1.2.3', '10.0.0.1/'])('refuses %j at start-up', (entry) => {
    expect(() => loadConfig({ env: {}, cwd, overrides: { server: { trustProxy: [entry] } } })).toThrow(ConfigError);
  });

  it('refuses a string that is neither a boolean nor a list', () => {
    expect(() => loadConfig({ env: {}, cwd, overrides: { server: { trustProxy: 'yes' as unknown as boolean } } })).toThrow(/server\.trustProxy/);
  });
});
