/**
 * What the boot script needs to know. Every value may be a CDK token: the script is rendered by CloudFormation.
 * @internal
 */
export interface PaymentProcessorScriptOptions {
  /** The image docker pulls. */
  readonly imageUri: string;
  /** The port the container listens on (HTTPS). */
  readonly containerPort: number;
  /** The host port published to `containerPort`: the target group's port. */
  readonly hostPort: number;
  /** Environment variables of the container, written to an env file (never on the command line). */
  readonly environment: Record<string, string>;
  /** The log group the awslogs driver writes to. */
  readonly logGroupName: string;
  /** The region of the log group. */
  readonly region: string;
  /** The ECR registry to log in to (`<account>.dkr.ecr.<region>.amazonaws.com`) and its region. */
  readonly ecrLogin?: { readonly registry: string; readonly region: string };
  /** Signal CloudFormation once the container answers its health check (rolling updates wait for it). */
  readonly signal?: { readonly stackName: string; readonly resource: string; readonly region: string; readonly healthCheckPath: string };
}

/** The name of the container and of its env file. */
export const CONTAINER_NAME = 'payment-processor';
const ENV_FILE = `/etc/${CONTAINER_NAME}/env`;
/** How long the boot script waits for the container's health check before signalling failure. */
const HEALTH_ATTEMPTS = 60;
const HEALTH_SLEEP_SECONDS = 5;

/**
 * The boot script of a fleet instance: installs docker (dnf on Amazon Linux 2023, yum on Amazon Linux 2), logs in
 * to ECR when needed, and runs the payment processor with `--restart always`, logging to CloudWatch Logs through
 * the awslogs driver. Returns one shell command a line, for `ec2.UserData.addCommands`.
 * @internal
 */
export function paymentProcessorScript(options: PaymentProcessorScriptOptions): string[] {
  const port = options.containerPort;
  const hostPort = options.hostPort;
  const lines: string[] = ['set -euo pipefail'];
  if (options.signal) {
    const s = options.signal;
    // Any failing command signals failure at once, instead of letting CloudFormation wait for the timeout.
    lines.push(`trap '/opt/aws/bin/cfn-signal -e 1 --stack ${s.stackName} --resource ${s.resource} --region ${s.region}' ERR`);
  }
  lines.push(
    '# Container runtime: docker from the distribution repositories (AL2023: dnf; AL2: yum)',
    'if command -v dnf >/dev/null 2>&1; then dnf install -y docker aws-cfn-bootstrap; else yum install -y docker aws-cfn-bootstrap; fi',
    'systemctl enable --now docker',
    '# Instance id through IMDSv2 (tokens are required), for the log stream name',
    'IMDS_TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 300")',
    'INSTANCE_ID=$(curl -sS -H "X-aws-ec2-metadata-token: ${IMDS_TOKEN}" http://169.254.169.254/latest/meta-data/instance-id)',
  );
  if (options.ecrLogin) {
    lines.push(
      `aws ecr get-login-password --region ${options.ecrLogin.region} | docker login --username AWS --password-stdin ${options.ecrLogin.registry}`,
    );
  }
  lines.push(
    '# Environment: an env file readable by root only (values are never put on a command line)',
    `install -d -m 0700 /etc/${CONTAINER_NAME}`,
    `cat > ${ENV_FILE} <<'PAYMENT_PROCESSOR_ENV'`,
    ...Object.entries(options.environment).map(([key, value]) => `${key}=${value}`),
    'PAYMENT_PROCESSOR_ENV',
    `chmod 0600 ${ENV_FILE}`,
    `docker pull ${options.imageUri}`,
    `docker rm -f ${CONTAINER_NAME} >/dev/null 2>&1 || true`,
    [
      'docker run --detach',
      `--name ${CONTAINER_NAME}`,
      '--restart always',
      `--publish ${hostPort}:${port}`,
      `--env-file ${ENV_FILE}`,
      '--log-driver awslogs',
      `--log-opt awslogs-region=${options.region}`,
      `--log-opt awslogs-group=${options.logGroupName}`,
      `--log-opt awslogs-stream=${CONTAINER_NAME}/\${INSTANCE_ID}`,
      options.imageUri,
    ].join(' '),
  );
  if (options.signal) {
    const s = options.signal;
    lines.push(
      '# Tell CloudFormation the instance is ready once the container answers its health check (self-signed TLS)',
      'HEALTHY=1',
      `for attempt in $(seq 1 ${HEALTH_ATTEMPTS}); do if curl -fsk -o /dev/null https://localhost:${hostPort}${s.healthCheckPath}; then HEALTHY=0; break; fi; sleep ${HEALTH_SLEEP_SECONDS}; done`,
      'trap - ERR',
      `/opt/aws/bin/cfn-signal -e \${HEALTHY} --stack ${s.stackName} --resource ${s.resource} --region ${s.region}`,
    );
  }
  return lines;
}
