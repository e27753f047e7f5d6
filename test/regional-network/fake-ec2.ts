import type { Ec2Api, Ec2Route, PeeringRouteInput } from '../../src/regional-network/peer-routes-handler';

/** An error shaped like the SDK's (its `name` is the EC2 error code). */
export function ec2Error(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

type Call = 'createRoute' | 'replaceRoute' | 'deleteRoute' | 'describeRouteTables';

/** One recorded call: region, operation, route table. */
export interface RecordedCall {
  readonly region: string;
  readonly call: Call;
  readonly routeTableId: string;
  readonly target?: string;
}

/**
 * Route tables of several regions in memory, behaving like EC2 where the handler depends on it: CreateRoute fails with
 * RouteAlreadyExists when the table has a route to that CIDR, DeleteRoute with InvalidRoute.NotFound and ReplaceRoute
 * with InvalidParameterValue when it has none, every call with InvalidRouteTableID.NotFound for an unknown table; errors can be queued per call.
 */
export class FakeEc2 {
  public readonly calls: RecordedCall[] = [];
  /** region → route table → routes by destination CIDR. */
  private readonly tables = new Map<string, Map<string, Map<string, Ec2Route>>>();
  private readonly failures: Partial<Record<Call, Error[]>> = {};

  /** Adds empty route tables in a region (each with its VPC's local route). */
  public addTables(region: string, ...routeTableIds: string[]): this {
    const regionTables = this.region(region);
    for (const id of routeTableIds) regionTables.set(id, new Map([['10.0.0.0/16', { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }]]));
    return this;
  }

  /** Puts a route into a table. */
  public seed(region: string, routeTableId: string, route: Ec2Route): this {
    this.region(region).get(routeTableId)!.set(route.DestinationCidrBlock!, { State: 'active', ...route });
    return this;
  }

  /** The route to `cidr` of a table: its target, or undefined. */
  public targetOf(region: string, routeTableId: string, cidr: string): string | undefined {
    const r = this.region(region).get(routeTableId)?.get(cidr);
    return r ? r.VpcPeeringConnectionId ?? r.GatewayId ?? r.TransitGatewayId : undefined;
  }

  /** Every route to `cidr` in a region, as `rtb → target`. */
  public routesTo(region: string, cidr: string): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = {};
    for (const [id, routes] of this.region(region)) if (routes.has(cidr)) out[id] = this.targetOf(region, id, cidr);
    return out;
  }

  /** Makes the next call(s) of `call` fail with `errors`, in order. */
  public failNext(call: Call, ...errors: Error[]): void {
    (this.failures[call] ??= []).push(...errors);
  }

  /** Writing calls only, as `Call rtb[->target]`, in order. */
  public writes(): string[] {
    return this.calls.filter((c) => c.call !== 'describeRouteTables').map((c) => `${c.call} ${c.region} ${c.routeTableId}${c.target ? ` ${c.target}` : ''}`);
  }

  /** The EC2 API of one region, for `HandlerDeps.ec2`. */
  public api(region: string): Ec2Api {
    return {
      createRoute: async (input: PeeringRouteInput) => {
        const routes = this.enter(region, 'createRoute', input.RouteTableId, input.VpcPeeringConnectionId);
        if (routes.has(input.DestinationCidrBlock)) {
          throw ec2Error('RouteAlreadyExists', `The route identified by ${input.DestinationCidrBlock} already exists.`);
        }
        routes.set(input.DestinationCidrBlock, { DestinationCidrBlock: input.DestinationCidrBlock, VpcPeeringConnectionId: input.VpcPeeringConnectionId, State: 'active' });
        return { Return: true };
      },
      replaceRoute: async (input: PeeringRouteInput) => {
        const routes = this.enter(region, 'replaceRoute', input.RouteTableId, input.VpcPeeringConnectionId);
        // EC2 answers InvalidParameterValue here, not InvalidRoute.NotFound (the ReplaceRoute reference names no
        // code; moto 5.2.1 and getmoto/moto#6425, checked against AWS, agree; test/system/moto/peer-routes.moto.test.ts).
        if (!routes.has(input.DestinationCidrBlock)) {
          throw ec2Error('InvalidParameterValue', `There is no route defined for '${input.DestinationCidrBlock}' in the route table. Use CreateRoute instead.`);
        }
        routes.set(input.DestinationCidrBlock, { DestinationCidrBlock: input.DestinationCidrBlock, VpcPeeringConnectionId: input.VpcPeeringConnectionId, State: 'active' });
        return {};
      },
      deleteRoute: async (input: { RouteTableId: string; DestinationCidrBlock: string }) => {
        const routes = this.enter(region, 'deleteRoute', input.RouteTableId);
        if (!routes.delete(input.DestinationCidrBlock)) throw ec2Error('InvalidRoute.NotFound', `no route with destination-cidr-block ${input.DestinationCidrBlock}`);
        return {};
      },
      describeRouteTables: async (input: { RouteTableIds: string[] }) => {
        const id = input.RouteTableIds[0];
        const routes = this.enter(region, 'describeRouteTables', id);
        return { RouteTables: [{ RouteTableId: id, Routes: [...routes.values()].map((r) => ({ ...r })) }] };
      },
    };
  }

  private region(region: string): Map<string, Map<string, Ec2Route>> {
    let r = this.tables.get(region);
    if (!r) this.tables.set(region, (r = new Map()));
    return r;
  }

  private enter(region: string, call: Call, routeTableId: string, target?: string): Map<string, Ec2Route> {
    this.calls.push({ region, call, routeTableId, target });
    const failure = this.failures[call]?.shift();
    if (failure) throw failure;
    const routes = this.region(region).get(routeTableId);
    if (!routes) throw ec2Error('InvalidRouteTableID.NotFound', `The routeTable ID '${routeTableId}' does not exist`);
    return routes;
  }
}
