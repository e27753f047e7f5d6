import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildSync } from 'esbuild';

/*
 * The console CLI as users run it: bundled like the `bundle:console` task does, run as a subprocess. Needs node and
 * esbuild only; the endpoint is whatever the caller gives (test/system/console gives moto, report.test.ts nothing).
 */

export const CLI_ENTRY = path.join(__dirname, '..', '..', 'src', 'console', 'cli.ts');

/** Bundles the CLI exactly as the `bundle:console` task does, into a temporary file. */
export function bundleCli(): string {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pm-console-')), 'payment-migration.js');
  buildSync({
    entryPoints: [CLI_ENTRY],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    mainFields: ['module', 'main'],
    external: ['aws-local-stepfunctions'],
    banner: { js: '#!/usr/bin/env node' },
    outfile: out,
    logLevel: 'silent',
  });
  return out;
}

/** What one CLI run printed and exited with. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the bundled CLI as a subprocess (asynchronously: the recording proxy lives in this process). */
export function runCli(bundle: string, endpoint: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile('node', [bundle, ...args], {
      env: {
        PATH: process.env.PATH!,
        HOME: os.tmpdir(),
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL: endpoint,
        AWS_EC2_METADATA_DISABLED: 'true',
        ...env,
      },
      timeout: 30000,
    }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof (error as any).code === 'number' ? (error as any).code : 1) : 0, stdout, stderr });
    });
  });
}
