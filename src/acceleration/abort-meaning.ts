import type { AbortReason } from '../accelerator/index.ts';

/** An abort as a user reads it: what in their code compiled code does not run yet, and where. */
export function abortMeaning(a: { reason: AbortReason; detail: string; loc?: { line: number; column: number } }): string {
  const at = a.loc ? ` at ${a.loc.line}:${a.loc.column}` : '';
  return `its compiled code aborts${at} (${meaning(a.reason, a.detail)})`;
}

function meaning(reason: AbortReason, detail: string): string {
  const after = (prefix: string) => (detail.startsWith(prefix) ? detail.slice(prefix.length) : detail);
  switch (reason) {
    case 'unknown-path':
      return 'it took a path no traced request took';
    case 'unsupported:syntax':
      return `${detail} is not supported in compiled code yet`;
    case 'unsupported:module':
      return `require('${after('require:')}') is not available to compiled code`;
    case 'unsupported:global':
      return detail.startsWith('global:') ? `the global ${after('global:')} is not supported in compiled code yet` : `${detail} is not supported in compiled code yet`;
    case 'unsupported:process':
      return detail.startsWith('process:') ? `process.${after('process:')} is not available to compiled code` : `${detail} is not supported in compiled code`;
    case 'unsupported:builtin':
      return `${detail} is not supported in compiled code yet`;
    case 'unsupported:value':
      return `a value compiled code does not model: ${detail}`;
    case 'fuel':
      return `it ran out of fuel: ${detail}`;
    case 'memory':
      return `it ran out of memory: ${detail}`;
    case 'stack':
      return `its calls nest too deep: ${detail}`;
    case 'backstop':
      return `the accelerator's backstop stopped it: ${detail}`;
    case 'internal':
      return `internal: ${detail}`;
  }
}
