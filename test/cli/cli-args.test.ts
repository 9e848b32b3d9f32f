import { describe, expect, it } from 'vitest';
import { parseArgs, usage } from '../../src/cli-args.js';
import { ConfigError, OPTIONS } from '../../src/config.js';

describe('parseArgs', () => {
  it('reads every flag form', () => {
    expect(
      parseArgs(
        ['--port', '0', '--host=0.0.0.0', '--data-dir', '/tmp/x', '--strict-auth', '--log-level', 'debug'],
        {},
      ),
    ).toEqual({ port: 0, host: '0.0.0.0', dataDir: '/tmp/x', strictAuth: true, logLevel: 'debug' });
  });

  it('reads the environment and lets flags win', () => {
    expect(parseArgs(['--port', '5000'], { LOCALAWS_PORT: '4000', LOCALAWS_REGION: 'eu-west-1' })).toEqual({
      port: 5000,
      region: 'eu-west-1',
    });
    expect(parseArgs([], { LOCALAWS_STRICT_AUTH: 'false' })).toEqual({ strictAuth: false });
    expect(parseArgs([], { LOCALAWS_CREDENTIALS: 'AKID:secret,other:s:with:colons' })).toEqual({
      credentials: { AKID: 'secret', other: 's:with:colons' },
    });
  });

  it('reads EC2 transition times in seconds, fractions and zero included', () => {
    expect(
      parseArgs(['--ec2-boot-seconds', '0', '--ec2-stop-seconds=2.5'], {
        LOCALAWS_EC2_TERMINATE_SECONDS: '7',
      }),
    ).toEqual({
      ec2BootSeconds: 0,
      ec2StopSeconds: 2.5,
      ec2TerminateSeconds: 7,
    });
    expect(() => parseArgs(['--ec2-boot-seconds', '-1'], {})).toThrow(
      '--ec2-boot-seconds: not a number of seconds: -1',
    );
    expect(() => parseArgs(['--ec2-status-check-seconds', 'soon'], {})).toThrow(ConfigError);
  });

  it('rejects what it cannot read', () => {
    expect(() => parseArgs(['--port', '70000'], {})).toThrow(ConfigError);
    expect(() => parseArgs(['--port'], {})).toThrow('--port needs a value');
    expect(() => parseArgs(['--log-level', 'loud'], {})).toThrow(ConfigError);
    expect(() => parseArgs(['--credentials', 'nocolon'], {})).toThrow(ConfigError);
    expect(() => parseArgs(['--what'], {})).toThrow('unknown option --what');
    expect(() => parseArgs([], { LOCALAWS_STRICT_AUTH: 'maybe' })).toThrow(ConfigError);
  });

  it('--help and --version win', () => {
    expect(parseArgs(['--port', '1', '--help'], {})).toBe('help');
    expect(parseArgs(['--version'], {})).toBe('version');
  });

  it('usage lists every option with its default', () => {
    const text = usage();
    for (const o of OPTIONS) expect(text).toContain(o.env);
    expect(text).toContain('(default 4566)');
    expect(text).toContain('(default 127.0.0.1)');
  });
});
