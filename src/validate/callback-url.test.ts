import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { bareHost, classifyAddress, classifyHost, internalName, loopbackName } from './callback-url.ts';

/** classifyHost without the cheap character test in front of ipaddr.js: what it must keep answering. */
const reference = (host: string) => {
  const h = bareHost(host);
  if (ipaddr.isValid(h)) return classifyAddress(h);
  if (loopbackName(h)) return 'loopback';
  if (internalName(h)) return 'internal';
  return undefined;
};

describe('classifyHost', () => {
  const spellings = [
    '127.0.0.1',
    '[::1]',
    '0x7f.1',
    '0x7F.0.0.1',
    '2130706433',
    '017700000001',
    '0xa9fea9fe',
    '169.254.169.254.',
    'fe80::1%eth0',
    '[::ffff:7f00:1]',
    '64:ff9b::a9fe:a9fe',
    '2002:a9fe:a9fe::',
    '8.8.8.8',
    'localhost.',
    'api.localhost',
    'metadata.internal',
    'printer.local',
    'example.com',
    'cafe.de',
    'deadbeef',
    'face',
    '',
  ];

  it('judges every spelling of an address as ipaddr.js does, and names by reserved suffix or a single label', () => {
    for (const host of spellings) expect([host, classifyHost(host)]).toEqual([host, reference(host)]);
    expect(spellings.map(classifyHost)).toEqual([
      'loopback',
      'loopback',
      'loopback',
      'loopback',
      'loopback',
      'loopback',
      'link-local',
      'link-local',
      'link-local',
      'loopback',
      'link-local',
      'link-local',
      'public',
      'loopback',
      'loopback',
      'internal',
      'internal',
      undefined,
      undefined,
      // single-label names resolve only through /etc/hosts or a search domain
      'internal',
      'internal',
      'internal',
    ]);
  });

  it('agrees with ipaddr.js on random strings of address characters and letters', () => {
    const alphabet = '0123456789abcdefxX.:%gz';
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 3000; i++) {
      const host = Array.from({ length: 1 + (next() % 14) }, () => alphabet[next() % alphabet.length]).join('');
      expect([host, classifyHost(host)]).toEqual([host, reference(host)]);
    }
  });
});
