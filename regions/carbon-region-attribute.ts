/**
 * The search attributes region workflows set (`CarbonRegion`, `CarbonStatus`;
 * workflows/search-attributes.ts) must exist in the namespace: without them Temporal refuses the
 * workflow's upsert and the workflow's tasks keep failing, quietly. The worker and `start` check
 * them before anything else.
 */
import type { ConnectionLike } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { CARBON_REGION, CARBON_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

type KeywordKey = (typeof CARBON_SEARCH_ATTRIBUTES)[number];

/** The attribute is missing and cannot be registered from here, or has another type: one line saying what to run. */
export class SearchAttributeError extends Error {
  override readonly name = 'SearchAttributeError';
}

/** How the attribute was found: already there, or registered by this call. */
export type AttributeCheck = 'present' | 'registered';

/**
 * Makes sure `namespace` has every search attribute the region workflows set, as Keyword,
 * registering those missing (OperatorService `AddSearchAttributes`) where the server allows that.
 *
 * @returns `present` when all were there already, `registered` when this call added any.
 * @throws SearchAttributeError (its message is one line naming the namespace and the `temporal`
 *   command to run) when the attributes cannot be listed, the attribute has another type, or
 *   Temporal refuses to register it (a permission, a limit on Keyword attributes, …).
 */
export async function ensureCarbonRegionAttribute(connection: ConnectionLike, namespace: string): Promise<AttributeCheck> {
  let check: AttributeCheck = 'present';
  for (const key of CARBON_SEARCH_ATTRIBUTES) {
    if ((await ensureAttribute(connection, namespace, key)) === 'registered') check = 'registered';
  }
  return check;
}

async function ensureAttribute(connection: ConnectionLike, namespace: string, key: KeywordKey): Promise<AttributeCheck> {
  const found = await registeredType(connection, namespace, key);
  if (found === KEYWORD) return 'present';
  if (found !== undefined) {
    throw new SearchAttributeError(
      `search attribute ${key.name} is registered in namespace ${namespace} as ${typeName(found)}, but region ` +
        `workflows set it as ${typeName(KEYWORD)}; remove it (temporal operator search-attribute remove --namespace ` +
        `${namespace} --name ${key.name}), then run: ${createCommand(namespace, key)}`,
    );
  }
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { [key.name]: KEYWORD } });
    return 'registered';
  } catch (error) {
    // Another worker or `start` may have registered it meanwhile.
    if ((await registeredType(connection, namespace, key).catch(() => undefined)) === KEYWORD) return 'present';
    throw new SearchAttributeError(
      `search attribute ${key.name} is not registered in namespace ${namespace} and Temporal refused to ` +
        `register it (${grpcReason(error)}); run: ${createCommand(namespace, key)}`,
    );
  }
}

/** The command an operator runs to register the attribute (the CLI's spelling of the type). */
export function createCommand(namespace: string, key: KeywordKey = CARBON_REGION): string {
  return `temporal operator search-attribute create --namespace ${namespace} --name ${key.name} --type ${typeName(KEYWORD)}`;
}

const { IndexedValueType } = temporal.api.enums.v1;
const TYPE_PREFIX = 'INDEXED_VALUE_TYPE_';

/** Temporal's `IndexedValueType` of the attribute as the workflows define it (Keyword). */
const KEYWORD: number = IndexedValueType[`${TYPE_PREFIX}${CARBON_REGION.type}`];

/** The attribute's `IndexedValueType` in the namespace, or undefined when it is not registered. */
async function registeredType(connection: ConnectionLike, namespace: string, key: KeywordKey): Promise<number | undefined> {
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    return customAttributes?.[key.name] ?? undefined;
  } catch (error) {
    throw new SearchAttributeError(
      `cannot check search attribute ${key.name} in namespace ${namespace} (${grpcReason(error)}); ` +
        `check TEMPORAL_NAMESPACE, or register it yourself: ${createCommand(namespace, key)}`,
    );
  }
}

/** `Keyword`, `Int`, `KeywordList`…: how the `temporal` CLI names an `IndexedValueType`. */
function typeName(indexedValueType: number): string {
  const name: string | undefined = IndexedValueType[indexedValueType];
  if (name === undefined) return `type ${indexedValueType}`;
  return name
    .slice(TYPE_PREFIX.length)
    .toLowerCase()
    .split('_')
    .map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
    .join('');
}

/** A gRPC error's status and message, e.g. `INVALID_ARGUMENT: cannot have more than 10 …`. */
function grpcReason(error: unknown): string {
  const details = typeof error === 'object' && error !== null && 'details' in error ? String(error.details) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  // grpc-js messages read "3 INVALID_ARGUMENT: <details>"; keep the status name and the details.
  const status = /^\d+ ([A-Z_]+):/.exec(message)?.[1];
  return details !== undefined && status !== undefined ? `${status}: ${details}` : message;
}
