/*
 * What the custom-resource handler tests against moto share: one moto server per test file with the SDK's
 * environment pointed at it (for the clients a handler creates at module scope), the handler loaded from the code
 * Lambda runs, and around every test moto reset and the handler's responses caught.
 */
import { CaughtResponse, catchResponses, lambdaContext } from './cfn';
import { MotoServer, setEnv, startMoto } from './moto-server';

/** What an SDK v3 client needs to reach moto: the region, moto's endpoint and dummy credentials. */
export interface MotoClientConfig {
  readonly region: string;
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export class HandlerSuite {
  /** Registers a test file's hooks; `handlerFile` gives the path of the module that exports `handler` (bundled on demand). */
  public static open(region: string, handlerFile: () => string): HandlerSuite {
    jest.setTimeout(30_000);
    const suite = new HandlerSuite(region);
    beforeAll(() => suite.start(handlerFile));
    afterAll(() => suite.stop());
    beforeEach(async () => {
      await suite.moto.reset();
      suite.caught = catchResponses();
    });
    afterEach(() => suite.caught.restore());
    return suite;
  }

  public moto!: MotoServer;
  private handler!: (event: unknown, context: unknown) => Promise<void>;
  private caught!: ReturnType<typeof catchResponses>;
  private restoreEnv?: () => void;
  private readonly clients: { destroy(): void }[] = [];

  private constructor(private readonly region: string) {}

  /** A client of moto in `region` (the suite's by default), made by `make`; destroyed when the suite stops. Call it once moto runs. */
  public client<C extends { destroy(): void }>(make: (config: MotoClientConfig) => C, region = this.region): C {
    const client = make({ region, endpoint: this.moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    this.clients.push(client);
    return client;
  }

  /** Runs the handler on `event` as Lambda would; the response it sent to CloudFormation. */
  public async run(event: unknown): Promise<CaughtResponse> {
    await this.handler(event, lambdaContext());
    return this.caught.responses[this.caught.responses.length - 1];
  }

  private async start(handlerFile: () => string): Promise<void> {
    this.moto = await startMoto();
    this.restoreEnv = setEnv(this.moto.env(this.region));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.handler = require(handlerFile()).handler;
  }

  private async stop(): Promise<void> {
    this.restoreEnv?.();
    this.clients.forEach((c) => c.destroy());
    await this.moto?.stop();
  }
}
