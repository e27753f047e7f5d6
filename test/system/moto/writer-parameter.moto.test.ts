/*
 * The writer parameter's create-only custom resource against moto's SSM. Nothing is hand-copied: the calls are the
 * synthesized `Custom::DatabaseWriterParameter` resource's own `Create` / `Update` / `Delete` properties, run by
 * aws-cdk-lib's own AwsCustomResource provider handler (the code Lambda runs, with `@aws-sdk/client-ssm`), so the
 * test fails if the construct changes its calls. Assertions are on what moto's SSM then holds.
 */
import * as path from 'path';
import {
  DeleteParameterCommand, DescribeParametersCommand, GetParameterCommand, ListTagsForResourceCommand, ParameterType, PutParameterCommand, SSMClient,
} from '@aws-sdk/client-ssm';
import { App, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { eventsFor, resolve } from './cfn';
import { HandlerSuite } from './handler-suite';
import { DatabaseWriter, DatabaseWriterParameter } from '../../../src';

const REGION = 'us-east-1';
const NAME = '/payments/database/writer';
/** aws-cdk-lib's AwsCustomResource provider, as bundled in the installed aws-cdk-lib (AwsCustomResource deploys it). */
const PROVIDER = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'custom-resource-handlers', 'dist', 'custom-resources', 'aws-custom-resource-handler', 'index.js');

/** The custom resource of a DatabaseWriterParameter as CloudFormation hands it to the provider. */
type SynthOptions = { removalPolicy?: RemovalPolicy; parameterName?: string; tags?: Record<string, string> };
function synth(props: SynthOptions = {}): { id: string; props: Record<string, any> } {
  const stack = new Stack(new App(), 'Writer', { env: { account: '111111111111', region: REGION } });
  for (const [key, tag] of Object.entries(props.tags ?? {})) Tags.of(stack).add(key, tag);
  new DatabaseWriterParameter(stack, 'Writer', { parameterName: props.parameterName ?? NAME, removalPolicy: props.removalPolicy });
  const t = Template.fromStack(stack).toJSON();
  const ids = (type: string) => Object.keys(t.Resources).filter((k) => t.Resources[k].Type === type);
  const [id] = ids('Custom::DatabaseWriterParameter');
  const refs: Record<string, string> = {};
  for (const f of ids('AWS::Lambda::Function')) refs[`${f}.Arn`] = `arn:aws:lambda:${REGION}:111111111111:function:${f}`;
  return { id, props: resolve(t.Resources[id].Properties, refs, { region: REGION, stringify: true }) };
}

const suite = HandlerSuite.open(REGION, () => PROVIDER);
let ssm: SSMClient;
beforeAll(() => {
  ssm = suite.client((c) => new SSMClient(c));
});

const value = async (name = NAME) => (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
const exists = (name = NAME) => ssm.send(new GetParameterCommand({ Name: name })).then(() => true, (e) => (e.name === 'ParameterNotFound' ? false : Promise.reject(e)));
/** What the cutover (or an operator, by the runbook) does. */
const write = (v: string) => ssm.send(new PutParameterCommand({ Name: NAME, Value: v, Type: ParameterType.STRING, Overwrite: true }));

test('the synthesized calls: PutParameter (Overwrite false) on Create, nothing on Update, DeleteParameter on Delete', () => {
  const { props } = synth();
  expect(JSON.parse(props.Create)).toMatchObject({ service: 'SSM', action: 'putParameter', parameters: { Name: NAME, Value: 'SOURCE', Overwrite: false } });
  expect(props.Update).toBeUndefined();
  expect(JSON.parse(props.Delete)).toMatchObject({ service: 'SSM', action: 'deleteParameter', parameters: { Name: NAME }, ignoreErrorCodesMatching: 'ParameterNotFound' });
});

test('the first deploy creates the parameter at SOURCE, with the allowed pattern that refuses any other value', async () => {
  const { id, props } = synth();

  const response = await suite.run(eventsFor(id, 'Custom::DatabaseWriterParameter').create(props));

  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NAME });
  const p = (await ssm.send(new GetParameterCommand({ Name: NAME }))).Parameter!;
  expect(p).toMatchObject({ Name: NAME, Type: 'String', Value: DatabaseWriter.SOURCE, Version: 1 });
  const described = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [NAME] }] }));
  expect(described.Parameters?.[0]?.AllowedPattern).toBe('^(SOURCE|FENCED|TARGET)$');
  expect(described.Parameters?.[0]?.Description).toMatch(/^Where the payment fleet writes/);
});

test('the stack\'s tags reach the parameter it creates (Tags.of(stack)); an untagged stack gives none', async () => {
  const tagged = synth({ tags: { env: 'prod', team: 'payments' } });
  expect(JSON.parse(tagged.props.Create).parameters.Tags).toEqual([{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'payments' }]);
  expect(JSON.parse(synth().props.Create).parameters.Tags).toBeUndefined();

  const response = await suite.run(eventsFor(tagged.id, 'Custom::DatabaseWriterParameter').create(tagged.props));

  expect(response.Status).toBe('SUCCESS');
  const listed = await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: NAME }));
  expect(listed.TagList).toEqual(expect.arrayContaining([{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'payments' }]));
});

test('a later deploy (Update, same or changed properties) never resets what the cutover wrote', async () => {
  const { id, props } = synth();
  const events = eventsFor(id, 'Custom::DatabaseWriterParameter');
  const created = await suite.run(events.create(props));
  await write(DatabaseWriter.TARGET);

  const same = await suite.run(events.update(created.PhysicalResourceId, props, props));
  // A changed resource (here its Delete call, from a changed removal policy) is still an Update, not a Create
  const retained = synth({ removalPolicy: RemovalPolicy.RETAIN }).props;
  const changed = await suite.run(events.update(created.PhysicalResourceId, retained, props));

  expect([same, changed].map((r) => [r.Status, r.PhysicalResourceId])).toEqual([['SUCCESS', NAME], ['SUCCESS', NAME]]);
  expect(await value()).toBe(DatabaseWriter.TARGET);
});

test('Create never overwrites a parameter that exists (kept from an earlier stack): FAILED, the value stays', async () => {
  await write(DatabaseWriter.TARGET);
  const { id, props } = synth();

  const response = await suite.run(eventsFor(id, 'Custom::DatabaseWriterParameter').create(props));

  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toMatch(/ParameterAlreadyExists|already exists/);
  expect(await value()).toBe(DatabaseWriter.TARGET);
});

test('Delete (RemovalPolicy.DESTROY, the default) deletes the parameter; a Delete of a parameter already gone succeeds', async () => {
  const { id, props } = synth();
  const events = eventsFor(id, 'Custom::DatabaseWriterParameter');
  const created = await suite.run(events.create(props));

  expect((await suite.run(events.delete(created.PhysicalResourceId, props))).Status).toBe('SUCCESS');
  expect(await exists()).toBe(false);
  expect((await suite.run(events.delete(created.PhysicalResourceId, props))).Status).toBe('SUCCESS');
});

test('Delete with RemovalPolicy.RETAIN leaves the parameter and its value', async () => {
  const { id, props } = synth({ removalPolicy: RemovalPolicy.RETAIN });
  expect(props.Delete).toBeUndefined();
  const events = eventsFor(id, 'Custom::DatabaseWriterParameter');
  const created = await suite.run(events.create(props));
  await write(DatabaseWriter.FENCED);

  expect((await suite.run(events.delete(created.PhysicalResourceId, props))).Status).toBe('SUCCESS');
  expect(await value()).toBe(DatabaseWriter.FENCED);
});

test('a renamed parameter under the same construct id creates nothing (as documented: a new name needs a new construct id)', async () => {
  const { id, props } = synth();
  const events = eventsFor(id, 'Custom::DatabaseWriterParameter');
  const created = await suite.run(events.create(props));
  const renamed = synth({ parameterName: '/payments/database/writer-2' }).props;

  const response = await suite.run(events.update(created.PhysicalResourceId, renamed, props));

  // CloudFormation sends Update (the resource's logical id is unchanged) and the provider has no Update call
  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NAME });
  expect(await exists('/payments/database/writer-2')).toBe(false);
  await ssm.send(new DeleteParameterCommand({ Name: NAME }));
});
