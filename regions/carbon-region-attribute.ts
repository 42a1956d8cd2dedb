/**
 * The `CarbonRegion` search attribute region workflows set (workflows/search-attributes.ts) must
 * exist in the namespace: without it Temporal refuses the workflow's upsert and the workflow's
 * tasks keep failing, quietly. The worker and `start` check it before anything else.
 */
import type { ConnectionLike } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { CARBON_REGION } from '../workflows/search-attributes';

/** The attribute is missing and cannot be registered from here, or has another type: one line saying what to run. */
export class SearchAttributeError extends Error {
  override readonly name = 'SearchAttributeError';
}

/** How the attribute was found: already there, or registered by this call. */
export type AttributeCheck = 'present' | 'registered';

/**
 * Makes sure `namespace` has `CarbonRegion` as a Keyword search attribute, registering it
 * (OperatorService `AddSearchAttributes`) where it is missing and the server allows that.
 *
 * @returns `present` when it was there already, `registered` when this call added it.
 * @throws SearchAttributeError (its message is one line naming the namespace and the `temporal`
 *   command to run) when the attributes cannot be listed, the attribute has another type, or
 *   Temporal refuses to register it (a permission, a limit on Keyword attributes, …).
 */
export async function ensureCarbonRegionAttribute(connection: ConnectionLike, namespace: string): Promise<AttributeCheck> {
  const found = await registeredType(connection, namespace);
  if (found === KEYWORD) return 'present';
  if (found !== undefined) {
    throw new SearchAttributeError(
      `search attribute ${CARBON_REGION.name} is registered in namespace ${namespace} as ${typeName(found)}, but region ` +
        `workflows set it as ${typeName(KEYWORD)}; remove it (temporal operator search-attribute remove --namespace ` +
        `${namespace} --name ${CARBON_REGION.name}), then run: ${createCommand(namespace)}`,
    );
  }
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { [CARBON_REGION.name]: KEYWORD } });
    return 'registered';
  } catch (error) {
    // Another worker or `start` may have registered it meanwhile.
    if ((await registeredType(connection, namespace).catch(() => undefined)) === KEYWORD) return 'present';
    throw new SearchAttributeError(
      `search attribute ${CARBON_REGION.name} is not registered in namespace ${namespace} and Temporal refused to ` +
        `register it (${grpcReason(error)}); run: ${createCommand(namespace)}`,
    );
  }
}

/** The command an operator runs to register the attribute (the CLI's spelling of the type). */
export function createCommand(namespace: string): string {
  return `temporal operator search-attribute create --namespace ${namespace} --name ${CARBON_REGION.name} --type ${typeName(KEYWORD)}`;
}

const { IndexedValueType } = temporal.api.enums.v1;
const TYPE_PREFIX = 'INDEXED_VALUE_TYPE_';

/** Temporal's `IndexedValueType` of the attribute as the workflows define it (Keyword). */
const KEYWORD: number = IndexedValueType[`${TYPE_PREFIX}${CARBON_REGION.type}`];

/** The attribute's `IndexedValueType` in the namespace, or undefined when it is not registered. */
async function registeredType(connection: ConnectionLike, namespace: string): Promise<number | undefined> {
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    return customAttributes?.[CARBON_REGION.name] ?? undefined;
  } catch (error) {
    throw new SearchAttributeError(
      `cannot check search attribute ${CARBON_REGION.name} in namespace ${namespace} (${grpcReason(error)}); ` +
        `check TEMPORAL_NAMESPACE, or register it yourself: ${createCommand(namespace)}`,
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
