/*
 * The checkpoint bucket is WORM (Object Lock, default retention in governance mode). S3 refuses an upload to a bucket
 * with a default retention that carries neither Content-MD5 nor a checksum header (PutObject API reference:
 * "The Content-MD5 or x-amz-sdk-checksum-algorithm header is required for any request to upload an object with a
 * retention period configured using Amazon S3 Object Lock"). moto enforces the same rule. Nothing is hand-copied:
 * the bucket's Object Lock configuration and the PutObject parameters are the synthesized template's own.
 */
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, PutObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { Template } from 'aws-cdk-lib/assertions';
import { MotoServer, setEnv, startMoto } from './moto-server';
import { stateMachinesOf } from '../../../src/rehearsal/resolve-template';
import { target } from '../../payment-migration/fixtures';

jest.setTimeout(30_000);

const REGION = 'eu-west-1';
const BUCKET = 'payments-checkpoints';

/** The template's checkpoint bucket and the parameters of every checkpoint PutObject of the cutover. */
function synthesized(template: Template) {
  const buckets = Object.entries(template.findResources('AWS::S3::Bucket')).filter(([id]) => id.startsWith('MigrationOrchestratorCheckpoints'));
  expect(buckets).toHaveLength(1);
  const bucket = buckets[0][1] as any;
  const puts: Array<Record<string, unknown>> = [];
  const visit = (states: Record<string, any>) => {
    for (const state of Object.values(states)) {
      if (state.Resource === 'arn:aws:states:::aws-sdk:s3:putObject') puts.push(state.Parameters);
      for (const branch of state.Branches ?? []) visit(branch.States);
      if (state.ItemProcessor) visit(state.ItemProcessor.States);
      if (state.Iterator) visit(state.Iterator.States);
    }
  };
  const machines = stateMachinesOf(template.toJSON() as any);
  for (const machine of Object.values(machines)) visit(machine.States);
  return { lock: bucket.Properties.ObjectLockConfiguration, puts };
}

/** Runs one checkpoint PutObject as Step Functions would: its parameters, JSONPath fields given sample values. */
function putOf(parameters: Record<string, unknown>, withoutChecksum = false): PutObjectCommand {
  const p = Object.fromEntries(Object.entries(parameters).filter(([k]) => !k.endsWith('.$')));
  const { ChecksumAlgorithm, ...rest } = p as Record<string, any>;
  return new PutObjectCommand({
    ...rest,
    Bucket: BUCKET,
    Key: 'cutovers/cutover-20261201T000000Z/started.json',
    Body: JSON.stringify({ phase: 'started' }),
    ...(withoutChecksum ? {} : { ChecksumAlgorithm }),
  } as any);
}

let moto: MotoServer;
let restoreEnv: () => void;
let s3: S3Client;

beforeAll(async () => {
  moto = await startMoto();
  restoreEnv = setEnv(moto.env(REGION));
  // Send only what the request asks for: no default checksum the Step Functions integration might not add.
  s3 = new S3Client({ region: REGION, endpoint: moto.endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
});

afterAll(async () => {
  s3?.destroy();
  restoreEnv?.();
  await moto?.stop();
});

describe('the checkpoint trail is WORM, and the cutover can still write it', () => {
  const { lock, puts } = synthesized(target().template);

  test('the bucket locks every version a year in governance mode', () => {
    expect(lock).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: expect.any(Number) } } });
    expect(lock.Rule.DefaultRetention.Days).toBeGreaterThanOrEqual(365);
    expect(puts.length).toBeGreaterThan(0);
  });

  test('every checkpoint PutObject of the synthesized machines is accepted by a bucket with that lock, and the object is retained', async () => {
    const create = { Bucket: BUCKET, ObjectLockEnabledForBucket: true, CreateBucketConfiguration: { LocationConstraint: REGION } } as const;
    await s3.send(new CreateBucketCommand(create));
    await s3.send(new PutObjectLockConfigurationCommand({
      Bucket: BUCKET,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: lock.Rule.DefaultRetention.Mode, Days: lock.Rule.DefaultRetention.Days } } },
    }));
    for (const parameters of puts) {
      await expect(s3.send(putOf(parameters))).resolves.toBeDefined();
    }
    // moto's GetObjectRetention answer does not parse in SDK v3; HeadObject carries the same lock
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'cutovers/cutover-20261201T000000Z/started.json' }));
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    expect(head.ObjectLockRetainUntilDate!.getTime() - Date.now()).toBeGreaterThan(364 * 24 * 3600 * 1000);
  });

  test('the same upload without its checksum is refused (what the cutover would meet without ChecksumAlgorithm)', async () => {
    await expect(s3.send(putOf(puts[0], true))).rejects.toThrow(/Content-MD5|checksum/i);
  });
});
