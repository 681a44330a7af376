// Node's DOMException (atob's InvalidCharacterError, getRandomValues' QuotaExceededError, …) as the
// realm has it: an ErrorValue of kind 'DOMException' whose name and message are slots (values.ts),
// read through its prototype's getters as in Node. The legacy codes and constants below are Node
// 20's (test/accelerator/dom-exception.test.ts checks them against the host's DOMException).

/** The `code` of each name that has one; every other name's is 0. */
export const DOM_CODES: ReadonlyMap<string, number> = new Map([
  ['IndexSizeError', 1], ['HierarchyRequestError', 3], ['WrongDocumentError', 4], ['InvalidCharacterError', 5],
  ['NoModificationAllowedError', 7], ['NotFoundError', 8], ['NotSupportedError', 9], ['InUseAttributeError', 10],
  ['InvalidStateError', 11], ['SyntaxError', 12], ['InvalidModificationError', 13], ['NamespaceError', 14],
  ['InvalidAccessError', 15], ['TypeMismatchError', 17], ['SecurityError', 18], ['NetworkError', 19], ['AbortError', 20],
  ['URLMismatchError', 21], ['QuotaExceededError', 22], ['TimeoutError', 23], ['InvalidNodeTypeError', 24], ['DataCloneError', 25],
]);

/** The constants DOMException and its prototype both carry (read-only, enumerable). */
export const DOM_CONSTANTS: ReadonlyMap<string, number> = new Map([
  'INDEX_SIZE_ERR', 'DOMSTRING_SIZE_ERR', 'HIERARCHY_REQUEST_ERR', 'WRONG_DOCUMENT_ERR', 'INVALID_CHARACTER_ERR', 'NO_DATA_ALLOWED_ERR',
  'NO_MODIFICATION_ALLOWED_ERR', 'NOT_FOUND_ERR', 'NOT_SUPPORTED_ERR', 'INUSE_ATTRIBUTE_ERR', 'INVALID_STATE_ERR', 'SYNTAX_ERR',
  'INVALID_MODIFICATION_ERR', 'NAMESPACE_ERR', 'INVALID_ACCESS_ERR', 'VALIDATION_ERR', 'TYPE_MISMATCH_ERR', 'SECURITY_ERR',
  'NETWORK_ERR', 'ABORT_ERR', 'URL_MISMATCH_ERR', 'QUOTA_EXCEEDED_ERR', 'TIMEOUT_ERR', 'INVALID_NODE_TYPE_ERR', 'DATA_CLONE_ERR',
].map((k, i) => [k, i + 1]));

export const domCode = (name: string): number => DOM_CODES.get(name) ?? 0;

/** The members of DOMException.prototype a program reads as data: name, message, code, the constants. */
export function domMember(slots: { name: string; message: string }, key: string): { value: unknown } | undefined {
  if (key === 'name') return { value: slots.name };
  if (key === 'message') return { value: slots.message };
  if (key === 'code') return { value: domCode(slots.name) };
  const c = DOM_CONSTANTS.get(key);
  return c === undefined ? undefined : { value: c };
}
