/**
 * trace: the trace tree IR. A trace tree is the function file's program pruned to what requests
 * executed: arms carry hit counts, arms never hit are `Unknown`, unsupported syntax is `Unsupported`.
 * Owns the types (TraceTree, Skeleton, Path), building trees from paths, merging, JSON (validated,
 * versioned: docs/trace-format.md, docs/trace-schema.json) and printing. Depends on no other stage;
 * src/tracer produces skeletons and paths, src/compiler consumes trees: the platform gives it
 * `withUnseenArms(tree, skeleton)`, the same counts over the whole program, so unhit arms compile too.
 */
export * from './types.ts';
export { materialize, materializeFull } from './materialize.ts';
export { withUnseenArms } from './unseen.ts';
export { emptyTree, addPath, addPaths, mergeTrees, treeSize, TraceMismatchError } from './tree.ts';
export { treeToJSON, treeFromJSON, validateTree, pathFromJSON, TraceFormatError } from './json.ts';
export { printTree } from './print.ts';
