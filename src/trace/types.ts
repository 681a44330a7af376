import type { File, Node as BabelNode } from '@babel/types';

/** A source position: Babel's 1-based line and 0-based column of a node's start. */
export interface Loc {
  line: number;
  column: number;
}

export const TRACE_FORMAT = 'containerless-trace';
export const TRACE_VERSION = 6;

/** What a region of code is; an arm runs only when control reaches it. */
export type ArmKind =
  | 'program'
  | 'function-body'
  | 'if-consequent'
  | 'if-alternate'
  | 'conditional-consequent'
  | 'conditional-alternate'
  | 'logical-right'
  | 'switch-case'
  | 'loop-body'
  | 'catch'
  | 'finally'
  | 'default-value'
  | 'unsupported';

export interface ArmInfo {
  id: number;
  kind: ArmKind;
  loc: Loc;
  /** The innermost enclosing function's fnId, or null at the top level. */
  fnId: string | null;
  /**
   * Set when the arm carries no marker because one would be observable (e.g. inside a callee whose
   * text V8 prints in "… is not a function"): it is never recorded, so it stays Unknown.
   */
  untraced?: true;
}

export interface FunctionInfo {
  /** "LINE:COL" of the function node's start. */
  fnId: string;
  /** The name JavaScript would give the function ('' for anonymous). */
  name: string;
  loc: Loc;
  /** The arm of the function's body. */
  bodyArm: number;
  /** fnId of the enclosing function, null at the top level. */
  parentFnId: string | null;
}

export interface UnsupportedInfo {
  /** Stable name from the tracer's unsupported list, e.g. 'this', 'class' (compiled code aborts with `unsupported:syntax`, detail `<what>`). */
  what: string;
  arm: number;
  loc: Loc;
}

/**
 * The program's arms and functions, a pure function of the source (same source, same skeleton, in
 * any process with the same Babel version). Built by `buildSkeleton` in src/tracer; consumed here to
 * materialise trees. The maps are keyed by node identity in `ast` and are not serialisable.
 */
export interface Skeleton {
  readonly source: string;
  readonly sha256: string;
  readonly ast: File;
  readonly armCount: number;
  /** Indexed by arm id. */
  readonly arms: readonly ArmInfo[];
  readonly functions: readonly FunctionInfo[];
  readonly unsupported: readonly UnsupportedInfo[];
  /** Arm root nodes (Program, function bodies, branch arms, SwitchCase nodes, ...) → arm id. */
  readonly armRoots: ReadonlyMap<BabelNode, number>;
  /** Unsupported nodes → their entry (the node is replaced by an `Unsupported` node in trees). */
  readonly unsupportedNodes: ReadonlyMap<BabelNode, UnsupportedInfo>;
  /** Supported function nodes → their entry. */
  readonly functionNodes: ReadonlyMap<BabelNode, FunctionInfo>;
}

/** One request's path: the arms it hit, sorted and unique (the wire format). */
export interface Path {
  arms: number[];
}

/** An arm no path reached, in place of the arm's root node. */
export interface UnknownNode {
  type: 'Unknown';
  arm: number;
  loc: Loc;
  /** Names the pruned subtree declared (src/trace/declared-names.ts), so the compiler keeps them local. */
  vars?: string[];
  lexicals?: string[];
}

/** Syntax the accelerator does not support, in place of the node (its subtree is not kept). */
export interface UnsupportedNode {
  type: 'Unsupported';
  what: string;
  arm: number;
  hits: number;
  loc: Loc;
  /** Names the pruned subtree declared (src/trace/declared-names.ts), so the compiler keeps them local. */
  vars?: string[];
  lexicals?: string[];
}

/**
 * A node of the materialised program: a pruned Babel AST node (JSON), `Unknown` or `Unsupported`.
 * Arm roots carry `arm` and `hits`; supported function nodes carry `fnId` and `name`.
 */
export interface TraceNode {
  type: string;
  loc?: Loc;
  arm?: number;
  hits?: number;
  fnId?: string;
  name?: string;
  [field: string]: unknown;
}

export interface TraceTree {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  /** sha256 (hex) of the function source (UTF-8) the tree was built from. */
  source_sha256: string;
  /** How many paths were added (the top-level run counts as one). */
  paths: number;
  /** Hits per arm id; arms with no hits are absent. */
  counts: { [arm: string]: number };
  /** The Program node, materialised. */
  program: TraceNode;
}
