import { paymentProcessorScript, PaymentProcessorScriptOptions } from '../../src/payment-fleet/user-data';

const BASE: PaymentProcessorScriptOptions = {
  imageUri: 'public.ecr.aws/acme/payment-processor:2024.06.1',
  containerPort: 8443,
  hostPort: 443,
  environment: { DB_WRITER_ENDPOINT: 'writer.cluster-abc.eu-west-1.rds.amazonaws.com', FEATURE_X: 'on' },
  logGroupName: 'fleet-logs',
  region: 'eu-west-1',
};

function script(options: Partial<PaymentProcessorScriptOptions> = {}): string {
  return paymentProcessorScript({ ...BASE, ...options }).join('\n');
}

describe('paymentProcessorScript', () => {
  test('installs docker with dnf (yum only where dnf is missing) and starts it at boot', () => {
    const s = script();
    expect(s).toMatch(/if command -v dnf .*; then dnf install -y docker aws-cfn-bootstrap; else yum install -y docker aws-cfn-bootstrap; fi/);
    expect(s).toContain('systemctl enable --now docker');
    expect(s.split('\n')[0]).toBe('set -euo pipefail');
  });

  test('runs the image detached with --restart always, the port published, and the awslogs driver', () => {
    const run = paymentProcessorScript(BASE).find((l) => l.startsWith('docker run'))!;
    expect(run).toBe(
      'docker run --detach --name payment-processor --restart always --publish 443:8443 ' +
        '--env-file /etc/payment-processor/env --log-driver awslogs --log-opt awslogs-region=eu-west-1 ' +
        '--log-opt awslogs-group=fleet-logs --log-opt awslogs-stream=payment-processor/${INSTANCE_ID} ' +
        'public.ecr.aws/acme/payment-processor:2024.06.1',
    );
    expect(script()).toContain('docker pull public.ecr.aws/acme/payment-processor:2024.06.1');
  });

  test('environment goes to a root-only env file through a quoted heredoc (no shell expansion, not on the command line)', () => {
    const s = script({ environment: { A: 'x', B: '$(reboot) `id`' } });
    expect(s).toContain("cat > /etc/payment-processor/env <<'PAYMENT_PROCESSOR_ENV'\nA=x\nB=$(reboot) `id`\nPAYMENT_PROCESSOR_ENV");
    expect(s).toContain('chmod 0600 /etc/payment-processor/env');
    expect(s).toContain('install -d -m 0700 /etc/payment-processor');
  });

  test('reads the instance id through IMDSv2 with a session token', () => {
    expect(script()).toMatch(/curl -sS -X PUT http:\/\/169\.254\.169\.254\/latest\/api\/token/);
    expect(script()).toMatch(/X-aws-ec2-metadata-token: \$\{IMDS_TOKEN\}/);
  });

  test('without an ECR repository there is no docker login', () => {
    expect(script()).not.toContain('docker login');
  });

  test('with an ECR repository it logs in before pulling', () => {
    const lines = paymentProcessorScript({ ...BASE, ecrLogin: { registry: '111111111111.dkr.ecr.eu-west-1.amazonaws.com', region: 'eu-west-1' } });
    const login = lines.findIndex((l) =>
      l === 'aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin 111111111111.dkr.ecr.eu-west-1.amazonaws.com');
    expect(login).toBeGreaterThan(0);
    expect(login).toBeLessThan(lines.findIndex((l) => l.startsWith('docker pull')));
  });

  test('with a signal it waits for the health check, signals success or failure, and fails fast on errors', () => {
    const s = script({ signal: { stackName: 'Stack', resource: 'Asg', region: 'eu-west-1', healthCheckPath: '/health' } });
    expect(s).toContain("trap '/opt/aws/bin/cfn-signal -e 1 --stack Stack --resource Asg --region eu-west-1' ERR");
    expect(s).toMatch(/curl -fsk -o \/dev\/null https:\/\/localhost:443\/health/);
    expect(s).toMatch(/\/opt\/aws\/bin\/cfn-signal -e \$\{HEALTHY\} --stack Stack --resource Asg --region eu-west-1$/);
    expect(script()).not.toContain('cfn-signal');
  });
});
