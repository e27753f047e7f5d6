import * as dms from 'aws-cdk-lib/aws-dms';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DatabaseEngine } from './props';
import { STANDARD_PORTS } from '../private/aurora';

/** The datacenter database's engine and port, their defaults resolved here, once: MySQL, the engine's standard port. @internal */
export function datacenterEngine(db: { readonly engine?: DatabaseEngine; readonly port?: number }): { engine: DatabaseEngine; port: number } {
  const engine = db.engine ?? DatabaseEngine.MYSQL;
  return { engine, port: db.port ?? STANDARD_PORTS[engine === DatabaseEngine.POSTGRESQL ? 'postgresql' : 'mysql'] };
}

/** What differs between the on-premises and the Aurora side of an endpoint; the direction is chosen per endpoint. @internal */
export interface EndpointSide {
  readonly engineName: string;
  readonly databaseName?: string;
  readonly sslMode: string;
  readonly certificateArn?: string;
  readonly mySqlSettings?: dms.CfnEndpoint.MySqlSettingsProperty;
  readonly postgreSqlSettings?: dms.CfnEndpoint.PostgreSqlSettingsProperty;
}

/** One DMS endpoint of one side, in one direction (`source` or `target` of a task). @internal */
export function createEndpoint(scope: Construct, id: string, endpointType: 'source' | 'target', identifier: string, key: kms.IKey, side: EndpointSide): dms.CfnEndpoint {
  return new dms.CfnEndpoint(scope, id, {
    endpointIdentifier: identifier,
    endpointType,
    kmsKeyId: key.keyArn,
    ...side,
  });
}

/** How an endpoint reads its secret: through the access role. @internal */
export function secretSettings(engine: DatabaseEngine, secret: secretsmanager.ISecret, role: iam.IRole): Pick<EndpointSide, 'mySqlSettings' | 'postgreSqlSettings'> {
  const settings = { secretsManagerSecretId: secret.secretFullArn!, secretsManagerAccessRoleArn: role.roleArn };
  return engine === DatabaseEngine.POSTGRESQL ? { postgreSqlSettings: settings } : { mySqlSettings: settings };
}

/** The DMS certificate of one side (@internal): the ARN given, or one `AWS::DMS::Certificate` imported from the PEM. */
export function endpointCertificate(scope: Construct, id: string, db: { certificateArn?: string; certificatePem?: string }): string | undefined {
  if (db.certificateArn) {
    return db.certificateArn;
  }
  if (db.certificatePem) {
    return new dms.CfnCertificate(scope, id, { certificatePem: db.certificatePem }).ref;
  }
  return undefined;
}

/** The datacenter's MySQL endpoint without its database name: the DMS rule for the reverse task's MySQL endpoints. @internal */
export function withoutMysqlDatabase(side: EndpointSide): EndpointSide {
  return side.engineName === DatabaseEngine.MYSQL ? { ...side, databaseName: undefined } : side;
}
