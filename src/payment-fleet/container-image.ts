import * as ecr from 'aws-cdk-lib/aws-ecr';

/**
 * The container image of the payment processor, pulled by docker on each instance at boot.
 *
 * @example
 * declare const repository: ecr.IRepository;
 * const fromEcr = PaymentProcessorImage.fromEcrRepository(repository, '2024.06.1');
 * const fromRegistry = PaymentProcessorImage.fromRegistry('public.ecr.aws/acme/payment-processor:2024.06.1');
 */
export class PaymentProcessorImage {
  /**
   * An image any instance can pull without credentials (a public registry, or a registry reachable through
   * a pull-through mirror). Pin a tag or a digest: instance refreshes pull again.
   *
   * @param imageUri `registry/repository:tag` or `registry/repository@sha256:…`
   */
  public static fromRegistry(imageUri: string): PaymentProcessorImage {
    return new PaymentProcessorImage(imageUri);
  }

  /**
   * An image in an ECR repository. The fleet's instance role is allowed to pull from this repository only
   * (plus `ecr:GetAuthorizationToken`, which has no resource scope), and the user data logs docker in to the
   * registry with `aws ecr get-login-password` before pulling.
   *
   * @param repository the repository
   * @param tag the image tag (pin a release; instance refreshes pull again)
   */
  public static fromEcrRepository(repository: ecr.IRepository, tag: string): PaymentProcessorImage {
    return new PaymentProcessorImage(repository.repositoryUriForTag(tag), repository, tag);
  }

  /** The image reference docker pulls. */
  public readonly imageUri: string;
  /** The ECR repository, when the image comes from ECR. */
  public readonly repository?: ecr.IRepository;
  /** The tag, when the image comes from ECR. */
  public readonly tag?: string;

  private constructor(imageUri: string, repository?: ecr.IRepository, tag?: string) {
    this.imageUri = imageUri;
    this.repository = repository;
    this.tag = tag;
  }
}
