import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe } from '../private/validation';

/**
 * CloudFormation's limit on a template read from S3, 1 MB, counted as CDK counts it (`Template size exceeds limit:
 * …/1000000`): the characters of the template CDK writes (indented, unless `@aws-cdk/core:suppressTemplateIndentation`).
 * @internal
 */
export const TEMPLATE_LIMIT = 1_000_000;

/** The stack's template as CDK renders it, at validation time (after every construct and aspect, before it is written). */
interface RenderableStack {
  readonly _suppressTemplateIndentation?: boolean;
  _toCloudFormation(): unknown;
}

/**
 * Every record name is in each traffic shift of the cutover, its rollbacks and the runbook (several kilobytes each):
 * enough names push the template past CloudFormation's 1 MB, which it refuses at deploy time, after the assets are
 * published. Checked when the app synthesizes (the whole stack is known only then), naming the prop that grows it.
 * @internal
 */
export function refuseTemplatePastTheLimit(migration: IConstruct, recordNames: readonly string[]): void {
  migration.node.addValidation({
    validate: () => {
      const stack = Stack.of(migration) as unknown as RenderableStack;
      const indent = stack._suppressTemplateIndentation ? undefined : 1;
      const size = JSON.stringify(stack._toCloudFormation(), undefined, indent).length;
      if (size <= TEMPLATE_LIMIT) return [];
      return [
        `PaymentMigration at ${migration.node.path}: \`side.dns.recordNames\` must keep the stack's template within CloudFormation's 1 MB ` +
          `limit (${TEMPLATE_LIMIT.toLocaleString('en-US')} characters, as CDK counts it): the template would be ${size.toLocaleString('en-US')}, ` +
          'and every record name is written into each traffic shift of the cutover, its rollbacks and the runbook. Move some names to a second ' +
          `migration (another stack), or other resources out of this stack, got: ${describe(`${recordNames.length} names`)}`,
      ];
    },
  });
}
