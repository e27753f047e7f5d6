/**
 * What both runbook tests share: the synthesized template's runbook outputs, resolved to resources seeded in moto
 * (the weighted records by the records handler itself, every gating alarm OK), and running their commands.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template as CdkTemplate } from 'aws-cdk-lib/assertions';
import { catchResponses, eventsFor, lambdaContext, resolve } from './cfn';
import { MotoServer, startMoto } from './moto-server';
import {
  commandsOf, isUsageError, operationOf, referencedIds, regionProblems, requireAwsCli, runRecoverySection, seedAws, seedResources, shell, ShellRun,
  Template, wasRun,
} from './runbook';
import { bundlePeerRoutesHandler } from '../../regional-network/bundle';
import { bundleHandler } from '../../weighted-cutover/bundle';

export class RunbookWorld {
  /**
   * A world for one test file: started before its tests (`stackOf` builds the stack whose runbook is run, in a new app;
   * `seed` adds what one migration needs), stopped after.
   */
  public static open(region: string, stack: string, stackOf: (app: App) => Stack, seed: (world: RunbookWorld) => void): RunbookWorld {
    jest.setTimeout(60_000);
    const world = new RunbookWorld(region, stack);
    beforeAll(() => world.start(() => CdkTemplate.fromStack(stackOf(new App())).toJSON() as Template, seed));
    afterAll(() => world.stop());
    return world;
  }

  public moto!: MotoServer;
  public template!: Template;
  public refs!: Record<string, string>;
  /** Section (output id without the construct prefix) → resolved runbook text. */
  public readonly sections: Record<string, string> = {};
  public readonly ran = new Map<string, ShellRun>();

  constructor(private readonly region: string, private readonly stack: string) {}

  /**
   * Synthesizes (`build`), starts moto and seeds what the runbook names; `seed` adds what one migration needs
   * (after the alarms, before the sections are resolved).
   */
  public async start(build: () => Template, seed: (world: RunbookWorld) => void): Promise<void> {
    requireAwsCli();
    bundleHandler();
    bundlePeerRoutesHandler();
    const template = this.template = build();
    const moto = this.moto = await startMoto();

    // What the deployment created that the runbook names, and the weighted records (by the records handler itself)
    // the raw `aws …` sections; RunbookConsole holds the operator console's commands (tested in test/console)
    const outputs = Object.entries(template.Outputs ?? {}).filter(([k]) => /Runbook/.test(k) && !/RunbookConsole/.test(k));
    const [recordsId] = Object.keys(template.Resources).filter((k) => template.Resources[k].Type === 'Custom::WeightedRecords');
    const ids = referencedIds(outputs.map(([, o]) => o.Value));
    referencedIds(template.Resources[recordsId].Properties, ids);
    const refs = this.refs = seedResources(moto, template, ids, this.region, this.stack);
    const caught = catchResponses();
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const handler = require(bundleHandler()).handler;
      const restore = Object.assign({}, process.env);
      Object.assign(process.env, moto.env(this.region));
      await handler(eventsFor(recordsId, 'Custom::WeightedRecords').create(resolve(template.Resources[recordsId].Properties, refs, { region: this.region, stringify: true })), lambdaContext());
      process.env = restore;
      expect(caught.responses.map((r) => r.Status)).toEqual(['SUCCESS']);
    } finally {
      caught.restore();
    }
    // Every gating alarm OK, as step 1 of the runbook expects before a start
    for (const id of ids) {
      if (template.Resources[id].Type === 'AWS::CloudWatch::Alarm') {
        seedAws(moto, this.region, ['cloudwatch', 'set-alarm-state', '--alarm-name', refs[id], '--state-value', 'OK', '--state-reason', 'moto']);
      }
    }
    seed(this);
    for (const [k, o] of outputs) this.sections[k.replace(/^Migration/, '').replace(/Runbook/, '').replace(/[0-9A-F]{8}$/, '')] = resolve(o.Value, refs, { region: this.region });
  }

  public async stop(): Promise<void> {
    await this.moto?.stop();
  }

  // Arrow functions, so that a test file can destructure them.
  public readonly run = (line: string, extraEnv: Record<string, string> = {}): ShellRun => {
    const r = shell(this.moto, line, this.region, extraEnv);
    this.ran.set(line, r);
    return r;
  };

  /** The commands of one runbook section, by a pattern that must match exactly one. */
  public readonly command = (section: string, pattern: RegExp): string => {
    const found = commandsOf(this.sections[section]).filter((c) => pattern.test(c));
    if (found.length !== 1) throw new Error(`${section}: ${found.length} commands match ${pattern}:\n${this.sections[section]}`);
    return found[0];
  };

  public readonly allCommands = (): string[] => Object.values(this.sections).flatMap(commandsOf);

  public readonly zoneId = (): string =>
    this.refs[Object.keys(this.template.Resources).find((k) => this.template.Resources[k].Type === 'AWS::Route53::HostedZone')!];

  /** Runs ManualRollback's change-resource-record-sets: it succeeds, and every record name is back on the source (100 / 0). */
  public expectManualRollback(): void {
    const back = this.run(this.command('ManualRollback', /change-resource-record-sets/));
    expect([back.status, back.stderr]).toEqual([0, '']);
    expect(this.weights()).toEqual({
      'source@api.pay.example.com.': 100,
      'target@api.pay.example.com.': 0,
      'source@checkout.pay.example.com.': 100,
      'target@checkout.pay.example.com.': 0,
    });
  }

  /** The first test of a runbook file: the runbook has these sections, and these commands (`service operation`, in order). */
  public testContents(sections: string[], operations: string[]): void {
    test('the runbook has the sections and commands this file runs', () => {
      expect(Object.keys(this.sections).sort()).toEqual(sections);
      expect(this.allCommands().map((c) => Object.values(operationOf(c)).join(' '))).toEqual(operations);
    });
  }

  /**
   * The tests every runbook file ends with (call it last): the Recovery section run by hand, every region-sensitive
   * command naming its region (`expectedRegions`), and every runbook command run here and accepted by awscli.
   */
  public closingTests(expectedRegions: (command: string) => string[] | undefined): void {
    test('recovery: the record read (STUCK, its owner), the owner not running, the recovery started by hand for that owner', () => {
      runRecoverySection(this.moto, this.region, this.sections.Recovery, this.refs, this.template, this.run);
    });

    test('every region-sensitive command names the right region', () => {
      expect(regionProblems(this.allCommands(), expectedRegions)).toEqual([]);
    });

    test('every runbook command was run here, and awscli accepted each one', () => {
      const notRun = this.allCommands().filter((c) => !wasRun(c, this.ran.keys()));
      expect(notRun).toEqual([]);
      expect([...this.ran.values()].filter(isUsageError).map((r) => `${r.command}\n${r.stderr}`)).toEqual([]);
    });
  }

  public readonly weights = (): Record<string, number> => {
    const out = seedAws(this.moto, this.region, ['route53', 'list-resource-record-sets', '--hosted-zone-id', this.zoneId()]);
    return Object.fromEntries(out.ResourceRecordSets.filter((r: any) => r.Type === 'A').map((r: any) => [`${r.SetIdentifier}@${r.Name}`, r.Weight]));
  };
}
