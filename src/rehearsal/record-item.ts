import { awsError } from './aws-values';

/** A DynamoDB attribute value as the API carries it (`{ S: 'x' }`, `{ N: '1' }`). */
export type AttributeValue = { readonly S?: string; readonly N?: string };

/** One DynamoDB item, kept as the API returns it. */
export type Item = Record<string, AttributeValue>;

interface UpdateItemRequest {
  readonly TableName?: string;
  readonly Key: Item;
  readonly UpdateExpression: string;
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Record<string, AttributeValue>;
  readonly ReturnValues?: string;
}

/**
 * The cutover record's table as DynamoDB behaves for the expressions the workflows use: UpdateItem applies atomically
 * (the condition is evaluated on the newest item), a condition that does not hold is refused with
 * `DynamoDB.ConditionalCheckFailedException`, and every name and value given must be used by an expression
 * (DynamoDB answers a ValidationException otherwise). GetItem returns `{}` for an item never written.
 */
export class RecordTable {
  private readonly items = new Map<string, Item>();

  public item(key = 'cutover'): Item | undefined {
    return this.items.get(key);
  }

  /** Sets string attributes of an item (the fleets' own writes, outside the workflows). */
  public setStrings(key: string, attributes: Record<string, string>): void {
    const item = this.items.get(key) ?? { pk: { S: key } };
    for (const [name, value] of Object.entries(attributes)) item[name] = { S: value };
    this.items.set(key, item);
  }

  public getItem(params: { Key: Item }): { Item?: Item } {
    const item = this.items.get(keyOf(params.Key));
    return item ? { Item: { ...item } } : {};
  }

  public updateItem(params: UpdateItemRequest): { Attributes?: Item } {
    const names = params.ExpressionAttributeNames ?? {};
    const values = params.ExpressionAttributeValues ?? {};
    const used = `${params.UpdateExpression} ${params.ConditionExpression ?? ''}`;
    for (const token of [...Object.keys(names), ...Object.keys(values)]) {
      if (!new RegExp(`${token.replace(/[#:]/, '\\$&')}(?![A-Za-z0-9_])`).test(used)) {
        throw awsError('DynamoDB.AmazonDynamoDBException', `Value provided in ExpressionAttribute{Names,Values} unused in expressions: keys: {${token}}`);
      }
    }
    const key = keyOf(params.Key);
    const old = this.items.get(key);
    const current: Item = { ...(old ?? params.Key) };
    if (params.ConditionExpression && !evaluate(params.ConditionExpression, old ?? {}, names, values)) {
      throw awsError('DynamoDB.ConditionalCheckFailedException', 'The conditional request failed');
    }
    applyUpdate(params.UpdateExpression, current, names, values);
    this.items.set(key, current);
    if (params.ReturnValues === 'ALL_NEW') return { Attributes: { ...current } };
    if (params.ReturnValues === 'ALL_OLD') return old ? { Attributes: { ...old } } : {};
    return {};
  }
}

function keyOf(key: Item): string {
  return Object.values(key).map((v) => v.S ?? v.N).join('|');
}

function scalar(v: AttributeValue | undefined): string | undefined {
  return v?.S ?? v?.N;
}

/** The condition expression grammar the workflows use: AND, OR, NOT, parentheses, =, <>, IN, attribute_(not_)exists. */
function evaluate(expression: string, item: Item, names: Record<string, string>, values: Record<string, AttributeValue>): boolean {
  const tokens = expression.match(/\(|\)|,|<>|=|[#:]?[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const t = tokens[i++];
    if (expected !== undefined && t !== expected) throw new Error(`condition ${expression}: expected ${expected}, got ${t}`);
    return t;
  };
  const operand = (t: string): string | undefined => (t.startsWith('#') ? scalar(item[names[t]]) : t.startsWith(':') ? scalar(values[t]) : scalar(item[t]));
  const primary = (): boolean => {
    const t = take();
    if (t === '(') {
      const v = or();
      take(')');
      return v;
    }
    if (t === 'NOT') return !primary();
    if (t === 'attribute_not_exists' || t === 'attribute_exists') {
      take('(');
      const name = take();
      take(')');
      const present = item[names[name] ?? name] !== undefined;
      return t === 'attribute_exists' ? present : !present;
    }
    const left = operand(t);
    const op = take();
    if (op === 'IN') {
      take('(');
      const options: Array<string | undefined> = [operand(take())];
      while (peek() === ',') {
        take(',');
        options.push(operand(take()));
      }
      take(')');
      return left !== undefined && options.includes(left);
    }
    const right = operand(take());
    if (op === '=') return left !== undefined && left === right;
    if (op === '<>') return left !== right;
    throw new Error(`condition ${expression}: operator ${op} not simulated`);
  };
  const and = (): boolean => {
    let v = primary();
    while (peek() === 'AND') {
      take();
      const r = primary();
      v = v && r;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (peek() === 'OR') {
      take();
      const r = and();
      v = v || r;
    }
    return v;
  };
  const result = or();
  if (i !== tokens.length) throw new Error(`condition ${expression}: unexpected ${tokens[i]}`);
  return result;
}

/** `SET #a = :v, #b = :w ADD #n :one REMOVE #c` */
function applyUpdate(expression: string, item: Item, names: Record<string, string>, values: Record<string, AttributeValue>): void {
  const clauses = expression.split(/\b(?=SET |ADD |REMOVE )/);
  const name = (t: string) => names[t.trim()] ?? t.trim();
  for (const clause of clauses) {
    const [verb, ...rest] = clause.trim().split(' ');
    const body = rest.join(' ');
    for (const part of body.split(',').map((p) => p.trim()).filter(Boolean)) {
      if (verb === 'SET') {
        const [left, right] = part.split('=').map((x) => x.trim());
        item[name(left)] = values[right];
      } else if (verb === 'ADD') {
        const [left, right] = part.split(/\s+/);
        const before = Number(item[name(left)]?.N ?? 0);
        item[name(left)] = { N: String(before + Number(values[right].N)) };
      } else if (verb === 'REMOVE') {
        delete item[name(part)];
      } else {
        throw new Error(`update ${expression}: ${verb} not simulated`);
      }
    }
  }
}
